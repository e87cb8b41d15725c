import Fluent
import Foundation
import Logging
import PostgresKit
import SQLKit
import Testing

@testable import CleanStationServer

/// ADR 019: on PostgreSQL the reads run as named prepared statements, planned once per connection.
@Suite struct PreparedStatementsTests {
    typealias Statement = StatementRegistry.Statement

    @Test func aStatementKeepsItsNumberAndOnlyReadsGetOne() {
        var registry = StatementRegistry(capacity: 3)
        let read = Statement(sql: "SELECT $1::text", types: [.int8])
        #expect(registry.number(for: .init(sql: "UPDATE t SET a = 1", types: [])) == nil, "a write, with room left")
        #expect(registry.number(for: read) == 1)
        #expect(registry.number(for: .init(sql: "\n  select 2", types: [])) == 2)
        #expect(registry.number(for: read) == 1, "the same statement, the same number")
        // The same text bound with a text: PostgreSQL fixes the types when it prepares, so it is another statement.
        #expect(registry.number(for: .init(sql: read.sql, types: [.text])) == 3)
        #expect(registry.isFull)
        #expect(registry.number(for: .init(sql: "SELECT 3", types: [])) == nil, "past the capacity a read runs unprepared")
        #expect(registry.number(for: read) == 1, "a numbered statement keeps its number past the capacity")
        #expect(registry.statements.map(\.sql) == ["", read.sql, "\n  select 2", read.sql])
    }

    @Test func onlySelectsAndFirstPagesArePrepared() {
        let others = [
            "INSERT INTO t VALUES (1)", "UPDATE t SET a = 1", "DELETE FROM t", "CREATE TABLE t (a int)", "SET x = 1",
            "WITH gone AS (DELETE FROM t RETURNING a) SELECT a FROM gone",
            // Every page past the first would be a statement of its own.
            "SELECT a FROM t ORDER BY a LIMIT 25 OFFSET 25", "SELECT a FROM t LIMIT 5 OFFSET 100",
            "SELECT a FROM t LIMIT 5 OFFSET 0 UNION SELECT a FROM u LIMIT 5 OFFSET 9", "", "  ", "SELEC", "\u{00A0}SELECT 1",
        ]
        for other in others { #expect(!StatementRegistry.isPreparable(other), "\(other)") }
        let reads = [
            "SELECT a FROM t ORDER BY a LIMIT 25 OFFSET 0", " \n select 1", "SELECT a FROM t LIMIT $1", "\tSeLeCt 1",
            "SELECT a FROM t OFFSET 0", "SELECT a FROM t OFFSET $1", "SELECT 'OFFSET x' FROM t", "SELECT a FROM t OFFSET ",
        ]
        for read in reads {
            #expect(StatementRegistry.isPreparable(read), "\(read)")
        }
    }

    /// Twenty requests meet a new read at once: one number for it, and a number of its own for each other read.
    @Test func twentyAtOnceGetOneNumberPerStatement() async {
        let text = "SELECT \(UUID().uuidString.debugDescription) AS tag WHERE $1"
        let numbers = await withTaskGroup(of: (Int?, Int?).self) { group in
            for index in 0..<20 {
                group.addTask {
                    (
                        PreparedStatements.number(for: text, types: [.uuid], logger: Logger(label: "test")),
                        PreparedStatements.number(for: text + " AND \(index) = \(index)", types: [.uuid], logger: Logger(label: "test"))
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

    @Test func bindsGetTheirPostgresTypesOrTakeTheUnpreparedPath() throws {
        struct Tag: Codable { var name: String }
        let (_, types) = try #require(PreparedStatements.bindings([UUID(), "text", 7, Date(), true, UUID?.none, Optional(3)]))
        #expect(types == [.uuid, .text, .int8, .timestamptz, .bool, .uuid, .int8], "a NULL keeps its type")
        #expect(PreparedStatements.bindings([UUID(), Tag(name: "a")]) == nil, "a value for the Encodable path: unprepared")
    }

    /// A prepared read's row decodes each column as PostgresKit's row does: the same value, or an error where it errs.
    @Test(.enabled(if: TestDatabase.all.contains(.postgres) && !TestDatabase.behindPgBouncer))
    func aPreparedRowDecodesAsPostgresKitsRowDoes() async throws {
        try await withTestApp(.postgres) { app in
            let postgres = try #require((app.db as? MeasuredDatabase)?.base as? any PostgresDatabase)
            // A type of its own, as a Fluent enum's: PostgresKit reads it as text, and so must this row.
            _ = try await postgres.query("DROP TYPE IF EXISTS prepared_row_mood").get()
            _ = try await postgres.query("CREATE TYPE prepared_row_mood AS ENUM ('calm')").get()
            let rows = try await postgres.query(
                """
                SELECT 'text'::text AS t, 'v'::varchar AS v, '7'::text AS seven, NULL::text AS tn,
                  'c2a1e5b8-3f1d-4b8e-9a55-0d1f2e3c4b5a'::uuid AS u, NULL::uuid AS un, 7::int2 AS i2, 8::int4 AS i4, 9::int8 AS i8,
                  NULL::int8 AS inull, '2026-12-07 10:00:00.25+00'::timestamptz AS at, '2026-12-07 10:00:00'::timestamp AS ts,
                  NULL::timestamptz AS atn, true AS b, NULL::boolean AS bn, 2.5::float8 AS d, 1.25::numeric AS n, ARRAY['a', 'b'] AS arr,
                  'calm'::prepared_row_mood AS mood
                """
            ).get().rows
            let row = try #require(rows.first)
            let ours = PreparedRow(row)
            let theirs = row.sql()
            func same<T: Decodable & Equatable>(_ column: String, _ type: T.Type) {
                let mine = Result { try ours.decode(column: column, as: T.self) }
                let kit = Result { try theirs.decode(column: column, as: T.self) }
                switch (mine, kit) {
                case (.success(let mine), .success(let kit)): #expect(mine == kit, "\(column) as \(T.self)")
                case (.failure(let mine), .failure(let kit)):
                    #expect("\(Swift.type(of: mine))" == "\(Swift.type(of: kit))", "\(column) as \(T.self): the same kind of error")
                default: Issue.record("\(column) as \(T.self): \(mine) against PostgresKit's \(kit)")
                }
            }
            #expect(ours.allColumns == theirs.allColumns)
            for column in ours.allColumns + ["missing"] {
                #expect(ours.contains(column: column) == theirs.contains(column: column))
                #expect(try ours.decodeNil(column: column) == theirs.decodeNil(column: column), "\(column)")
                same(column, String.self)
                same(column, String?.self)
                same(column, UUID.self)
                same(column, UUID?.self)
                same(column, Int.self)
                same(column, Int?.self)
                same(column, Date.self)
                same(column, Date?.self)
                same(column, Bool.self)
                same(column, Bool?.self)
                same(column, Double.self)
                same(column, Double?.self)
                same(column, Decimal?.self)
                same(column, [String]?.self)
            }
            #expect(try ours.decode(column: "n", as: Double.self) == 1.25, "numeric as a double, through PostgresKit's workaround")
            #expect(try ours.decode(column: "mood", as: String.self) == "calm", "an enum's type as text, through PostgresKit's workaround")
            #expect(try ours.decode(column: "at", as: Date.self).timeIntervalSince1970 == 1_796_637_600.25)
        }
    }

    /// On PostgreSQL a read is prepared once on its connection, under the name its number gives, and answers as
    /// the unprepared read does; with `DATABASE_PREPARED_STATEMENTS` off nothing is prepared.
    @Test(.enabled(if: TestDatabase.all.contains(.postgres) && !TestDatabase.behindPgBouncer), arguments: [true, false])
    func readsArePreparedOncePerConnection(_ prepares: Bool) async throws {
        // One connection per event loop, and one database (one loop): every statement below meets the same connection.
        try await withTestApp(.postgres, adjust: { ($0.databasePreparedStatements, $0.databasePoolSize) = (prepares, 1) }) { app in
            let database = app.db
            let sql = database as! any SQLDatabase
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
            // Three rounds: each read is prepared in the first.
            var answers: [String] = []
            for _ in 0..<3 {
                answers += try await read(sql, id) + read(sql, nil) + [text(sql, 5), text(sql, "5")]
            }
            let prepared = try await sql.raw("SELECT name, statement FROM pg_prepared_statements").all().map {
                (try $0.decode(column: "name", as: String.self), try $0.decode(column: "statement", as: String.self))
            }
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

            // In a transaction (or on a held connection) nothing is prepared: a read not run before, then the list.
            let inTransaction = try await database.transaction { transaction in
                transaction.eventLoop.makeFutureWithTask {
                    let sql = transaction as! any SQLDatabase
                    _ = try await sql.raw("SELECT 'in a transaction, \(unsafeRaw: tag)' AS v, \(bind: 1) AS n").all()
                    return try await sql.raw("SELECT statement FROM pg_prepared_statements").all().map {
                        try $0.decode(column: "statement", as: String.self)
                    }
                }
            }.get()
            #expect(inTransaction.count == prepared.count, "the same connection: what the reads outside prepared")
            #expect(!inTransaction.contains { $0.contains("in a transaction") })
        }
    }

    /// PostgresNIO answers every later use of a statement whose preparation failed with that error, for the
    /// connection's life: the connection is closed, and the next read of the statement, on another, succeeds.
    @Test(.enabled(if: TestDatabase.all.contains(.postgres) && !TestDatabase.behindPgBouncer))
    func aFailedPreparationClosesItsConnection() async throws {
        // One connection per event loop, and one database (one loop): the read meets the connection it failed on,
        // unless that was closed.
        try await withTestApp(.postgres, adjust: { $0.databasePoolSize = 1 }) { app in
            let sql = app.db as! any SQLDatabase
            let table = "later_\(UUID().uuidString.prefix(8).lowercased())"
            await #expect(throws: (any Error).self) { try await sql.raw("SELECT a FROM \(unsafeRaw: table)").all() }
            try await sql.raw("CREATE TABLE \(unsafeRaw: table) (a int)").run()
            for _ in 0..<3 {
                #expect(try await sql.raw("SELECT a FROM \(unsafeRaw: table)").all().isEmpty)
            }
        }
    }
}
