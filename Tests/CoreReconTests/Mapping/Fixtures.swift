import CoreRecon
import Foundation
import Testing

/// Loads the test fixtures under Tests/CoreReconTests/Fixtures/.
enum Fixtures {
    /// The bytes of `Fixtures/<path>`.
    static func data(_ path: String) throws -> Data {
        let url = try #require(Bundle.module.resourceURL?.appendingPathComponent("Fixtures/\(path)"))
        return try Data(contentsOf: url)
    }

    /// `Fixtures/<path>` parsed as one JSON value.
    static func json(_ path: String) throws -> JSONValue {
        try JSONParser.parse(try data(path))
    }

    /// Maps `Fixtures/<path>` with `format`'s mapper, as the normalizer would, and returns the result.
    static func map(_ path: String, as format: AlertFormat) throws -> MappedAlert {
        try format.mapper.map(FieldReader(try json(path)))
    }
}
