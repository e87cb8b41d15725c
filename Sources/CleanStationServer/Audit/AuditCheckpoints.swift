import CleanStationCore
import CleanStationS3
import Foundation
import NIOCore
import NIOHTTP1
import Vapor

#if canImport(Glibc)
import Glibc
#endif

/// A sealed statement of the chain's head at one moment: "entry `seq` has
/// hash `hash`". Kept outside the database, it catches what the chain alone
/// cannot: entries removed from the end, with the head moved back (ADR 009).
///
/// After a point-in-time restore the chain is shorter than the checkpoints
/// taken since; an operator accepts that (`cleanstation audit checkpoint
/// --accept-restore`) with a checkpoint that names the one it supersedes
/// (`accepts`), and every checkpoint after it carries the acceptance's time
/// (`since`). Only checkpoints from the latest acceptance on are held
/// against the chain, and only someone with the key can write one.
struct AuditCheckpoint: Sendable, Equatable {
    struct Link: Sendable, Equatable {
        var seq: Int64
        var hash: String
    }

    var seq: Int64
    var hash: String
    var at: String
    /// The checkpoint a restore made unreachable, accepted by this one.
    var accepts: Link?
    /// The time of the latest accepted restore when this one was written.
    var since: String?
    var keyID: String
    var mac: String

    init(seq: Int64, hash: String, at: String, accepts: Link? = nil, since: String? = nil, seal: RecordSeal) {
        self.seq = seq
        self.hash = hash
        self.at = at
        self.accepts = accepts
        self.since = since
        let mark = seal.seal(Self.message(seq: seq, hash: hash, at: at, accepts: accepts, since: since))
        keyID = mark.keyID
        mac = mark.mac
    }

    /// An audit entry read back from the audit file, its own seal checked: it vouches for itself.
    init(entry seq: Int64, hash: String, at: String) {
        self.seq = seq
        self.hash = hash
        self.at = at
        keyID = ""
        mac = ""
    }

    init?(json: JSONValue) {
        guard let seq = json["seq"]?.number, let hash = json["hash"]?.string, let at = json["at"]?.string,
            let keyID = json["keyId"]?.string, let mac = json["mac"]?.string
        else { return nil }
        self.seq = Int64(seq)
        self.hash = hash
        self.at = at
        if let accepted = json["accepts"], accepted != .null {
            guard let seq = accepted["seq"]?.number, let hash = accepted["hash"]?.string else { return nil }
            accepts = Link(seq: Int64(seq), hash: hash)
        }
        since = json["since"]?.string
        self.keyID = keyID
        self.mac = mac
    }

    private static func message(seq: Int64, hash: String, at: String, accepts: Link?, since: String?) -> String {
        RecordSeal.checkpoint(seq: seq, hash: hash, at: at) + (accepts.map { ":accepts:\($0.seq):\($0.hash)" } ?? "")
            + (since.map { ":since:\($0)" } ?? "")
    }

    var jsonValue: JSONValue {
        .object([
            JSONMember("seq", .number(Double(seq))), JSONMember("hash", .string(hash)), JSONMember("at", .string(at)),
            JSONMember(
                "accepts",
                accepts.map { .object([JSONMember("seq", .number(Double($0.seq))), JSONMember("hash", .string($0.hash))]) } ?? .null),
            JSONMember("since", since.map { .string($0) } ?? .null),
            JSONMember("keyId", .string(keyID)), JSONMember("mac", .string(mac)),
        ])
    }

    func isSealed(by seal: RecordSeal) -> Bool {
        seal.check(Self.message(seq: seq, hash: hash, at: at, accepts: accepts, since: since), keyID: keyID, mac: mac) == .valid
    }
}

/// Where checkpoints are written: a JSON-lines file beside the audit file,
/// and, when S3 is configured, one object per checkpoint under
/// `audit-checkpoints/`, with Object Lock retention when asked for
/// (`AUDIT_CHECKPOINT_LOCK_DAYS`), so that no credential can delete them.
struct AuditCheckpoints: Sendable {
    let filePath: String?
    /// The audit file, whose last sealed entry is a checkpoint too.
    let auditFilePath: String?
    let store: S3Checkpoints?

    init(config: Config, s3: S3Client?) {
        auditFilePath = config.auditLogPath
        filePath = config.auditLogPath.map {
            URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("audit-checkpoints.jsonl").path
        }
        store = s3.map { S3Checkpoints(storage: $0, lockDays: config.auditCheckpointLockDays) }
    }

    var isConfigured: Bool { filePath != nil || store != nil }

    func write(_ checkpoint: AuditCheckpoint) async throws {
        if let filePath { try Self.append(JSONSerializer.string(checkpoint.jsonValue, style: .compact) + "\n", to: filePath) }
        try await store?.put(checkpoint)
    }

    /// One write with `O_APPEND`: the exporter and the command line may append at once.
    private static func append(_ line: String, to path: String) throws {
        let descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw Abort(.internalServerError, reason: "cannot open the checkpoint file \(path): errno \(errno)") }
        defer { Glibc.close(descriptor) }
        let bytes = Array(line.utf8)
        guard bytes.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress, $0.count) }) == bytes.count, fsync(descriptor) == 0 else {
            throw Abort(.internalServerError, reason: "cannot write the checkpoint file \(path): errno \(errno)")
        }
    }

    /// The checkpoints as found, oldest first, and the objects passed over.
    struct Loaded: Sendable {
        var all: [AuditCheckpoint]
        /// Objects under the checkpoints' prefix that are not what the application wrote.
        var warnings: [String] = []

        /// The time of the latest accepted restore any checkpoint knows of.
        var acceptedAt: String? {
            all.compactMap { $0.accepts != nil ? $0.at : $0.since }.max()
        }

        /// What is held against the chain: everything from the latest accepted restore on.
        var sinceLastAcceptance: [AuditCheckpoint] {
            guard let acceptedAt else { return all }
            return all.filter { $0.at >= acceptedAt }
        }

        var latest: AuditCheckpoint? { all.last }
    }

    /// Every sealed line of the checkpoint file, the last line of the audit
    /// file (an entry as the application wrote it, sealed, is a checkpoint
    /// of itself, which covers the entries since the last checkpoint), and
    /// the newest sealed checkpoint of the bucket.
    func load(sealedBy seal: RecordSeal) async throws -> Loaded {
        var found: [AuditCheckpoint] = []
        if let filePath, let data = FileManager.default.contents(atPath: filePath) {
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                if let checkpoint = (try? JSONParser.parse(Data(line.utf8))).flatMap(AuditCheckpoint.init(json:)),
                    checkpoint.isSealed(by: seal)
                {
                    found.append(checkpoint)
                }
            }
        }
        if let auditFilePath, let line = RotatingFile.lastLine(of: auditFilePath),
            let entry = try? JSONParser.parse(Data(line.utf8)), let seq = entry["seq"]?.number, let hash = entry["hash"]?.string,
            let at = entry["at"]?.string,
            seal.check(RecordSeal.auditEntry(seq: Int64(seq), hash: hash), keyID: entry["keyId"]?.string, mac: entry["mac"]?.string)
                == .valid
        {
            found.append(AuditCheckpoint(entry: Int64(seq), hash: hash, at: at))
        }
        var warnings: [String] = []
        if let store {
            let newest = try await store.latest(sealedBy: seal)
            found += newest.checkpoint.map { [$0] } ?? []
            warnings = newest.passedOver
        }
        var unique: [String: AuditCheckpoint] = [:]
        for checkpoint in found { unique["\(checkpoint.at) \(checkpoint.seq)"] = checkpoint }
        return Loaded(all: unique.values.sorted { ($0.at, $0.seq) < ($1.at, $1.seq) }, warnings: warnings)
    }
}

/// The checkpoints' objects in the documents' bucket, named by time and
/// entry, so that the newest sorts last.
struct S3Checkpoints: Sendable {
    static let prefix = "audit-checkpoints/"
    let storage: S3Client
    let lockDays: Int

    static func key(_ checkpoint: AuditCheckpoint) -> String {
        prefix + checkpoint.at.filter { $0 != "-" && $0 != ":" } + "-" + String(format: "%020lld", checkpoint.seq) + ".json"
    }

    func put(_ checkpoint: AuditCheckpoint) async throws {
        var headers = ["content-type": "application/json"]
        if lockDays > 0 {
            headers["x-amz-object-lock-mode"] = "COMPLIANCE"
            headers["x-amz-object-lock-retain-until-date"] = AuditLog.timestamp(Date().addingTimeInterval(Double(lockDays) * 86_400))
        }
        try await storage.put(Self.key(checkpoint), body: JSONSerializer.data(checkpoint.jsonValue), headers: headers)
    }

    /// The newest object that is a checkpoint sealed with a known key and
    /// stored under its own name, and what was passed over on the way: an
    /// object not sealed, or a checkpoint copied under a newer name. Those
    /// are said, not held against the chain: whoever can put objects cannot
    /// seal one, nor delete the locked checkpoints, so skipping them hides
    /// nothing, and a planted object cannot make verification fail for years.
    func latest(sealedBy seal: RecordSeal) async throws -> (checkpoint: AuditCheckpoint?, passedOver: [String]) {
        var passedOver: [String] = []
        for key in try await storage.keys(prefix: Self.prefix).sorted(by: >) {
            guard let checkpoint = (try? JSONParser.parse(try await storage.get(key))).flatMap(AuditCheckpoint.init(json:)),
                checkpoint.isSealed(by: seal)
            else {
                passedOver.append("\(key) in the bucket is not a sealed checkpoint: it was not written by the application")
                continue
            }
            guard Self.key(checkpoint) == key else {
                passedOver.append("\(key) in the bucket is the checkpoint of entry \(checkpoint.seq) at \(checkpoint.at), copied there")
                continue
            }
            return (checkpoint, passedOver)
        }
        return (nil, passedOver)
    }
}
