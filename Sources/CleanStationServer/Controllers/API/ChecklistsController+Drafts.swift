import CleanStationCore
import Fluent
import Vapor

/// Drafts of a checklist, kept as they are entered, one revision at a time.
extension ChecklistsController {
    static func draft(_ request: Request) async throws -> DraftView {
        try await draft(of: try await target(request, on: request.db), on: request.db)
    }

    /// The draft of a target already resolved.
    static func draft(of target: Target, on database: any Database) async throws -> DraftView {
        let draft = try await ChecklistDraft.query(on: database).filter(\.$build.$id == target.build.requireID())
            .filter(\.$kind == target.kind).first()
        return try await draftView(draft, target: target, on: database)
    }

    static func saveDraft(_ request: Request) async throws -> DraftView {
        try await saveDraft(request, try submission(request, signing: false))
    }

    /// Saves `submission` as the draft of the checklist the path names.
    static func saveDraft(_ request: Request, _ submission: Submission) async throws -> DraftView {
        let (principal, submission, target, evaluation) = try await prepare(request, submission, signing: false)
        let instrument = try await instrument(submission.instrumentID, for: target.instance, on: request.db, signing: false)
        _ = try await photos(of: evaluation, order: target.order, on: request.db)
        let now = Date()
        let draft = try await request.db.transaction { transaction in
            let current = try await locked(target, by: principal, signing: false, on: transaction, now: now)
            let draft = try await editDraft(of: current, by: principal.userID, expecting: submission.revision, on: transaction, now: now) {
                $0.answers = evaluation.answers.map(\.draftValue)
                $0.instrument = instrument?.id
            }
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "checklist_draft", resourceID: "\(target.build.buildNumber)/\(target.kind.pathName)",
                    newValue: .object([
                        JSONMember("answered", .number(Double(evaluation.answers.filter { $0.value != nil || $0.na }.count))),
                        JSONMember("instrument", instrument.map { .string($0.tag) } ?? .null),
                        JSONMember("revision", .number(Double(draft.revision))),
                    ])),
                actor: request.auditActor, on: transaction, now: now)
            return draft
        }
        return try await draftView(draft, target: target, on: request.db)
    }

    /// A draft's content as an edit sees it.
    struct DraftContent {
        var answers: [JSONValue]
        var instrument: UUID?

        /// Sets one answer's member (`value`, `photos`…), adding the answer when the item has none.
        mutating func set(_ itemID: String, _ key: String, to value: JSONValue?) {
            let index = answers.firstIndex { $0["itemId"]?.string == itemID }
            let answer = (index.map { answers[$0] } ?? .object([JSONMember("itemId", .string(itemID))])).setting([.key(key)], to: value)
            if let index { answers[index] = answer } else { answers.append(answer) }
        }

        func answer(_ itemID: String) -> JSONValue? { answers.first { $0["itemId"]?.string == itemID } }
    }

    /// Changes the draft of a pinned checklist under the order's lock, one
    /// revision further. With `expecting`, a draft changed since that
    /// revision is not overwritten (409): two devices, or a page and a task
    /// checked off, do not undo each other's work. Refused once the
    /// checklist is signed PASS in this round.
    @discardableResult
    static func editDraft(
        of target: Target, by userID: UUID, expecting revision: Int? = nil, on transaction: any Database, now: Date,
        _ edit: (inout DraftContent) throws -> Void
    ) async throws -> ChecklistDraft {
        let existing = try await ChecklistDraft.query(on: transaction).filter(\.$build.$id == target.build.requireID())
            .filter(\.$kind == target.kind).first()
        if let revision, revision != (existing?.revision ?? 0) {
            throw APIError(
                .conflict, "DRAFT_CHANGED",
                "The \(target.kind.rawValue) draft of \(target.build.buildNumber) changed since revision \(revision) (it is at \(existing?.revision ?? 0)): reload it."
            )
        }
        if existing == nil, try await signedPassThisRound(target, on: transaction) {
            throw APIError(
                .conflict, "INVALID_TRANSITION",
                "The \(target.kind.rawValue) checklist of \(target.build.buildNumber) is signed PASS for this round; a correction is signed anew."
            )
        }
        var content = DraftContent(
            answers: try existing.map { try JSONParser.parse($0.answers).array } ?? [], instrument: existing?.$instrument.id)
        try edit(&content)
        let draft = existing ?? ChecklistDraft()
        draft.$build.id = try target.build.requireID()
        draft.kind = target.kind
        draft.$template.id = try target.template.requireID()
        draft.answers = JSONSerializer.string(.array(content.answers))
        draft.$instrument.id = content.instrument
        draft.revision = (existing?.revision ?? 0) + 1
        draft.$updatedBy.id = userID
        draft.updatedAt = now
        try await draft.save(on: transaction)
        return draft
    }

    /// Whether the build's result of this kind that counts in its current round is a PASS.
    static func signedPassThisRound(_ target: Target, on database: any Database) async throws -> Bool {
        // The round and its signings are all it takes: the history and the sealed entries, not the build's
        // nonconformances or outsourced lines (a failure accepted as it is stays a FAIL here, as it was signed).
        let orderID = try target.order.requireID()
        async let historyRead = OrderHistoryEntry.of(order: orderID, on: database)
        let signed = try await SignedResults.of(builds: [target.build.buildNumber], on: database)
        let records = BuildRecords(history: try await historyRead, signed: signed, outsourced: [], reports: [], steps: [])
        return records.current(target.kind, of: target.build.buildNumber)?.outcome == .pass
    }

    /// A checklist's draft: the answers in the API's answer shape, as they were saved.
    struct DraftView: APIResponse {
        var templateVersion: Int
        /// 0 before the first save; a save that names an older revision is refused.
        var revision: Int
        var answers: [JSONValue]
        /// The instrument's tag.
        var instrumentId: String?
        var updatedBy: String?
        var updatedAt: String?

        static let example = DraftView(
            templateVersion: 2, revision: 3,
            answers: [
                .object([
                    JSONMember("itemId", "drain-test"), JSONMember("value", false), JSONMember("note", "Slow drain on basin 1"),
                    JSONMember("photos", ["7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"]),
                ])
            ], instrumentId: "FLOW-01", updatedBy: "Quinn Baker", updatedAt: "2026-12-06T09:30:00.000Z")
    }

    static func draftView(_ draft: ChecklistDraft?, target: Target, on database: any Database) async throws -> DraftView {
        let instrument = try await draft?.$instrument.id.asyncFlatMap { try await Instrument.find($0, on: database) }
        let editor = try await draft.asyncFlatMap { try await User.find($0.$updatedBy.id, on: database) }
        return DraftView(
            templateVersion: target.template.version, revision: draft?.revision ?? 0,
            answers: try draft.map { try JSONParser.parse($0.answers).array } ?? [], instrumentId: instrument?.tag,
            updatedBy: editor?.fullName, updatedAt: draft.map { AuditLog.timestamp($0.updatedAt) })
    }
}
