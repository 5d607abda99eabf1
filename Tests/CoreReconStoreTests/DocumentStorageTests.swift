import CoreRecon
import CoreReconTestSupport
import Foundation
import SQLKit
import Testing

@testable import CoreReconStore

@Suite("Compressed alert documents")
struct DocumentStorageTests {
    static func eve(_ n: Int) -> String { SLATests.eve(flow: n) }

    /// Ingests `lines` and returns every alert id, oldest first.
    static func ingest(_ lines: [String], into services: AppServices) async throws -> [Alert.ID] {
        _ = try await SLATests.ingest(lines, into: services)
        var query = AlertQuery()
        query.limit = 10_000
        return try await services.alerts.list(query).alerts.map(\.id).sorted()
    }

    /// How the documents are stored: frames and text rows, and their bytes.
    static func stored(_ services: AppServices) async throws -> (text: Int, frames: Int, bytes: Int) {
        try await services.database.read { sql in
            var counts = (text: 0, frames: 0, bytes: 0)
            let column = services.database.documentColumn("ocsf")
            for row in try await sql.raw("SELECT \(unsafeRaw: column) AS ocsf FROM alerts").all() {
                let bytes = Array(try row.decode(column: "ocsf", as: Data.self))
                if ZstdFrames.isFrame(bytes) { counts.frames += 1 } else { counts.text += 1 }
                counts.bytes += bytes.count
            }
            return counts
        }
    }

    /// Alerts 1...`count` as a release before compression stored them: the document as JSON text, the words (title
    /// and an observable's value) in search_text, and that observable (an address). Returns the documents in id
    /// order.
    static func insertUncompressed(
        _ count: Int, basis: (Int) -> String, message: (Int) -> String, on sql: any SQLDatabase,
        backend: DatabaseBackend, asBytes: Bool = false
    ) async throws -> [String] {
        var documents: [String] = []
        for n in 1...count {
            let document = JSONValue.object([
                JSONMember("class_uid", .int(2004)), JSONMember("message", .string(message(n))),
                JSONMember("raw_data", .string(Self.eve(n))),
            ]).jsonString
            documents.append(document)
            try await sql.raw(
                """
                INSERT INTO alerts (fingerprint, fingerprint_basis, origin_key, format, source, product,
                    title, severity_id, first_seen, last_seen, created_at, updated_at, search_text, ocsf)
                VALUES (\(bind: "fp\(n)"), \(bind: basis(n)), \(bind: "suricata:\(n)"), 'suricata', 'suricata',
                    'Suricata', \(bind: "Rule \(n)"), 3, \(bind: n), \(bind: n), \(bind: n), \(bind: n),
                    \(bind: "Rule \(n) 203.0.113.\(n % 250)"),
                    \(asBytes ? "\(bind: Data(document.utf8))" : backend.json(document)))
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO alert_observables (alert_id, type, value)
                VALUES (\(bind: n), 'ip', \(bind: "203.0.113.\(n % 250)"))
                """
            ).run()
        }
        return documents
    }

    /// The ids of the alerts a full-text search finds, in order.
    static func search(_ words: String, in services: AppServices) async throws -> [Alert.ID] {
        var query = AlertQuery()
        query.search = words
        query.limit = 10_000
        return try await services.alerts.list(query).alerts.map(\.id).sorted()
    }

    @Test(
        "Documents are stored as zstd frames with a dictionary trained on the format's first 200, and read back whole",
        arguments: TestDatabases.backends)
    func framesAndDictionaries(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let lines = (1...400).map(Self.eve)
            let ids = try await Self.ingest(lines, into: services)
            #expect(ids.count == 400)
            var textBytes = 0
            for (id, line) in zip(ids, lines) {
                let document = try JSONParser.parse(try await services.alerts.ocsf(id))
                #expect(document[key: "raw_data"]?.text == line)
                #expect(document[key: "class_uid"]?.int == 2004)
                textBytes += try await services.alerts.ocsf(id).utf8.count
            }
            let dictionaries = try await services.database.read { sql in
                try await sql.raw("SELECT format, samples FROM document_dictionaries").all().map {
                    (try $0.decode(column: "format", as: String.self), try $0.decode(column: "samples", as: Int.self))
                }
            }
            #expect(dictionaries.count == 1 && dictionaries.first?.0 == "suricata" && dictionaries.first?.1 == 200)
            let stored = try await Self.stored(services)
            #expect(stored.text == 0 && stored.frames == 400)
            // The 200 after the dictionary are a small share of their text; all 400 together under a third.
            #expect(stored.bytes * 3 < textBytes, "\(stored.bytes) of \(textBytes)")
            // Another process (another open database) reads them by the dictionary id in each frame.
            var config = services.config
            config.database = services.database.location
            try await Database.withDatabase(config, logger: services.logger) { other in
                let text = try await other.withConnection { sql in try await other.alertDocument(id: ids[399], on: sql)
                }
                #expect(try JSONParser.parse(#require(text))[key: "raw_data"]?.text == lines[399])
            }
            // SQLite: stream events are frames too (with the dictionary built into corerecon), and read back as JSON.
            if backend == .sqlite {
                let events = try await EventLog(database: services.database).events(after: 0, limit: 1_000)
                #expect(events.count == 400 && events.allSatisfy { (try? JSONParser.parse($0.payload)) != nil })
                #expect(events.last.flatMap { try? JSONParser.parse($0.payload)[key: "title"]?.text } == "Test 400")
                let eventBytes = try await services.database.read { sql in
                    try await sql.raw(
                        "SELECT SUM(LENGTH(payload)) AS n FROM events WHERE typeof(payload) = 'blob'"
                    ).first(decodingColumn: "n", as: Int.self)
                }
                let eventText = events.reduce(0) { $0 + $1.payload.utf8.count }
                #expect((eventBytes ?? .max) * 3 < eventText, "\(eventBytes ?? 0) of \(eventText)")
            }
        }
    }

    @Test(
        "A PostgreSQL database of schema 17 (JSON documents) upgrades: documents read as they were, then the conversion makes them frames in batches, and searches answer as before",
        .enabled(if: TestDatabases.backends.contains(.postgres), "needs CORERECON_TEST_POSTGRES_URL"))
    func upgradePostgres() async throws {
        let logger = TestDatabases.quietLogger
        try await TestDatabases.withEmptyDatabase(.postgres) { config in
            try await Database.withDatabase(config, logger: logger) { database in
                try await Migrator(database: database, migrations: Array(Migrations.all.prefix(17)), logger: logger)
                    .migrate()
                // As that release's writer stored them: JSON, the words in search_text.
                var before: [String] = []
                try await database.withConnection { sql in
                    before = try await Self.insertUncompressed(
                        700, basis: { #"{"rule":"R\#($0)"}"# }, message: { "Rule \($0) ☃" }, on: sql, backend: .postgres
                    )
                    // A stream event as that release stored it: text.
                    try await sql.raw(
                        """
                        INSERT INTO events (at, type, channel, severity_id, source, assignee, payload)
                        VALUES (1, 'alert.created', 'alerts', 3, 'suricata', NULL, '{"id":1}')
                        """
                    ).run()
                }
                let services = AppServices(config: config, database: database, logger: logger)
                func search(_ words: String) async throws -> [Alert.ID] { try await Self.search(words, in: services) }
                #expect(try await search("203.0.113.7").count == 3)
                #expect(try await services.migrator.migrate().map(\.version) == Array(18...Migrations.latestVersion))
                // Migration 19 indexes title and description from their columns, and the old rows' words still.
                #expect(try await search("203.0.113.7").count == 3)
                #expect(try await search("Rule 650") == [650])
                #expect(
                    try await EventLog(database: database).events(after: 0, limit: 10).map(\.payload) == [#"{"id":1}"#])
                // The column is bytes now; the old rows are their text, read as before.
                #expect(try await services.alerts.ocsf(1) == before[0])
                #expect(try await Self.stored(services).text == 700)

                // Stopped after the first batch, then run again: the rest, once.
                try await database.withConnection { sql in
                    try await sql.raw("UPDATE document_conversion SET through = 500").run()
                }
                let first = try await database.convertDocuments(now: services.now)
                #expect(first.converted == 500 && first.bytesAfter * 4 < first.bytesBefore, "\(first)")
                try await database.withConnection { sql in
                    try await sql.raw("UPDATE document_conversion SET through = 700").run()
                }
                #expect(try await database.convertDocuments(now: services.now).converted == 200)
                #expect(try await database.convertDocuments(now: services.now).converted == 0)
                let stored = try await Self.stored(services)
                #expect(stored.text == 0 && stored.frames == 700)
                for (index, text) in before.enumerated() where try await services.alerts.ocsf(Int64(index + 1)) != text
                {
                    Issue.record("alert \(index + 1) reads back otherwise after conversion")
                    return
                }
                let copies = try await database.read { sql in
                    try await sql.raw("SELECT COUNT(*) AS n FROM alerts WHERE search_text LIKE 'Rule%'").first(
                        decodingColumn: "n", as: Int.self)
                }
                #expect(copies == 0, "the rows' copies of title and description are gone")
                #expect(try await search("203.0.113.7").count == 3)
                #expect(try await search("Rule 650") == [650])
                // New alerts are stored as frames with the dictionary the conversion trained.
                let new = try await Self.ingest([Self.eve(5_000)], into: services)
                let document = try JSONParser.parse(try await services.alerts.ocsf(try #require(new.last)))
                #expect(document[key: "raw_data"]?.text == Self.eve(5_000))
                #expect(try await Self.stored(services).frames == 701)
                // Its event is a frame, and both events read back.
                let payloads = try await database.read { sql in
                    try await sql.raw("SELECT payload FROM events ORDER BY id").all().map {
                        Array(try $0.decode(column: "payload", as: Data.self))
                    }
                }
                #expect(payloads.count == 2 && !ZstdFrames.isFrame(payloads[0]) && ZstdFrames.isFrame(payloads[1]))
                let events = try await EventLog(database: database).events(after: 0, limit: 10)
                #expect(
                    events.count == 2 && (try? JSONParser.parse(events[1].payload))?[key: "title"]?.text == "Test 5000")
            }
        }
    }

    /// Rows that keep a fingerprint basis or (on SQLite) full-text words in their own columns.
    static func rowCopies(_ services: AppServices) async throws -> Int {
        let words = services.database.backend == .sqlite ? " OR search_text <> ''" : ""
        return try await services.database.read { sql in
            try await sql.raw(
                "SELECT COUNT(*) AS n FROM alerts WHERE fingerprint_basis <> ''\(unsafeRaw: words)"
            ).first(decodingColumn: "n", as: Int.self) ?? -1
        }
    }

    @Test(
        "A database of schema 19 (frames, the basis and words in columns) upgrades: searches, explain and deletes answer before and after the conversion moves the basis into the frames",
        arguments: TestDatabases.backends)
    func upgradeFromSchema19(backend: DatabaseBackend) async throws {
        let logger = TestDatabases.quietLogger
        try await TestDatabases.withEmptyDatabase(backend) { config in
            try await Database.withDatabase(config, logger: logger) { database in
                try await Migrator(database: database, migrations: Array(Migrations.all.prefix(19)), logger: logger)
                    .migrate()
                // As that release stored them once converted: frames without extras, the basis in its column, the
                // observables' values in search_text (on SQLite its triggers fed the index from the columns).
                var before: [String] = []
                try await database.withConnection { sql in
                    before = try await Self.insertUncompressed(
                        600, basis: { #"{"rule":"R\#($0)"}"# }, message: { "Rule \($0)" }, on: sql, backend: backend,
                        asBytes: true)
                    for (index, text) in before.enumerated() {
                        let frame = try ZstdFrames.compress(Array(text.utf8), with: nil)
                        try await sql.raw(
                            """
                            UPDATE alerts SET ocsf = \(bind: frame), search_text = \(bind: "203.0.113.\((index + 1) % 250)")
                            WHERE id = \(bind: index + 1)
                            """
                        ).run()
                    }
                    try await sql.raw("UPDATE document_conversion SET through = 600, done = 600").run()
                }
                let services = AppServices(config: config, database: database, logger: logger)
                func search(_ words: String) async throws -> [Alert.ID] { try await Self.search(words, in: services) }
                #expect(try await search("Rule 420") == [420])

                #expect(try await services.migrator.migrate().map(\.version) == Array(20...Migrations.latestVersion))
                #expect(try await search("Rule 420") == [420])
                #expect(try await search("203.0.113.7").count == 3)
                // The observables stored before: on SQLite found through the keys migration 22 indexed.
                #expect(try await services.alerts.related(257).map(\.alert.id) == [507, 7])
                #expect(try await services.alerts.explain(8).basis == [FingerprintPart(field: "rule", value: "R8")])
                #expect(try await services.alerts.ocsf(9) == before[8])

                // A damaged frame is left as it is and named; the conversion goes on with the others.
                let cut: SQLQueryString =
                    backend == .sqlite
                    ? "UPDATE alerts SET ocsf = substr(ocsf, 1, length(ocsf) - 5) WHERE id = 600"
                    : "UPDATE alerts SET ocsf = substring(ocsf from 1 for length(ocsf) - 5) WHERE id = 600"
                try await database.withConnection { sql in try await sql.raw(cut).run() }
                let report = try await database.convertDocuments(now: services.now)
                #expect(report.converted == 599 && report.unreadable == [600], "\(report)")
                #expect(try await database.convertDocuments(now: services.now).converted == 0)
                #expect(try await Self.rowCopies(services) == 1)
                await #expect(throws: CoreReconError.self) { try await services.alerts.ocsf(600) }
                for (index, text) in before.dropLast().enumerated()
                where try await services.alerts.ocsf(Int64(index + 1)) != text {
                    Issue.record("alert \(index + 1) reads back otherwise after conversion")
                    return
                }
                #expect(try await services.alerts.explain(8).basis == [FingerprintPart(field: "rule", value: "R8")])
                #expect(try await search("Rule 420") == [420])
                #expect(try await search("203.0.113.7").count == 3)

                // New alerts: the basis inside the frame, no copies in the row, and the words in the index; a
                // change to the document keeps the basis; a delete takes the words out of the index.
                let new = try #require(try await Self.ingest([Self.eve(5_000)], into: services).last)
                #expect(try await Self.rowCopies(services) == 1, "the damaged row only")
                #expect(try await search("Test 5000") == [new])
                try await database.withConnection { sql in
                    try await database.updateAlertDocument(id: new, on: sql, now: services.now()) { members in
                        members.append(JSONMember("comment", .string("changed")))
                    }
                }
                let document = try JSONParser.parse(try await services.alerts.ocsf(new))
                #expect(
                    document[key: "comment"]?.text == "changed" && document[key: "raw_data"]?.text == Self.eve(5_000))
                let basis = try await services.alerts.explain(new).basis
                #expect(basis.first == FingerprintPart(field: "product", value: "Suricata"), "\(basis)")
                try await database.withConnection { sql in
                    try await sql.raw("DELETE FROM alerts WHERE id IN (7, \(bind: new))").run()
                }
                #expect(try await search("Test 5000").isEmpty)
                #expect(try await search("203.0.113.7").count == 2)
                #expect(try await services.alerts.related(257).map(\.alert.id) == [507])
            }
        }
    }

    /// The dictionary id each alert's frame names (0: none), in id order.
    static func frameDictionaries(_ services: AppServices) async throws -> [UInt32] {
        try await services.database.read { sql in
            let column = services.database.documentColumn("ocsf")
            return try await sql.raw("SELECT \(unsafeRaw: column) AS ocsf FROM alerts ORDER BY id").all().map {
                ZstdFrames.dictionaryID(Array(try $0.decode(column: "ocsf", as: Data.self)))
            }
        }
    }

    /// Each dictionary stored for suricata: its id and the count of documents that trained it, oldest first.
    static func dictionaries(_ services: AppServices) async throws -> [(id: UInt32, samples: Int)] {
        try await services.database.read { sql in
            try await sql.raw(
                "SELECT id, samples FROM document_dictionaries WHERE format = 'suricata' ORDER BY created_at, id"
            ).all().map {
                (
                    UInt32(truncatingIfNeeded: try $0.decode(column: "id", as: Int64.self)),
                    try $0.decode(column: "samples", as: Int.self)
                )
            }
        }
    }

    @Test(
        "A format seen in small batches gets a provisional dictionary from 50 documents and the lasting one from 200; another process compresses with the lasting one, and every frame reads back",
        arguments: TestDatabases.backends)
    func provisionalDictionary(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let lines = (1...300).map(Self.eve)
            // Batches of 30, 40 and 200, as three runs of a queue would bring them.
            _ = try await Self.ingest(Array(lines[0..<30]), into: services)
            #expect(try await Self.dictionaries(services).isEmpty)
            _ = try await Self.ingest(Array(lines[30..<70]), into: services)
            let provisional = try await Self.dictionaries(services)
            #expect(provisional.map(\.samples) == [70])
            _ = try await Self.ingest(Array(lines[70..<270]), into: services)
            let both = try await Self.dictionaries(services)
            #expect(both.map(\.samples) == [70, 200])
            guard both.count == 2 else { return }
            let frames = try await Self.frameDictionaries(services)
            #expect(frames[0..<30].allSatisfy { $0 == 0 })
            #expect(frames[30..<70].allSatisfy { $0 == both[0].id })
            #expect(frames[70..<270].allSatisfy { $0 == both[1].id })
            // The provisional dictionary already takes the 40 documents after it well under what none does.
            let sizes: [Int] = try await services.database.read { sql in
                try await sql.raw(
                    "SELECT \(unsafeRaw: services.database.documentColumn("ocsf")) AS ocsf FROM alerts ORDER BY id"
                ).all().map { try $0.decode(column: "ocsf", as: Data.self).count }
            }
            let alone: Int = sizes[0..<30].reduce(0, +) / 30
            let withProvisional: Int = sizes[30..<70].reduce(0, +) / 40
            #expect(withProvisional * 2 < alone, "\(withProvisional) bytes a document against \(alone)")

            // Another process finds both dictionaries and compresses with the one trained on more, training none.
            var config = services.config
            config.database = services.database.location
            try await Database.withDatabase(config, logger: services.logger) { other in
                let process = AppServices(config: config, database: other, logger: services.logger, now: Date.init)
                _ = try await Self.ingest(Array(lines[270..<300]), into: process)
            }
            #expect(try await Self.dictionaries(services).count == 2)
            let after = try await Self.frameDictionaries(services)
            #expect(after.count == 300 && after[270...].allSatisfy { $0 == both[1].id })
            var query = AlertQuery()
            query.limit = 1_000
            let ids = try await services.alerts.list(query).alerts.map(\.id).sorted()
            for (id, line) in zip(ids, lines) {
                #expect(try JSONParser.parse(try await services.alerts.ocsf(id))[key: "raw_data"]?.text == line)
            }
        }
    }

    @Test(
        "database.compressionLevel 9 stores the same documents smaller than the default 3, and a process at any level reads them",
        arguments: TestDatabases.backends)
    func compressionLevel(backend: DatabaseBackend) async throws {
        let lines = (1...300).map(Self.eve)
        let atDefault = try await TestDatabases.withServices(backend) { services in
            _ = try await Self.ingest(lines, into: services)
            return try await Self.stored(services).bytes
        }
        try await TestDatabases.withServices(backend, configure: { $0.compressionLevel = 9 }) { services in
            let ids = try await Self.ingest(lines, into: services)
            let stored = try await Self.stored(services)
            #expect(stored.frames == 300 && stored.bytes < atDefault, "\(stored.bytes) bytes against \(atDefault)")
            var config = services.config
            config.database = services.database.location
            config.compressionLevel = 1
            try await Database.withDatabase(config, logger: services.logger) { other in
                for (id, line) in zip(ids, lines) {
                    let text = try await other.withConnection { sql in try await other.alertDocument(id: id, on: sql) }
                    #expect(try JSONParser.parse(#require(text))[key: "raw_data"]?.text == line)
                }
            }
        }
    }

    @Test("A damaged stored document is an error that says so, not a crash or garbage")
    func damagedFrame() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let id = try await SLATests.ingest([Self.eve(1)], into: services)[0]
            try await services.database.withConnection { sql in
                // A frame cut short, and then a frame naming a dictionary the database does not have.
                try await sql.raw("UPDATE alerts SET ocsf = substr(ocsf, 1, length(ocsf) - 5) WHERE id = \(bind: id)")
                    .run()
            }
            await #expect(throws: CoreReconError.self) { try await services.alerts.ocsf(id) }
            var frame = Array(try ZstdFrames.compress(Array("{\"a\":1}".utf8), with: nil))
            #expect(try DocumentCodec.decompress(frame, with: nil) == "{\"a\":1}")
            frame[5] ^= 0xFF
            #expect(throws: CoreReconError.self) { try DocumentCodec.decompress(frame, with: nil) }
        }
    }

    @Test(
        "A database of the release before (schema 16: text documents, a full-text index with its own copy) upgrades: the index is rebuilt, documents compressed in batches that resume, and all reads and searches as before"
    )
    func upgrade() async throws {
        let logger = TestDatabases.quietLogger
        try await TestDatabases.withEmptyDatabase(.sqlite) { config in
            try await Database.withDatabase(config, logger: logger) { database in
                try await Migrator(database: database, migrations: Array(Migrations.all.prefix(16)), logger: logger)
                    .migrate()
                // As that release's writer stored them: JSON text, and the words in search_text (its trigger fed
                // the full-text index from there).
                var before: [String] = []
                try await database.withConnection { sql in
                    before = try await Self.insertUncompressed(
                        1_200, basis: { #"[{"field":"rule","value":"R\#($0)"}]"# }, message: { "Rule \($0)" }, on: sql,
                        backend: .sqlite)
                }
                let services = AppServices(config: config, database: database, logger: logger)
                func search(_ words: String) async throws -> [Alert.ID] { try await Self.search(words, in: services) }
                #expect(try await search("203.0.113.7").count == 5)

                // Migration 17 rebuilds the index from the rows' words, and reads text documents as they are.
                #expect(try await services.migrator.migrate().map(\.version) == Array(17...Migrations.latestVersion))
                #expect(try await search("203.0.113.7").count == 5)
                #expect(try await search("Rule").count == 1_200)
                #expect(try await services.alerts.ocsf(1) == before[0])
                // A fingerprint's basis as that release wrote it still explains the alert.
                #expect(try await services.alerts.explain(3).basis == [FingerprintPart(field: "rule", value: "R3")])

                // Stopped after the first batch (as a kill would leave it), then run again: the rest, once.
                try await database.withConnection { sql in
                    try await sql.raw("UPDATE document_conversion SET through = 500").run()
                }
                let first = try await database.convertDocuments(now: services.now)
                #expect(first.converted == 500 && first.bytesAfter * 4 < first.bytesBefore, "\(first)")
                try await database.withConnection { sql in
                    try await sql.raw("UPDATE document_conversion SET through = 1200").run()
                }
                var steps: [Int] = []
                let rest = try await database.convertDocuments(now: services.now) { done, _ in steps.append(done) }
                #expect(rest.converted == 700 && steps == [0, 500, 700], "\(steps)")
                #expect(try await database.convertDocuments(now: services.now).converted == 0)

                let stored = try await Self.stored(services)
                #expect(stored.text == 0 && stored.frames == 1_200)
                let copies = try await database.read { sql in
                    try await sql.raw("SELECT COUNT(*) AS n FROM alerts WHERE search_text LIKE 'Rule%'").first(
                        decodingColumn: "n", as: Int.self)
                }
                #expect(copies == 0, "the rows' copies of title and description are gone")
                // The basis moved into the frames: an array as that release wrote it still explains the alert.
                #expect(try await Self.rowCopies(services) == 0)
                #expect(try await services.alerts.explain(3).basis == [FingerprintPart(field: "rule", value: "R3")])
                // Found by the title's words and by an observable, from the index's own words.
                #expect(try await search("Rule 1100") == [1_100])
                #expect(try await search("203.0.113.7").count == 5)
                for (index, text) in before.enumerated() where try await services.alerts.ocsf(Int64(index + 1)) != text
                {
                    Issue.record("alert \(index + 1) reads back otherwise after conversion")
                    return
                }
                // The conversion trained the format's dictionary from its own documents; new alerts use it and are
                // found by their words; a purge takes them out of the index.
                let dictionaries = try await database.read { sql in
                    try await sql.raw("SELECT format, samples FROM document_dictionaries").all().map {
                        "\(try $0.decode(column: "format", as: String.self)):\(try $0.decode(column: "samples", as: Int.self))"
                    }
                }
                #expect(dictionaries == ["suricata:200"])
                _ = try await SLATests.ingest([SLATests.eve(flow: 5_000)], into: services)
                let found = try await search("Test 5000")
                #expect(found.count == 1)
                let basis = try await services.alerts.explain(try #require(found.first)).basis
                #expect(basis.first == FingerprintPart(field: "product", value: "Suricata"), "\(basis)")
                try await database.withConnection { sql in try await sql.raw("DELETE FROM alerts WHERE id = 7").run() }
                #expect(try await search("203.0.113.7").count == 4)
                #expect(try await !search("Rule 7").contains(7))
            }
        }
    }
}
