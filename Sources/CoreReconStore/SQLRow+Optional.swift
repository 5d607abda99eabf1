import SQLKit

extension SQLRow {
    /// The column's value, nil when it is NULL: `decode(column:as: T?.self)` without the drivers' `Decodable`
    /// path for optionals (a nested decoder and generic metadata per value; a fifth of a list's time).
    func decodeOptional<T: Decodable>(column: String, as type: T.Type) throws -> T? {
        try decodeNil(column: column) ? nil : decode(column: column, as: type)
    }
}
