import Foundation
import NIOConcurrencyHelpers
import PostgresKit
import SQLKit

/// The reads in plain SQL as named prepared statements on PostgreSQL (ADR 019).
///
/// Without them every query is parsed and planned anew: at 200 users
/// PostgreSQL spent twice as long planning the queries as running them
/// (`pg_stat_statements`; a session's look-up took 0.16 ms to plan and 0.02 ms
/// to run). A prepared statement is
/// planned once per connection, and PostgreSQL keeps a generic plan when it
/// is no worse than the custom ones.
///
/// PostgresNIO prepares a statement once on each connection and names it by
/// a type (`PostgresPreparedStatement`). Each distinct statement (SQL text and
/// bind types) gets a number here at its first use, for the life of the
/// process, and that number is spelled as a type (`Prepared<…>`), one bit per
/// level; `name`, `sql` and the bind types are read from the number. Only
/// `SELECT`s outside a transaction are prepared (not a page past the first), at most `capacity`
/// statements; any other statement, one past the capacity, or a bind value
/// PostgresNIO cannot encode directly runs unprepared as before.
enum PreparedStatements {
    /// Distinct statements prepared per process; a read past them runs unprepared. Every length of an `IN (…)`
    /// list is a statement of its own.
    static let capacity = 4_095

    private static let registry = NIOLockedValueBox(StatementRegistry(capacity: capacity))

    /// The number of `sql` with binds of `types`, given at its first use; nil for a statement that is not a read,
    /// or once `capacity` statements have numbers (said once in the log). Every caller, however many at once,
    /// gets the same number for the same statement.
    static func number(for sql: String, types: [PostgresDataType], logger: Logger) -> Int? {
        let (number, filled) = registry.withLockedValue { registry in
            let full = registry.isFull
            return (registry.number(for: .init(sql: sql, types: types)), !full && registry.isFull)
        }
        if filled {
            logger.warning("\(capacity) prepared statements: the reads not prepared yet will run unprepared (ADR 019)")
        }
        return number
    }

    /// The statement of a number `number(for:types:logger:)` gave.
    static func statement(_ number: Int) -> StatementRegistry.Statement {
        registry.withLockedValue { $0.statements[number] }
    }

    /// The statement's name on every connection.
    static func name(_ number: Int) -> String { "cleanstation_\(number)" }

    /// `binds` as PostgresKit's SQL database encodes them (`PostgresEncodable` values and NULL, with the default
    /// context that `configure` gives PostgresKit too), and their types (fixed when a statement is prepared); nil
    /// when one of them would need PostgresKit's slower `Encodable` path.
    static func bindings(_ binds: [any Encodable & Sendable]) -> (PostgresBindings, [PostgresDataType])? {
        var bindings = PostgresBindings(capacity: binds.count)
        var types: [PostgresDataType] = []
        for bind in binds {
            guard let type = append(bind, to: &bindings) else { return nil }
            types.append(type)
        }
        return (bindings, types)
    }

    private static func append<T: Encodable>(_ value: T, to bindings: inout PostgresBindings) -> PostgresDataType? {
        let present: Any
        if let optional = value as? any OptionalValue {
            guard let wrapped = optional.wrapped else {
                // PostgresKit sends a NULL of the wrapped type where that type is `PostgresDataConvertible` (UUID,
                // text, numbers, dates), so PostgreSQL knows the type of `$1 IS NULL`; for any other wrapped type it
                // sends an untyped NULL, where this one is typed: only more queries are valid.
                guard let type = optional.wrappedType else { return nil }
                bindings.append(PostgresData(type: type, value: nil))
                return type
            }
            present = wrapped
        } else {
            present = value
        }
        guard let encodable = present as? any PostgresThrowingDynamicTypeEncodable,
            (try? bindings.append(encodable, context: .default)) != nil
        else { return nil }
        return encodable.psqlType
    }

    /// Runs statement `number` with `bindings` on `connection`, preparing it there on its first use, and hands each
    /// row to `onRow` as it arrives. PostgresNIO keeps a failed preparation for the connection's life, and answers
    /// every later use of the name with its error: after an error the connection is closed, and the pool opens
    /// another.
    static func run(
        _ number: Int, _ bindings: PostgresBindings, on connection: PostgresConnection, logger: Logger,
        _ onRow: (PostgresRow) -> Void
    ) async throws {
        do {
            try await Spelling.run(
                One.self, number: number, bit: number.bitWidth - number.leadingZeroBitCount - 2, bindings, connection, logger, onRow)
        } catch let error as PSQLError {
            try? await connection.close()
            throw error
        }
    }
}

/// The numbers of statements: 1 for the first, and so on, up to `capacity`; reads only. A statement is its SQL
/// text and its binds' types, as PostgreSQL fixes the types when it prepares: a text bound once with a number and
/// once with a text is two statements.
struct StatementRegistry {
    struct Statement: Hashable {
        var sql: String
        var types: [PostgresDataType]
    }

    let capacity: Int
    private var numbers: [Statement: Int] = [:]
    /// Numbers start at 1, as a type spells them with a leading bit.
    private(set) var statements: [Statement] = [.init(sql: "", types: [])]

    init(capacity: Int) { self.capacity = capacity }

    var isFull: Bool { statements.count > capacity }

    mutating func number(for statement: Statement) -> Int? {
        if let number = numbers[statement] { return number }
        guard !isFull, Self.isPreparable(statement.sql) else { return nil }
        statements.append(statement)
        numbers[statement] = statements.count - 1
        return statements.count - 1
    }

    /// A `SELECT`, and not a page past the first. Writes and DDL run once or seldom, and a `WITH` may write.
    /// SQLKit writes `LIMIT` and `OFFSET` as numbers in the text: every page of a list would be a statement of its
    /// own, and one person paging through the orders could fill the registry.
    /// It runs before every read, on the text's bytes: Foundation's string search here took 1.4 % of the instance's
    /// CPU under load.
    static func isPreparable(_ sql: String) -> Bool {
        var sql = sql
        return sql.withUTF8(isPreparable(bytes:))
    }

    private static func isPreparable(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = bytes.firstIndex(where: { !isSpace($0) }), bytes.count - start >= 6,
            zip(bytes[start..<start + 6], "SELECT".utf8).allSatisfy({ $0 & ~0x20 == $1 })
        else { return false }
        let offset = Array("OFFSET ".utf8)
        var index = start
        while index + offset.count < bytes.count {
            if bytes[index..<index + offset.count].elementsEqual(offset),
                (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(bytes[index + offset.count])
            {
                return false
            }
            index += 1
        }
        return true
    }

    /// SQL's white space before a statement's first word.
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (UInt8(ascii: "\t")...UInt8(ascii: "\r")).contains(byte)
    }
}

/// A row of a prepared read. The column types the reads use (text, UUID, integer, time, boolean, double) are
/// decoded by PostgresNIO directly; PostgresKit's row, which decodes every other type, first builds a coding path
/// for each column of each row and asks the runtime for the type's conformance. Decoding rows took 5.3 % of the
/// instance's samples under load through PostgresKit's row, and 3.9 % with this one (issue 20). A column PostgresKit reads with a workaround (a Fluent enum's type, `numeric`) goes
/// to PostgresKit's row, as does a column that is not there.
struct PreparedRow: SQLRow {
    let row: PostgresRow
    private let columns: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row
        columns = row.makeRandomAccess()
    }

    var allColumns: [String] { columns.map(\.columnName) }

    func contains(column: String) -> Bool { columns.contains(column) }

    func decodeNil(column: String) throws -> Bool { !columns.contains(column) || columns[column].bytes == nil }

    func decode<T: Decodable>(column: String, as type: T.Type) throws -> T {
        if columns.contains(column) {
            let cell = columns[column]
            if !cell.dataType.isUserDefined, cell.dataType != .numeric, let value = try Self.direct(cell, as: T.self) {
                return value
            }
        }
        return try row.sql().decode(column: column, as: T.self)
    }

    /// `cell` as `T` when `T` is one of the types decoded directly; nil for any other type.
    private static func direct<T>(_ cell: PostgresCell, as type: T.Type) throws -> T? {
        func value<V: PostgresDecodable>(_ type: V.Type) throws -> T { try cell.decode(V.self) as! T }
        return switch ObjectIdentifier(T.self) {
        case ObjectIdentifier(String.self): try value(String.self)
        case ObjectIdentifier(String?.self): try value(String?.self)
        case ObjectIdentifier(UUID.self): try value(UUID.self)
        case ObjectIdentifier(UUID?.self): try value(UUID?.self)
        case ObjectIdentifier(Int.self): try value(Int.self)
        case ObjectIdentifier(Int?.self): try value(Int?.self)
        case ObjectIdentifier(Date.self): try value(Date.self)
        case ObjectIdentifier(Date?.self): try value(Date?.self)
        case ObjectIdentifier(Bool.self): try value(Bool.self)
        case ObjectIdentifier(Bool?.self): try value(Bool?.self)
        case ObjectIdentifier(Double.self): try value(Double.self)
        case ObjectIdentifier(Double?.self): try value(Double?.self)
        default: nil
        }
    }
}

/// A bind that is an `Optional`, opened whatever it wraps.
private protocol OptionalValue {
    var wrapped: Any? { get }
    /// The PostgreSQL type of the wrapped type, when it has one.
    var wrappedType: PostgresDataType? { get }
}

extension Optional: OptionalValue {
    var wrapped: Any? { self.map { $0 } }
    var wrappedType: PostgresDataType? { (Wrapped.self as? any PostgresEncodable.Type)?.psqlType }
}

/// A statement number as a type: `One`, then one `Twice` or `TwicePlusOne` per further bit.
protocol StatementNumber {
    static var value: Int { get }
}

enum One: StatementNumber {
    static var value: Int { 1 }
}

enum Twice<Rest: StatementNumber>: StatementNumber {
    static var value: Int { Rest.value << 1 }
}

enum TwicePlusOne<Rest: StatementNumber>: StatementNumber {
    static var value: Int { Rest.value << 1 | 1 }
}

/// Statement `Number.value` of `PreparedStatements`, its rows left as PostgreSQL sent them.
struct Prepared<Number: StatementNumber>: PostgresPreparedStatement {
    static var name: String { PreparedStatements.name(Number.value) }
    static var sql: String { PreparedStatements.statement(Number.value).sql }
    /// As the unprepared query sends them; PostgreSQL would otherwise infer them, and could take a UUID for text.
    static var bindingDataTypes: [PostgresDataType] { PreparedStatements.statement(Number.value).types }
    typealias Row = PostgresRow
    let bindings: PostgresBindings

    func makeBindings() -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}

private enum Spelling {
    /// Spells the type of `number` from its bits at `bit` and below, most significant first, then runs it.
    static func run<Number: StatementNumber>(
        _ type: Number.Type, number: Int, bit: Int, _ bindings: PostgresBindings, _ connection: PostgresConnection,
        _ logger: Logger, _ onRow: (PostgresRow) -> Void
    ) async throws {
        guard bit >= 0 else {
            for try await row in try await connection.execute(Prepared<Number>(bindings: bindings), logger: logger) { onRow(row) }
            return
        }
        if number & (1 << bit) != 0 {
            return try await run(TwicePlusOne<Number>.self, number: number, bit: bit - 1, bindings, connection, logger, onRow)
        }
        return try await run(Twice<Number>.self, number: number, bit: bit - 1, bindings, connection, logger, onRow)
    }
}
