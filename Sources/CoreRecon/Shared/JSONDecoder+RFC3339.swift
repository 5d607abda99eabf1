import Foundation

extension JSONDecoder {
    /// A decoder that reads times as RFC 3339 text, with or without fractional seconds (Foundation's `.iso8601`
    /// refuses fractions), as the API writes them.
    public static func rfc3339() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = TimestampParser.iso8601(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not an RFC 3339 timestamp (2026-11-25T08:00:00Z).")
            }
            return date
        }
        return decoder
    }
}

extension JSONEncoder {
    /// An encoder that writes times as RFC 3339 text with milliseconds, as the API does.
    public static func rfc3339Encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601Format.string(from: date))
        }
        return encoder
    }
}
