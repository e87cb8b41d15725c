import Fluent
import Foundation
import PostgresKit
import SQLKit
import Testing

@testable import CleanStationServer

/// ADR 019: on PostgreSQL the reads run as named prepared statements, planned once per connection.
@Suite struct PreparedStatementsTests {
    typealias Statement = StatementRegistry.Statement

    @Test func aStatementKeepsItsNumberAndOnlyReadsGetOne() {
        var registry = StatementRegistry(capacity: 3)
        let read = Statement(sql: "SELECT 1 WHERE $1", types: [.bool])
        #expect(registry.number(for: read) == 1)
        #expect(registry.number(for: .init(sql: "\n  with x AS (SELECT 1) SELECT * FROM x", types: [])) == 2)
        #expect(registry.number(for: read) == 1, "the same statement, the same number")
        // The same text first bound with a NULL: PostgreSQL would infer the type, so it is another statement.
        #expect(registry.number(for: .init(sql: read.sql, types: [.null])) == 3)
        for write in ["INSERT INTO t VALUES (1)", "UPDATE t SET a = 1", "DELETE FROM t", "CREATE TABLE t (a int)", "SET x = 1"] {
            #expect(registry.number(for: .init(sql: write, types: [])) == nil, "\(write)")
        }
        #expect(registry.number(for: .init(sql: "SELECT 2", types: [])) == nil, "past the capacity a read runs unprepared")
        #expect(registry.number(for: read) == 1, "a numbered statement keeps its number past the capacity")
        #expect(registry.statements.map(\.sql) == ["", read.sql, "\n  with x AS (SELECT 1) SELECT * FROM x", read.sql])
    }

    /// Twenty requests meet a new read at once: one number for it, and a number of its own for each other read.
    @Test func twentyAtOnceGetOneNumberPerStatement() async {
        let text = "SELECT \(UUID().uuidString.debugDescription) AS tag WHERE $1"
        let numbers = await withTaskGroup(of: (Int?, Int?).self) { group in
            for index in 0..<20 {
                group.addTask {
                    (
                        PreparedStatements.number(for: text, types: [.uuid]),
                        PreparedStatements.number(for: text + " AND \(index) = \(index)", types: [.uuid])
                    )
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(numbers.map(\.0)).count == 1)
        #expect(Set(numbers.map(\.1)).count == 20)
        #expect(Set(numbers.map(\.1)).isDisjoint(with: [numbers[0].0]))
        for number in numbers.compactMap(\.0) { #expect(PreparedStatements.statement(number).sql == text) }
    }

    @Test func bindsAreEncodedAsPostgresKitEncodesThemOrNotAtAll() throws {
        struct Tag: Codable { var name: String }
        let (_, types) = try #require(PreparedStatements.bindings([UUID(), "text", 7, Date(), true, UUID?.none, Optional(3)]))
        #expect(types == [.uuid, .text, .int8, .timestamptz, .bool, .uuid, .int8], "a NULL keeps its type")
        #expect(PreparedStatements.bindings([UUID(), Tag(name: "a")]) == nil, "a value for the Encodable path: unprepared")
    }

    /// On PostgreSQL a read is prepared once on its connection, under the name its number gives, and answers as
    /// the unprepared read does; with `DATABASE_PREPARED_STATEMENTS` off nothing is prepared.
    @Test(arguments: [true, false]) func readsArePreparedOncePerConnection(_ prepares: Bool) async throws {
        guard TestDatabase.all.contains(.postgres), !TestDatabase.behindPgBouncer else { return }
        try await withTestApp(.postgres, adjust: { $0.databasePreparedStatements = prepares }) { app in
            let id = UUID()
            let date = Date(timeIntervalSince1970: 1_765_000_000.25)
            let tag = "prepared-\(UUID().uuidString)"  // in the SQL text, to find its statements
            @Sendable func read(_ sql: any SQLDatabase, _ value: UUID?) async throws -> [String] {
                let rows = try await sql.raw(
                    """
                    SELECT \(unsafeRaw: "'\(tag)'") AS tag, \(bind: value) AS id, \(bind: date) AS at, \(bind: 41) + 1 AS n,
                      \(bind: value) IS NULL AS missing
                    """
                ).all()
                return try rows.map { row in
                    [
                        try row.decode(column: "tag", as: String.self), try row.decode(column: "id", as: UUID?.self)?.uuidString ?? "-",
                        "\(try row.decode(column: "at", as: Date.self).timeIntervalSince1970)",
                        "\(try row.decode(column: "n", as: Int.self))",
                        "\(try row.decode(column: "missing", as: Bool.self))",
                    ].joined(separator: "|")
                }
            }
            @Sendable func text(_ sql: any SQLDatabase, _ value: any Encodable & Sendable) async throws -> String {
                try await sql.raw("SELECT \(bind: value)::text AS v, \(unsafeRaw: "'\(tag)'") AS tag").first()!.decode(
                    column: "v", as: String.self)
            }
            // One connection, three rounds: each read is prepared in the first.
            let (answers, prepared) = try await app.db.withConnection { connection in
                connection.eventLoop.makeFutureWithTask {
                    let sql = connection as! any SQLDatabase
                    var answers: [String] = []
                    for _ in 0..<3 {
                        answers += try await read(sql, id) + read(sql, nil) + [text(sql, 5), text(sql, "5")]
                    }
                    let prepared = try await sql.raw("SELECT name, statement FROM pg_prepared_statements").all().map {
                        (try $0.decode(column: "name", as: String.self), try $0.decode(column: "statement", as: String.self))
                    }
                    return (answers, prepared)
                }
            }.get()
            let round = ["\(tag)|\(id.uuidString)|1765000000.25|42|false", "\(tag)|-|1765000000.25|42|true", "5", "5"]
            #expect(answers == round + round + round)
            let ours = prepared.filter { $0.1.contains(tag) }
            if prepares {
                // A NULL keeps its type, so both reads are one statement; the text bound with a number and with a
                // text are two.
                #expect(ours.count == 3, "each statement prepared once: \(ours)")
                for (name, statement) in ours {
                    let number = try #require(Int(name.dropFirst("cleanstation_".count)))
                    #expect(name == PreparedStatements.name(number) && statement == PreparedStatements.statement(number).sql)
                }
            } else {
                #expect(prepared.isEmpty)
            }
        }
    }
}
