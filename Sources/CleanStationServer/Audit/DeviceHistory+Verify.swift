import CleanStationCore
import Crypto
import CryptoExtras
import Fluent
import Foundation
import Vapor

/// `cleanstation dhr verify`: a device history record checked offline, with
/// nothing but its files and the public half of the key that signed it.
extension DeviceHistory {
    struct Verification: Sendable, Equatable {
        var buildNumber: String?
        /// What does not hold, first problem first; empty when intact.
        var problems: [String]
        /// What was not checked (the PDF, when it was not given).
        var notes: [String]
        var recordsChecked: Int
        var entriesChecked: Int

        var intact: Bool { problems.isEmpty }
    }

    /// Checks, in order: the file's form; the signature over the manifest's
    /// canonical bytes, with the public key its `keyId` names; the PDF's
    /// SHA-256; each signed record against its SHA-256 and its build; each
    /// audit entry against its hash.
    static func verify(manifest data: Data, pdf: Data?, publicKeys: [_RSA.Signing.PublicKey]) -> Verification {
        var report = Verification(buildNumber: nil, problems: [], notes: [], recordsChecked: 0, entriesChecked: 0)
        guard let file = try? JSONParser.parse(data), let manifest = file["manifest"], manifest["format"]?.string == format else {
            report.problems.append("the file is not a CleanStation device history record (\(format))")
            return report
        }
        let build = manifest["build"]?["buildNumber"]?.string
        report.buildNumber = build
        let keyID = file["signature"]?["keyId"]?.string ?? ""
        if file["signature"]?["algorithm"]?.string != RecordSigner.algorithm {
            report.problems.append("the signature is not \(RecordSigner.algorithm)")
        } else if let key = publicKeys.first(where: { RecordSigner.keyID(of: $0) == keyID }) {
            let signature = file["signature"]?["value"]?.string.flatMap { Data(base64Encoded: $0) } ?? Data()
            if !RecordSigner.holds(signature, over: JSONSerializer.data(manifest, style: .canonical), by: key) {
                report.problems.append("the signature does not hold: the manifest was changed after it was signed")
            }
        } else {
            report.problems.append(
                "it is signed with key \(keyID), and no public key given has that id (given: "
                    + publicKeys.map(RecordSigner.keyID(of:)).joined(separator: ", ") + ")")
        }
        if let pdf {
            if SHA256.hash(data: pdf).hex != manifest["pdf"]?["sha256"]?.string {
                report.problems.append(
                    "the PDF does not match the SHA-256 the manifest names: it is not this record's PDF, or it was changed")
            }
        } else {
            report.notes.append("the PDF was not given: only the manifest was checked")
        }
        for checklist in manifest["checklists"]?.array ?? [] {
            let id = checklist["id"]?.string ?? "?"
            let record = checklist["record"]?.string ?? ""
            if SHA256.hash(data: Data(record.utf8)).hex != checklist["sha256"]?.string {
                report.problems.append("signed record \(id) does not match its SHA-256")
            } else if (try? JSONParser.parse(Data(record.utf8)))?["buildNumber"]?.string != build {
                report.problems.append("signed record \(id) is of another build")
            }
            report.recordsChecked += 1
        }
        for entry in manifest["auditEntries"]?.array ?? [] {
            guard let record = AuditRecord(json: entry), record.computedHash() == record.hash else {
                report.problems.append("audit entry \(entry["seq"]?.number.map { String(Int64($0)) } ?? "?") does not match its hash")
                continue
            }
            report.entriesChecked += 1
        }
        return report
    }
}

extension AuditRecord {
    /// An entry read back from its JSON form (`jsonValue`: a line of the audit file, an entry of a DHR).
    init?(json: JSONValue) {
        func text(_ key: String) -> String? { json[key]?.string }
        guard let seq = json["seq"]?.number, let at = text("at"), let action = text("action"), let resourceType = text("resourceType"),
            let outcome = text("outcome"), let prevHash = text("prevHash"), let hash = text("hash")
        else { return nil }
        self.seq = Int64(seq)
        self.at = at
        userID = text("userId")
        sessionID = text("sessionId")
        self.action = action
        self.resourceType = resourceType
        resourceID = text("resourceId")
        oldValue = text("oldValue")
        newValue = text("newValue")
        self.outcome = outcome
        clientAddress = text("clientAddress")
        userAgent = text("userAgent")
        requestID = text("requestId")
        self.prevHash = prevHash
        self.hash = hash
        keyID = text("keyId")
        mac = text("mac")
    }
}

/// What the command line does with device history records (`cleanstation dhr`).
public enum DeviceHistoryFiles {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// A build's record: as filed when it has shipped (filed now when it has
    /// not been yet), made afresh and not filed while it is still in work.
    public static func export(_ app: Application, build: String) async throws -> (manifest: Data, pdf: Data, filed: Bool) {
        do {
            guard let found = try await Build.query(on: app.db).filter(\.$buildNumber == build).first() else {
                throw Problem(description: "no build is numbered \(build)")
            }
            guard found.status == .shipped else {
                let files = try await DeviceHistory.make(build, app: app, on: app.db)
                return (files.manifest, files.pdf, false)
            }
            let filed = try await DeviceHistory.filed(build, of: found.$order.id, app: app, actor: .system)
            let manifest = try await app.documentStorage.read(sha256: filed.manifestSHA256)
            let pdf = try await app.documentStorage.read(sha256: filed.pdfSHA256)
            guard SHA256.hash(data: manifest).hex == filed.manifestSHA256, SHA256.hash(data: pdf).hex == filed.pdfSHA256 else {
                throw Problem(description: "the stored record of \(build) no longer matches what was filed")
            }
            return (manifest, pdf, true)
        } catch let refused as DeviceHistory.Refused {
            throw Problem(description: refused.description)
        }
    }

    /// Checks a record offline: each PEM is an RSA public key (`JWT_PUBLIC_KEY`); lines saying what holds, or the problems.
    public static func verify(manifest: Data, pdf: Data?, publicKeyPEMs: [String]) throws -> (intact: Bool, lines: [String]) {
        let keys = try publicKeyPEMs.map { pem in
            do {
                return try _RSA.Signing.PublicKey(pemRepresentation: pem)
            } catch {
                throw Problem(description: "a public key given is not an RSA public key in PEM form")
            }
        }
        let report = DeviceHistory.verify(manifest: manifest, pdf: pdf, publicKeys: keys)
        guard report.intact else { return (false, report.problems) }
        return (
            true,
            [
                "the device history record of \(report.buildNumber ?? "?") is intact: signature, "
                    + (pdf == nil ? "" : "PDF, ") + "\(report.recordsChecked) signed records and \(report.entriesChecked) audit entries"
            ] + report.notes.map { "note: \($0)" }
        )
    }
}
