import Foundation
import SQLKit

extension SQLQueryString {
    /// `"SELECT \(columns: …) FROM …"`: column names as one list, each in double quotes, for the reads in plain
    /// SQL; the same on PostgreSQL and SQLite, without SQLKit's escaping of each name. The names are the models'
    /// constants, never input.
    mutating func appendInterpolation(columns: [String]) {
        appendInterpolation(unsafeRaw: columns.map { "\"\($0)\"" }.joined(separator: ", "))
    }
}

extension SQLRow {
    /// A column holding one of an enumeration's raw values; any other text is an error naming the column.
    func code<T: RawRepresentable<String>>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let code = try optionalCode(column, as: T.self) else {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: [], debugDescription: "\(column) is NULL"))
        }
        return code
    }

    /// As `code(_:as:)`, for a column that may be NULL.
    func optionalCode<T: RawRepresentable<String>>(_ column: String, as type: T.Type = T.self) throws -> T? {
        guard let text = try decode(column: column, as: String?.self) else { return nil }
        guard let code = T(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(column) \(text) is not known"))
        }
        return code
    }
}
