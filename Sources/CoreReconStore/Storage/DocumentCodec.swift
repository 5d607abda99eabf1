import CoreRecon
import Foundation
import SQLKit
import Synchronization

/// How SQLite stores each alert's OCSF document: as a zstd frame, compressed with a dictionary trained on the
/// documents of the alert's own format.
///
/// Alerts of one format share most of their bytes (field names, the OCSF skeleton, the vendor's own keys in
/// `raw_data`), and a document is too small for zstd to learn them from itself: alone it halves a 3-KB
/// document; with a 64-KB dictionary trained on 200 of its kind it takes a tenth. Until a format has a
/// dictionary its documents are compressed without one; the first `trainingSamples` of them, seen by this process,
/// train it, and the dictionary is stored in `document_dictionaries` under the id zstd writes into each frame.
/// Any process reads any frame: a dictionary it has not loaded is read by id.
///
/// Older databases hold documents as JSON text, which reads as it always did; `corerecon migrate` converts them.
/// PostgreSQL stores the text, which TOAST compresses; nothing here runs there.
public final class DocumentCodec: Sendable {
    /// Documents of one format that train its dictionary: more add little (measured on the four formats of
    /// `bench/generate_alerts.py`, 100 samples made as good a dictionary as 1,000).
    static let trainingSamples = 200
    /// At most this many bytes of samples are held for a format (200 documents of a few KB take under 1 MB).
    static let trainingBytes = 8 << 20
    static let dictionaryCapacity = 64 << 10
    typealias Dictionary = ZstdDictionary

    struct State {
        var byID: [UInt32: Dictionary] = [:]
        /// The dictionary new documents of a format are compressed with.
        var byFormat: [String: Dictionary] = [:]
        /// Documents of formats without a dictionary yet, kept until there are enough to train one.
        var samples: [String: [[UInt8]]] = [:]
        var sampleBytes: [String: Int] = [:]
        /// When the table was last read, so a dictionary another process trained is found within a minute.
        var loadedAt: Date?
    }

    private let state = Mutex(State())

    public init() {}

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
    /// Reads the format's dictionary when this process has none (at most once a minute); trains and stores one
    /// once `trainingSamples` documents of the format have passed through here without one. Only those two
    /// steps use the database; compressing happens outside any connection.
    func encode(_ documents: [String], format: String, access: Access, now: Date) async throws -> [Data] {
        var dictionary = state.withLock { $0.byFormat[format] }
        if dictionary == nil, refreshIsDue(now: now) {
            try await access.run { sql in try await refresh(on: sql) }
            dictionary = state.withLock { $0.byFormat[format] }
        }
        if dictionary == nil, let trained = try await trainIfReady(format: format, adding: documents) {
            try await access.run { sql in
                try await store(trained, format: format, samples: Self.trainingSamples, on: sql, now: now)
            }
            dictionary = trained
        }
        return try ZstdFrames.compress(documents.map { Array($0.utf8) }, with: dictionary)
    }

    /// Adds `documents` to the format's samples; when there are enough, trains a dictionary from them and stores
    /// it (unless another process stored one meanwhile, which is then used).
    /// Adds `documents` to the format's samples; when there are enough, a dictionary trained from them (stored by
    /// the caller; should another process have stored one meanwhile, both stay readable by id).
    private func trainIfReady(format: String, adding documents: [String]) async throws -> Dictionary? {
        let ready: [[UInt8]]? = state.withLock { state in
            guard state.sampleBytes[format, default: 0] < Self.trainingBytes else { return nil }
            for document in documents where state.samples[format, default: []].count < Self.trainingSamples {
                let bytes = Array(document.utf8)
                state.samples[format, default: []].append(bytes)
                state.sampleBytes[format, default: 0] += bytes.count
            }
            guard state.samples[format, default: []].count >= Self.trainingSamples else { return nil }
            // Taken: a training failure is not retried on every batch.
            state.sampleBytes[format] = Self.trainingBytes
            return state.samples.removeValue(forKey: format)
        }
        guard let ready else { return nil }
        return ZstdDictionary.train(ready, capacity: Self.dictionaryCapacity)
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
        guard texts.count >= Self.trainingSamples / 4,
            let dictionary = ZstdDictionary.train(texts.map { Array($0.utf8) }, capacity: Self.dictionaryCapacity)
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
        state.withLock { state in
            state.byID[dictionary.id] = dictionary
            state.byFormat[format] = dictionary
        }
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

    /// Reads every dictionary not loaded yet; the newest of each format compresses.
    private func refresh(on sql: any SQLDatabase) async throws {
        let known = state.withLock { Set($0.byID.keys) }
        let rows = try await sql.raw("SELECT id, format, dictionary FROM document_dictionaries ORDER BY created_at, id")
            .all()
        var loaded: [(format: String, dictionary: Dictionary)] = []
        for row in rows {
            let id = UInt32(truncatingIfNeeded: try row.decode(column: "id", as: Int64.self))
            guard !known.contains(id) else { continue }
            if let dictionary = Dictionary(bytes: Array(try row.decode(column: "dictionary", as: Data.self))) {
                loaded.append((try row.decode(column: "format", as: String.self), dictionary))
            }
        }
        state.withLock { state in
            for (format, dictionary) in loaded {
                state.byID[dictionary.id] = dictionary
                state.byFormat[format] = dictionary
            }
        }
    }

    private func load(id: UInt32, on sql: any SQLDatabase) async throws {
        guard
            let row = try await sql.raw(
                "SELECT format, dictionary FROM document_dictionaries WHERE id = \(bind: Int64(id))"
            ).first(),
            let dictionary = Dictionary(bytes: Array(try row.decode(column: "dictionary", as: Data.self)))
        else { return }
        let format = try row.decode(column: "format", as: String.self)
        state.withLock { state in
            state.byID[id] = dictionary
            if state.byFormat[format] == nil { state.byFormat[format] = dictionary }
        }
    }
}
