import CoreRecon
import Foundation

/// Stream event payloads as SQLite stores them: zstd frames compressed with a dictionary built into corerecon.
///
/// A payload is CoreRecon's own summary of an alert or incident (about 500 bytes of JSON with the same keys every
/// time), so one dictionary trained on such payloads (`scripts/train-event-dictionary`) serves every database
/// and takes a payload to about 100 bytes. A frame names its dictionary by id; payloads stored as text by releases
/// before this read as text. PostgreSQL stores the text.
enum EventDictionary {
    static let all: [ZstdDictionary] = embedded.compactMap { text in
        Data(base64Encoded: text, options: .ignoreUnknownCharacters).flatMap { ZstdDictionary(bytes: Array($0)) }
    }

    /// The stored form of each of `payloads`.
    static func encode(_ payloads: [String]) throws -> [Data] {
        try ZstdFrames.compress(payloads.map { Array($0.utf8) }, with: all.last)
    }

    /// The payload text of a stored frame, or of text stored as it was.
    static func decode(_ stored: [UInt8]) throws -> String {
        guard ZstdFrames.isFrame(stored) else { return String(decoding: stored, as: UTF8.self) }
        let id = ZstdFrames.dictionaryID(stored)
        guard id == 0 || all.contains(where: { $0.id == id }) else {
            throw CoreReconError.failed(
                "a stream event needs zstd dictionary \(id), which this corerecon does not have (a newer one wrote it)."
            )
        }
        return String(decoding: try ZstdFrames.decompress(stored, with: all.first { $0.id == id }), as: UTF8.self)
    }
}
