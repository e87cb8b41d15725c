import Fluent
import Foundation
import SQLKit

/// Backup codes hashed with a salt (issue 17). The codes themselves are
/// not known, so each stored SHA-256 is wrapped under a salt of its own,
/// exactly as a new code is stored (`BackupCode.salted`).
struct SaltBackupCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { transaction in
            let sql = transaction as! any SQLDatabase
            let rows = try await sql.select().columns("id", "code_hash").from(BackupCode.schema).all()
            for row in rows {
                let stored = try row.decode(column: "code_hash", as: String.self)
                guard !stored.hasPrefix("s1$") else { continue }
                try await sql.update(BackupCode.schema).set("code_hash", to: BackupCode.salted(plainDigest: stored))
                    .where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
            }
        }
    }

    /// A salted digest cannot be unwrapped: the codes stay salted.
    func revert(on database: any Database) async throws {}
}
