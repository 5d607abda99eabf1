import CoreRecon
import Foundation
import SQLKit
import Synchronization

/// How both backends store each alert's OCSF document: as a zstd frame, compressed with a dictionary trained on the
/// documents of the alert's own format.
///
/// Alerts of one format share most of their bytes (field names, the OCSF skeleton, the vendor's own keys in
/// `raw_data`), and a document is too small for zstd to learn them from itself: alone it halves a 3-KB
/// document; with a 64-KB dictionary trained on 200 of its kind it takes a tenth. Until a format has a
/// dictionary its documents are compressed without one. The documents of a format this process sees train its
/// dictionaries: a provisional one from the first `provisionalSamples` (a format a queue sees a few dozen times a
/// day would otherwise wait weeks), then the lasting one from the first `trainingSamples`. Each is stored in
/// `document_dictionaries` under the id zstd writes into each frame, with the count of documents that trained it;
/// new documents are compressed with the one trained on the most. Any process reads any frame: a dictionary it has
/// not loaded is read by id.
///
/// Older databases hold documents as JSON text, which reads as it always did; `corerecon migrate` converts them.
public final class DocumentCodec: Sendable {
    /// Documents of one format that train its lasting dictionary: more add little (measured on the four formats of
    /// `bench/generate_alerts.py`, 100 samples made as good a dictionary as 1,000).
    static let trainingSamples = 200
    /// Documents that train a format's provisional dictionary. Trained on 50, a dictionary compresses the
    /// formats of `../shared/data` to about a fifth of what no dictionary does, and twice the size the lasting
    /// one reaches (BENCHMARKS.md, "Storage").
    static let provisionalSamples = 50
    /// At most this many bytes of samples are held for a format (200 documents of a few KB take under 1 MB).
    static let trainingBytes = 8 << 20
    static let dictionaryCapacity = 64 << 10
    typealias Dictionary = ZstdDictionary

    struct State {
        var byID: [UInt32: Dictionary] = [:]
        /// The dictionary new documents of a format are compressed with: of those known, the one trained on the most.
        var byFormat: [String: Dictionary] = [:]
        /// How many documents trained each format's dictionary in `byFormat`.
        var trainedOn: [String: Int] = [:]
        /// Formats whose provisional dictionary this process has trained (or failed to).
        var provisionalTaken: Set<String> = []
        /// Documents of formats without a lasting dictionary yet, kept until there are enough to train one.
        var samples: [String: [[UInt8]]] = [:]
        var sampleBytes: [String: Int] = [:]
        /// When the table was last read, so a dictionary another process trained is found within a minute.
        var loadedAt: Date?

        /// Keeps `dictionary` for reading, and for compressing `format` when no known one was trained on more.
        mutating func adopt(_ dictionary: Dictionary, format: String, samples: Int) {
            byID[dictionary.id] = dictionary
            guard samples >= trainedOn[format, default: 0] else { return }
            byFormat[format] = dictionary
            trainedOn[format] = samples
        }
    }

    private let state = Mutex(State())
    /// The zstd level documents are compressed at (`database.compressionLevel`); reading does not depend on it.
    let level: Int32

    public init(level: Int32 = ZstdFrames.level) {
        self.level = level
    }

    static func decompress(_ frame: [UInt8], with dictionary: Dictionary?) throws -> String {
        String(decoding: try ZstdFrames.decompress(frame, with: dictionary), as: UTF8.self)
    }

    // MARK: - Writing

    /// Where the codec reads and stores dictionaries: a connection the caller holds (inside its transaction), or
    /// the database, from which a connection is taken only when needed, so compressing never holds one.
    enum Access {
        case connection(any SQLDatabase)
        case database(Database)

        func run<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
            switch self {
            case .connection(let sql): try await body(sql)
            case .database(let database): try await database.withConnection(body)
            }
        }
    }

    /// The stored form of each document, all of `format`.
    ///
    /// Reads the format's dictionaries while it has no lasting one (at most once a minute); trains and stores one
    /// once enough documents of the format have passed through here (``trainIfReady(format:adding:)``). Only those
    /// two steps use the database; compressing happens outside any connection.
    func encode(_ documents: [String], format: String, access: Access, now: Date) async throws -> [Data] {
        if state.withLock({ $0.trainedOn[format, default: 0] }) < Self.trainingSamples, refreshIsDue(now: now) {
            try await access.run { sql in try await refresh(on: sql) }
        }
        if let trained = try await trainIfReady(format: format, adding: documents) {
            try await access.run { sql in
                try await store(trained.dictionary, format: format, samples: trained.samples, on: sql, now: now)
            }
        }
        let dictionary = state.withLock { $0.byFormat[format] }
        return try ZstdFrames.compress(documents.map { Array($0.utf8) }, with: dictionary, level: level)
    }

    /// Adds `documents` to the format's samples while it has no lasting dictionary. Returns a dictionary trained
    /// from them, for the caller to store: the provisional one once there are `provisionalSamples` (and the format
    /// has none), the lasting one once there are `trainingSamples` or `trainingBytes` of them. Should another
    /// process store one meanwhile, all stay readable by id.
    private func trainIfReady(format: String, adding documents: [String]) async throws -> (
        dictionary: Dictionary, samples: Int
    )? {
        let ready: [[UInt8]]? = state.withLock { state in
            guard state.trainedOn[format, default: 0] < Self.trainingSamples else {
                // Another process (or `migrate`) stored the lasting dictionary: samples held for one go.
                state.samples[format] = nil
                return nil
            }
            guard state.sampleBytes[format, default: 0] < Self.trainingBytes else { return nil }
            for document in documents {
                guard state.samples[format, default: []].count < Self.trainingSamples,
                    state.sampleBytes[format, default: 0] < Self.trainingBytes
                else { break }
                let bytes = Array(document.utf8)
                state.samples[format, default: []].append(bytes)
                state.sampleBytes[format, default: 0] += bytes.count
            }
            let count = state.samples[format, default: []].count
            if count >= Self.trainingSamples || state.sampleBytes[format, default: 0] >= Self.trainingBytes {
                // Taken: a training failure is not retried on every batch.
                state.sampleBytes[format] = Self.trainingBytes
                return state.samples.removeValue(forKey: format)
            }
            guard count >= Self.provisionalSamples, state.trainedOn[format] == nil,
                state.provisionalTaken.insert(format).inserted
            else { return nil }
            return state.samples[format]
        }
        guard let ready, let dictionary = ZstdDictionary.train(ready, capacity: Self.dictionaryCapacity, level: level)
        else {
            return nil
        }
        return (dictionary, ready.count)
    }

    /// The dictionary of `format`: the one stored, or one trained from `samples` and stored. Nil when zstd cannot
    /// train one from them (too few, too alike).
    func dictionary(for format: String, samples: () async throws -> [String], on sql: any SQLDatabase, now: Date)
        async throws -> Dictionary?
    {
        _ = refreshIsDue(now: now)
        try await refresh(on: sql)
        if let known = state.withLock({ $0.byFormat[format] }) { return known }
        let texts = try await samples()
        guard texts.count >= Self.provisionalSamples,
            let dictionary = ZstdDictionary.train(
                texts.map { Array($0.utf8) }, capacity: Self.dictionaryCapacity, level: level)
        else { return nil }
        try await store(dictionary, format: format, samples: texts.count, on: sql, now: now)
        return dictionary
    }

    private func store(_ dictionary: Dictionary, format: String, samples: Int, on sql: any SQLDatabase, now: Date)
        async throws
    {
        try await sql.raw(
            """
            INSERT INTO document_dictionaries (id, format, created_at, samples, dictionary)
            VALUES (\(bind: Int64(dictionary.id)), \(bind: format), \(bind: now.milliseconds), \(bind: samples),
                \(bind: Data(dictionary.bytes)))
            ON CONFLICT (id) DO NOTHING
            """
        ).run()
        state.withLock { state in state.adopt(dictionary, format: format, samples: samples) }
    }

    // MARK: - Reading

    /// The JSON text of a stored document: a zstd frame (its dictionary read by id when not loaded yet) or text.
    func decode(_ stored: [UInt8], on sql: any SQLDatabase) async throws -> String {
        guard ZstdFrames.isFrame(stored) else { return String(decoding: stored, as: UTF8.self) }
        let id = ZstdFrames.dictionaryID(stored)
        var dictionary: Dictionary?
        if id != 0 {
            dictionary = state.withLock { $0.byID[id] }
            if dictionary == nil {
                try await load(id: id, on: sql)
                dictionary = state.withLock { $0.byID[id] }
            }
            guard dictionary != nil else {
                throw CoreReconError.failed(
                    "a stored document needs zstd dictionary \(id), which is not in the database.")
            }
        }
        return try Self.decompress(stored, with: dictionary)
    }

    // MARK: - The table

    /// Whether the table is to be read again (not in the last minute); when it is, marks it read now.
    private func refreshIsDue(now: Date) -> Bool {
        state.withLock { state in
            if let loaded = state.loadedAt, now.timeIntervalSince(loaded) < 60, now >= loaded { return false }
            state.loadedAt = now
            return true
        }
    }

    /// Reads every dictionary not loaded yet; of each format, the one trained on the most (the newest of those)
    /// compresses.
    private func refresh(on sql: any SQLDatabase) async throws {
        let known = state.withLock { Set($0.byID.keys) }
        let ids = try await sql.raw("SELECT id FROM document_dictionaries ORDER BY created_at, id").all().map {
            UInt32(truncatingIfNeeded: try $0.decode(column: "id", as: Int64.self))
        }
        for id in ids where !known.contains(id) { try await load(id: id, on: sql) }
    }

    private func load(id: UInt32, on sql: any SQLDatabase) async throws {
        guard
            let row = try await sql.raw(
                "SELECT format, samples, dictionary FROM document_dictionaries WHERE id = \(bind: Int64(id))"
            ).first(),
            let dictionary = Dictionary(bytes: Array(try row.decode(column: "dictionary", as: Data.self)), level: level)
        else { return }
        let format = try row.decode(column: "format", as: String.self)
        let samples = try row.decode(column: "samples", as: Int.self)
        state.withLock { state in state.adopt(dictionary, format: format, samples: samples) }
    }
}
