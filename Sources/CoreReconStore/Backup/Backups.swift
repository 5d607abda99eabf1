import CoreRecon
import Foundation
import Logging
import SQLKit

/// What `corerecon backup` wrote.
public struct BackupSummary: Codable, Sendable, Equatable {
    public var file: String
    /// `FILE.sha256`, in the format `sha256sum -c` reads.
    public var checksumFile: String
    public var backend: String
    public var compression: FileCompression
    public var bytes: Int64
    public var sha256: String
    public var schemaVersion: Int
    /// Rows in the copy (SQLite; nil on PostgreSQL, whose dump is not read back).
    public var alerts: Int?
    public var incidents: Int?
    public var seconds: Double
}

/// What `corerecon restore` did.
public struct RestoreSummary: Codable, Sendable, Equatable {
    public var file: String
    public var backend: String
    /// Whether `FILE.sha256` was there and matched; false when there was none to check.
    public var checksumVerified: Bool
    /// The schema version of the backup, and the migrations applied after it to bring it up to this corerecon.
    public var schemaVersion: Int
    public var migrated: [Int]
    public var alerts: Int
    public var incidents: Int
    public var replaced: Bool
    public var seconds: Double
}

/// Online backups and restores of the configured database: a consistent copy while `serve` and ingest keep
/// writing, with its schema version and a SHA-256 beside it, and a restore that checks both, refuses to replace
/// a database holding data unless told to, and migrates an older backup forward.
///
/// SQLite: `VACUUM INTO` (one read transaction: writers go on in WAL mode; the copy is compact), compressed by
/// the file's name (`.zst`, `.gz`). PostgreSQL: `pg_dump --format=custom` and `pg_restore`, the client tools of
/// the server's major version or newer.
public struct Backups: Sendable {
    public let config: AppConfig
    public let logger: Logger
    let clock: @Sendable () -> ContinuousClock.Instant

    public init(config: AppConfig, logger: Logger) {
        self.config = config
        self.logger = logger
        clock = { ContinuousClock.now }
    }

    /// The tables a restore looks at before replacing a database: any row in one of them is data.
    static let dataTables = ["alerts", "incidents", "indicators", "users", "api_keys", "audit_log"]

    // MARK: - Backup

    public func backup(to file: String, overwrite: Bool) async throws -> BackupSummary {
        let started = clock()
        let file = URL(fileURLWithPath: file).standardizedFileURL.path
        let checksumFile = file + ".sha256"
        if !overwrite {
            for path in [file, checksumFile] where FileManager.default.fileExists(atPath: path) {
                throw CoreReconError.conflict("\(path) already exists; choose another --out, or give --force.")
            }
        }
        let directory = (file as NSString).deletingLastPathComponent
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw CoreReconError.failed("cannot write in \(directory): it does not exist or is not writable.")
        }
        let partial = file + ".partial"
        unlink(partial)
        var summary: BackupSummary
        switch config.database {
        case .sqliteFile(let path):
            // Opening a missing file would make an empty database, and back that up.
            guard FileManager.default.fileExists(atPath: path) else {
                throw CoreReconError.unavailable("there is no database at \(path) to back up.")
            }
            summary = try await backupSQLite(to: file, partial: partial)
        case .sqliteMemory:
            throw CoreReconError.configuration("an in-memory database has nothing to back up.")
        case .postgres(let location):
            summary = try await backupPostgres(location, to: file, partial: partial)
        }
        // A backup holds everything, password hashes included: for its owner only.
        chmod(partial, 0o600)
        // The checksum first, then the name: a backup under its name always has its checksum beside it.
        do {
            try Data("\(summary.sha256)  \((file as NSString).lastPathComponent)\n".utf8)
                .write(to: URL(fileURLWithPath: checksumFile), options: .atomic)
        } catch {
            unlink(partial)
            throw CoreReconError.failed("cannot write \(checksumFile): \(error.localizedDescription).")
        }
        guard rename(partial, file) == 0 else {
            let reason = String(cString: strerror(errno)).lowercased()
            unlink(partial)
            throw CoreReconError.failed("cannot write \(file): \(reason).")
        }
        summary.seconds = (clock() - started).seconds
        return summary
    }

    private func backupSQLite(to file: String, partial: String) async throws -> BackupSummary {
        let compression = FileCompression(path: file)
        // The copy is made beside the backup, then compressed into it (or becomes it).
        let snapshot = compression == .none ? partial : file + ".snapshot"
        unlink(snapshot)
        defer { if snapshot != partial { unlink(snapshot) } }
        try await Database.withDatabase(config, logger: logger) { database in
            try await database.withConnection { sql in
                try await sql.raw("VACUUM INTO \(bind: snapshot)").run()
            }
        }
        let contents = try await Self.inspectSQLite(snapshot, config: config, logger: logger)
        let written: (bytes: Int64, sha256: String)
        if compression == .none {
            written = (Self.size(of: partial), try FileCompression.sha256(of: partial))
        } else {
            do {
                written = try compression.compress(snapshot, to: partial)
            } catch {
                unlink(partial)
                throw error
            }
        }
        return BackupSummary(
            file: file, checksumFile: file + ".sha256", backend: "sqlite", compression: compression,
            bytes: written.bytes, sha256: written.sha256, schemaVersion: contents.version, alerts: contents.alerts,
            incidents: contents.incidents, seconds: 0)
    }

    private func backupPostgres(_ location: PostgresLocation, to file: String, partial: String) async throws
        -> BackupSummary
    {
        guard FileCompression(path: file) == .none else {
            throw CoreReconError.configuration(
                "a PostgreSQL backup is pg_dump's custom format, compressed already: name it FILE.dump, not .gz or .zst."
            )
        }
        let version = try await Database.withDatabase(config, logger: logger) { database in
            try await Migrator(database: database, logger: logger).status().currentVersion
        }
        // A database whose URL names a schema is that schema; otherwise the whole database.
        try Self.runTool(
            "pg_dump",
            [
                "--format=custom", "--no-owner", "--no-privileges", "--file", partial, "--dbname",
                location.libpqConnection,
            ]
                + (location.schema.map { ["--schema", $0] } ?? []),
            environment: location.libpqEnvironment)
        return BackupSummary(
            file: file, checksumFile: file + ".sha256", backend: "postgres", compression: .none,
            bytes: Self.size(of: partial),
            sha256: try FileCompression.sha256(of: partial), schemaVersion: version, alerts: nil, incidents: nil,
            seconds: 0)
    }

    // MARK: - Restore

    public func restore(from file: String, overwrite: Bool) async throws -> RestoreSummary {
        let started = clock()
        let file = URL(fileURLWithPath: file).standardizedFileURL.path
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw CoreReconError.invalidInput(location: file, reason: "no such file, or it cannot be read.")
        }
        let verified = try Self.checkChecksum(of: file)
        var summary: RestoreSummary
        switch config.database {
        case .sqliteFile(let target):
            summary = try await restoreSQLite(file, into: target, overwrite: overwrite)
        case .sqliteMemory:
            throw CoreReconError.configuration("restore into an in-memory database would be lost at once.")
        case .postgres(let location):
            summary = try await restorePostgres(file, into: location, overwrite: overwrite)
        }
        summary.checksumVerified = verified
        summary.seconds = (clock() - started).seconds
        return summary
    }

    /// Checks `FILE.sha256` when there is one; false when there is none.
    static func checkChecksum(of file: String) throws -> Bool {
        let checksumFile = file + ".sha256"
        guard let text = try? String(contentsOfFile: checksumFile, encoding: .utf8) else { return false }
        guard let recorded = text.split(whereSeparator: \.isWhitespace).first.map(String.init),
            recorded.count == 64
        else {
            throw CoreReconError.invalidInput(location: checksumFile, reason: "holds no SHA-256.")
        }
        let actual = try FileCompression.sha256(of: file)
        guard actual == recorded.lowercased() else {
            throw CoreReconError.invalidInput(
                location: file,
                reason: "its SHA-256 is \(actual), not \(recorded) as \(checksumFile) says: it was damaged or changed "
                    + "after the backup. Nothing was restored.")
        }
        return true
    }

    private func restoreSQLite(_ file: String, into target: String, overwrite: Bool) async throws -> RestoreSummary {
        let directory = (target as NSString).deletingLastPathComponent
        if config.isDefaultDatabase {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let staging = target + ".restoring"
        for suffix in ["", "-wal", "-shm"] { unlink(staging + suffix) }
        defer { for suffix in ["", "-wal", "-shm"] { unlink(staging + suffix) } }
        try FileCompression(path: file).decompress(file, to: staging, name: file)
        let contents = try await Self.inspectSQLite(staging, config: config, logger: logger, name: file)

        var replaced = false
        if FileManager.default.fileExists(atPath: target) {
            var live = config
            live.database = .sqliteFile(path: target)
            live.autoMigrate = false
            // Whatever the target holds is written into its main file first, so no log of it outlives it.
            let holdsData = try await Database.withDatabase(live, logger: logger) { database in
                let data = try await Self.holdsData(database)
                if data && !overwrite { return true }
                try await database.withConnection { sql in try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run() }
                return data
            }
            if holdsData && !overwrite {
                throw CoreReconError.conflict(
                    "\(target) holds a database with data; restoring would replace it. Stop `serve` and anything "
                        + "else using it, back it up, and give --force.")
            }
            replaced = holdsData
        }
        guard rename(staging, target) == 0 else {
            throw CoreReconError.failed(
                "cannot move the restored database into \(target): "
                    + String(cString: strerror(errno)).lowercased())
        }
        for suffix in ["-wal", "-shm"] { unlink(target + suffix) }
        let migrated = try await migrateForward()
        return RestoreSummary(
            file: file, backend: "sqlite", checksumVerified: false, schemaVersion: contents.version,
            migrated: migrated, alerts: contents.alerts, incidents: contents.incidents, replaced: replaced, seconds: 0)
    }

    private func restorePostgres(_ file: String, into location: PostgresLocation, overwrite: Bool) async throws
        -> RestoreSummary
    {
        // The schema version the dump holds, from its schema_migrations rows, before anything is changed.
        let listing = try Self.runTool(
            "pg_restore", ["--data-only", "--table=schema_migrations", "--file=-", file], environment: [:],
            failure: { CoreReconError.invalidInput(location: file, reason: "not a pg_dump custom-format file: \($0)") })
        let versions = Self.copiedVersions(listing)
        guard let version = versions.max() else {
            throw CoreReconError.invalidInput(
                location: file, reason: "holds no CoreRecon schema (no schema_migrations).")
        }
        if version > Migrations.latestVersion {
            throw CoreReconError.schemaNewer(databaseVersion: version, knownVersion: Migrations.latestVersion)
        }
        // A dump of one schema restores into that schema: its objects are named with it.
        let contents = try Self.runTool("pg_restore", ["--list", file], environment: [:])
        let schemas = Set(
            contents.split(separator: "\n").compactMap { line -> String? in
                guard let range = line.range(of: " SCHEMA - ") else { return nil }
                return line[range.upperBound...].split(separator: " ").first.map(String.init)
            }
        ).subtracting(["public"])
        if schemas.count > 1 || schemas.first != location.schema {
            let held = schemas.first.map { "schema \($0)" } ?? "the public schema"
            let wanted = location.schema.map { "schema \($0)" } ?? "the public schema"
            throw CoreReconError.configuration(
                "\(file) holds \(held), and the database URL names \(wanted): restore it where "
                    + (schemas.first.map { "options=-c search_path=\($0)" } ?? "no search_path")
                    + " is in the URL.")
        }
        var live = config
        live.autoMigrate = false
        let holdsData = try await Database.withDatabase(live, logger: logger) { try await Self.holdsData($0) }
        if holdsData && !overwrite {
            throw CoreReconError.conflict(
                "\(location.description) holds data; restoring would replace it. Stop `serve` and anything else "
                    + "using it, back it up, and give --force.")
        }
        try Self.runTool(
            "pg_restore",
            [
                "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                "--dbname", location.libpqConnection, file,
            ],
            environment: location.libpqEnvironment)
        let migrated = try await migrateForward()
        let counts = try await Database.withDatabase(config, logger: logger) { database in
            try await (Self.count("alerts", database), Self.count("incidents", database))
        }
        return RestoreSummary(
            file: file, backend: "postgres", checksumVerified: false, schemaVersion: version, migrated: migrated,
            alerts: counts.0, incidents: counts.1, replaced: holdsData, seconds: 0)
    }

    /// The versions in the `COPY ... schema_migrations ... FROM stdin;` block of a plain-text dump.
    static func copiedVersions(_ text: String) -> [Int] {
        var versions: [Int] = []
        var copying = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("COPY ") && line.contains("schema_migrations") {
                copying = true
            } else if line == "\\." {
                copying = false
            } else if copying, let version = line.split(separator: "\t").first.flatMap({ Int($0) }) {
                versions.append(version)
            }
        }
        return versions
    }

    private func migrateForward() async throws -> [Int] {
        var current = config
        current.autoMigrate = false
        return try await Database.withDatabase(current, logger: logger) { database in
            let versions = try await Migrator(database: database, logger: logger).migrate().map(\.version)
            // Documents an older release stored as text are compressed, as `migrate` does.
            _ = try await database.convertDocuments(now: Date.init)
            return versions
        }
    }

    // MARK: - Helpers

    /// Checks a SQLite copy is whole and CoreRecon's, and counts what it holds.
    static func inspectSQLite(_ path: String, config: AppConfig, logger: Logger, name: String? = nil) async throws
        -> (version: Int, alerts: Int, incidents: Int)
    {
        var copy = config
        copy.database = .sqliteFile(path: path)
        copy.autoMigrate = false
        let location = name ?? path
        do {
            return try await inspect(copy, location: location, logger: logger)
        } catch CoreReconError.unavailable(let reason) {
            throw CoreReconError.invalidInput(location: location, reason: "is not a CoreRecon backup (\(reason)).")
        }
    }

    private static func inspect(_ copy: AppConfig, location: String, logger: Logger) async throws
        -> (version: Int, alerts: Int, incidents: Int)
    {
        try await Database.withDatabase(copy, logger: logger) { database in
            let check = try? await database.withConnection { sql in
                try await sql.raw("PRAGMA integrity_check").first(decodingColumn: "integrity_check", as: String.self)
            }
            guard check == "ok" else {
                throw CoreReconError.invalidInput(
                    location: location, reason: "the database in it is damaged (integrity check: \(check ?? "failed"))."
                )
            }
            let versions = try? await database.withConnection { sql in
                try await sql.raw("SELECT version FROM schema_migrations").all(decodingColumn: "version", as: Int.self)
            }
            guard let version = versions?.max() else {
                throw CoreReconError.invalidInput(location: location, reason: "holds no CoreRecon database.")
            }
            if version > Migrations.latestVersion {
                throw CoreReconError.schemaNewer(databaseVersion: version, knownVersion: Migrations.latestVersion)
            }
            return (version, try await count("alerts", database), try await count("incidents", database))
        }
    }

    static func size(of path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    static func count(_ table: String, _ database: Database) async throws -> Int {
        try await database.withConnection { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first(decodingColumn: "n", as: Int.self)
        } ?? 0
    }

    /// Whether any of ``dataTables`` that exists has a row.
    static func holdsData(_ database: Database) async throws -> Bool {
        for table in dataTables {
            let exists = try await database.withConnection { sql in
                try await !sql.raw(SQLQueryString(database.backend.tableExistsQuery(table))).all().isEmpty
            }
            guard exists else { continue }
            let any = try await database.withConnection { sql in
                try await sql.raw("SELECT 1 AS one FROM \(unsafeRaw: table) LIMIT 1").all()
            }
            if !any.isEmpty { return true }
        }
        return false
    }

    /// Runs a PostgreSQL client tool found on PATH and returns its standard output; a missing tool or a failure is
    /// said in words.
    @discardableResult
    static func runTool(
        _ name: String, _ arguments: [String], environment extra: [String: String],
        failure: ((String) -> CoreReconError)? = nil
    ) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [name] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extra) { $1 }
        process.environment = environment
        let output = Pipe()
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("corerecon-\(name)-\(UUID())")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let said = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            if process.terminationStatus == 127 {
                throw CoreReconError.unavailable(
                    "\(name) is not installed: PostgreSQL backups use the client tools of the server's major version "
                        + "or newer (Debian: apt-get install postgresql-client).")
            }
            let reason = said.split(separator: "\n").last.map(String.init) ?? "exit \(process.terminationStatus)"
            throw failure?(reason) ?? CoreReconError.unavailable("\(name) failed: \(reason)")
        }
        return text
    }
}

extension PostgresLocation {
    /// A libpq connection string for the client tools, without the password (it goes in `PGPASSWORD`, out of
    /// the process list).
    var libpqConnection: String {
        func quoted(_ value: String) -> String {
            "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        var parts = [
            "host=\(quoted(host))", "port=\(port)", "user=\(quoted(user))", "dbname=\(quoted(database))",
            "sslmode=\(tlsMode.rawValue)",
        ]
        if !parameters.isEmpty {
            let options = parameters.sorted { $0.key < $1.key }.map { "-c \($0.key)=\($0.value)" }
            parts.append("options=\(quoted(options.joined(separator: " ")))")
        }
        return parts.joined(separator: " ")
    }

    var libpqEnvironment: [String: String] { password.map { ["PGPASSWORD": $0] } ?? [:] }

    /// The schema CoreRecon's tables are in, when the URL names one (`options=-c search_path=NAME`).
    var schema: String? {
        parameters["search_path"]?.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
            .flatMap { $0.isEmpty || $0 == "public" ? nil : $0 }
    }
}
