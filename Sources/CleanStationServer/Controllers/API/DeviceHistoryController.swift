import CleanStationCore
import Crypto
import Fluent
import Vapor

/// A shipped build's device history record (ADR 015): filed once, when the
/// build ships (or at its first download, when filing then failed), and
/// served from the document storage as it was filed.
enum DeviceHistoryController {
    /// `GET /api/v1/orders/{id}/builds/{build}/device-history`: the signed manifest (JSON).
    static func manifest(_ request: Request) async throws -> Response {
        let (build, filed) = try await filed(request)
        let bytes = try await stored(filed.manifestSHA256, request)
        try await exported(build, "manifest", request)
        return Response.download(bytes, type: "application/json", filename: "\(build.buildNumber)-device-history.json")
    }

    /// `GET /api/v1/orders/{id}/builds/{build}/device-history/pdf`: the PDF the manifest names.
    static func pdf(_ request: Request) async throws -> Response {
        let (build, filed) = try await filed(request)
        let bytes = try await stored(filed.pdfSHA256, request)
        try await exported(build, "pdf", request)
        return Response.download(bytes, type: "application/pdf", filename: "\(build.buildNumber)-device-history.pdf", inline: true)
    }

    private static func filed(_ request: Request) async throws -> (Build, DeviceHistoryRecord) {
        let build = try await OrdersController.build(request)
        if let refusal = OrderPolicy.refusal(.readDeviceHistory, role: try request.principal().role, facts: .init(status: build.status)) {
            throw APIError(refusal, naming: build.buildNumber)
        }
        return (
            build,
            try await DeviceHistory.filed(build.buildNumber, of: build.$order.id, app: request.application, actor: request.auditActor)
        )
    }

    /// The bytes as filed; bytes that no longer hash to what was filed are not served.
    private static func stored(_ sha256: String, _ request: Request) async throws -> Data {
        let bytes = try await request.application.documentStorage.read(sha256: sha256)
        guard SHA256.hash(data: bytes).hex == sha256 else {
            throw APIError(.internalServerError, "RECORD_ALTERED", "The stored device history record no longer matches what was filed.")
        }
        return bytes
    }

    private static func exported(_ build: Build, _ part: String, _ request: Request) async throws {
        try await AuditLog.recordExport(
            request, resourceType: "build", resourceID: build.buildNumber,
            details: [
                JSONMember("export", "device-history"), JSONMember("part", .string(part)),
                JSONMember("orderId", .string(build.$order.id.uuidString.lowercased())),
            ])
    }
}

extension DeviceHistory {
    /// The build's filed record; made, stored and filed first when there is
    /// none, under the order's lock (as every write of its records): of two
    /// at once, the second waits and finds the first one's record.
    static func filed(_ buildNumber: String, of orderID: UUID, app: Application, actor: AuditActor) async throws -> DeviceHistoryRecord {
        if let row = try await DeviceHistoryRecord.query(on: app.db).filter(\.$buildNumber == buildNumber).first() { return row }
        do {
            return try await file(buildNumber, of: orderID, app: app, actor: actor)
        } catch {
            // The unique build number is the last word where the order's lock is not taken (SQLite): the first filed stands.
            if let row = try await DeviceHistoryRecord.query(on: app.db).filter(\.$buildNumber == buildNumber).first() { return row }
            throw error
        }
    }

    private static func file(
        _ buildNumber: String, of orderID: UUID, app: Application, actor: AuditActor
    ) async throws -> DeviceHistoryRecord {
        try await app.db.transaction { transaction in
            try await OrdersController.lock(orderID, on: transaction)
            if let row = try await DeviceHistoryRecord.query(on: transaction).filter(\.$buildNumber == buildNumber).first() { return row }
            let now = Date()
            let (manifest, record) = try await gather(buildNumber, app: app, on: transaction, now: now)
            let files = try files(manifest, record, signer: app.recordSigner)
            let days = app.config.auditCheckpointLockDays
            try await app.documentStorage.store(record: files.manifest, sha256: files.manifestSHA256, lockedForDays: days)
            try await app.documentStorage.store(record: files.pdf, sha256: files.pdfSHA256, lockedForDays: days)
            let row = DeviceHistoryRecord(order: orderID, buildNumber: buildNumber, files: files, at: now)
            try await row.create(on: transaction)
            try await AuditLog.append(
                AuditEvent(
                    action: "FILE", resourceType: "build", resourceID: buildNumber,
                    newValue: .object([
                        JSONMember("record", "device-history"), JSONMember("manifestSha256", .string(files.manifestSHA256)),
                        JSONMember("pdfSha256", .string(files.pdfSHA256)), JSONMember("keyId", .string(files.keyID)),
                    ])),
                actor: actor, on: transaction, now: now)
            return row
        }
    }

    /// After builds shipped: their records are filed in the background, so
    /// that the shipment's answer does not wait for them, each on its own. One
    /// that fails (or a restart first) is logged, and filed at its first
    /// download or `cleanstation dhr export` instead, then with what happened
    /// since.
    static func fileAfterShipping(_ builds: [String], of orderID: UUID, _ request: Request) async {
        let app = request.application
        let actor = request.auditActor
        for build in builds {
            await app.backgroundWork.start("device history record of \(build)") {
                _ = try await filed(build, of: orderID, app: app, actor: actor)
            }
        }
    }
}
