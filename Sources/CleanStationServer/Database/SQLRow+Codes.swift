import Foundation
import SQLKit

extension SQLRow {
    /// A column holding one of an enumeration's raw values; any other text is an error naming the column.
    func code<T: RawRepresentable<String>>(_ column: String, as type: T.Type = T.self) throws -> T {
        let text = try decode(column: column, as: String.self)
        guard let code = T(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(column) \(text) is not known"))
        }
        return code
    }

    /// As `code(_:as:)`, for a column that may be NULL.
    func optionalCode<T: RawRepresentable<String>>(_ column: String, as type: T.Type = T.self) throws -> T? {
        try decode(column: column, as: String?.self) == nil ? nil : code(column, as: T.self)
    }
}
