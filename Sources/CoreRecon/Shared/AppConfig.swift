import Foundation
import Logging

/// CoreRecon's whole configuration, typed. Only ``AppConfig/load(_:)`` knows where values come from.
public struct AppConfig: Sendable, Equatable {
    /// Where the database lives.
    public var database: DatabaseLocation
    /// True when no URL was configured and the embedded default SQLite file is used.
    public var isDefaultDatabase: Bool
    /// Apply pending migrations when a command opens the database. Default: on for SQLite, off for PostgreSQL.
    public var autoMigrate: Bool
    /// How long to wait for a PostgreSQL connection before giving up.
    public var connectTimeout: Duration
    /// How long SQLite waits on a locked database before failing.
    public var busyTimeout: Duration
    /// PostgreSQL: a statement with no answer after this long closes its connection and fails (503 in `serve`),
    /// so a server that vanished without closing the socket cannot hold requests forever; nil: no limit.
    public var statementTimeout: Duration? = .seconds(120)
    /// Most PostgreSQL connections the pool opens.
    public var poolSize: Int
    /// The zstd level alerts' documents are stored at (`database.compressionLevel`, 1 to 19): 3 writes fastest;
    /// 9 stores documents 10-20 % smaller and makes ingest into SQLite about a fifth slower (BENCHMARKS.md,
    /// "Storage"). Any level reads any frame.
    public var compressionLevel: Int32 = ZstdFrames.level
    /// Level for CoreRecon's own log messages on stderr.
    public var logLevel: Logger.Level
    /// The config file that was read, if any.
    public var configFile: String?
    /// Extra read-only SQLite connections for concurrent reads (WAL lets readers run beside the writer); set by
    /// `serve`, 0 for one-shot commands.
    public var sqliteReaders = 0
    /// Copy SQLite's write-ahead log into the database from a thread of its own (with readers only); set by
    /// `serve`, whose writer is shared by many requests, and `ingest`, whose writer beyond memory would otherwise
    /// wait for each checkpoint's copy and sync.
    public var sqliteBackgroundCheckpoint = false
    /// The SQLite writer's page cache in MiB, an upper bound rather than an allocation. 64 keeps `serve`'s
    /// webhook fastest; `ingest` asks for 32, as fast or faster for its batches and about 30 MB smaller.
    public var sqliteWriterCacheMiB = 64
    /// A pool of PostgreSQL connections (`database.poolSize`) for concurrent work; one-shot commands use a single
    /// connection. Set by `serve`.
    public var connectionPool = false
    /// Dedup, correlation and batching of ingested alerts.
    public var ingest: IngestSettings = IngestSettings()
    /// Incident assignment and task templates.
    public var incidents: IncidentSettings = IncidentSettings()
    /// Where `mitre sync` downloads ATT&CK bundles: a URL in which `{domain}` stands for `enterprise-attack`,
    /// `mobile-attack` or `ics-attack`.
    public var mitreSyncURL = AppConfig.defaultMITRESyncURL
    /// How long `mitre sync` waits for a download before giving up.
    public var mitreSyncTimeout: Duration = .seconds(120)

    /// MITRE's public STIX 2.1 data, latest release.
    public static let defaultMITRESyncURL =
        "https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/{domain}/{domain}.json"

    /// The `mitre sync` URL for one domain.
    public func mitreSyncURL(for domain: String) -> String {
        mitreSyncURL.replacingOccurrences(of: "{domain}", with: domain)
    }
    /// Rate limits and metrics of `corerecon serve`.
    public var server: ServerSettings = ServerSettings()
    /// Threat intelligence: decay, retro-hunts, the match policy.
    public var ioc = IocSettings()
    /// SLA calendars and policies.
    public var sla = SLASettings()
    /// Notification channels and rules.
    public var notify = NotifySettings()
    /// What `serve` ages out daily (`retention.*`); nothing by default.
    public var retention = RetentionSettings()
    /// The syslog listeners of `serve` (`syslog:`); none by default.
    public var syslog = SyslogSettings()
    /// The directory of response playbooks: `playbooks.path`, by default `playbooks/` beside the config file.
    public var playbooksPath: String?
    /// Whether playbooks may run local commands (`exec` steps).
    public var playbooksAllowExec = false
    /// How long a run stays with its runner without a heartbeat: after a runner dies, another takes the run over
    /// this long after its last sign of life.
    public var playbooksLease: Duration = .seconds(30)
    /// A running `corerecon serve` the other commands work against instead of the database (`server.url`), and
    /// where that came from (for messages).
    public var serverURL: String?
    public var serverURLOrigin: String?
    /// PEM certificates to trust for ``serverURL`` instead of the system's (`server.caFile`).
    public var serverCAFile: String?
    /// A client certificate and its key for ``serverURL``, when it asks for one (`server.clientCert`,
    /// `server.clientKey`).
    public var serverClientCert: String?
    public var serverClientKey: String?

    public init(
        database: DatabaseLocation,
        isDefaultDatabase: Bool = false,
        autoMigrate: Bool? = nil,
        connectTimeout: Duration = .seconds(5),
        busyTimeout: Duration = .seconds(5),
        poolSize: Int = 10,
        logLevel: Logger.Level = .warning,
        configFile: String? = nil
    ) {
        self.database = database
        self.isDefaultDatabase = isDefaultDatabase
        self.autoMigrate = autoMigrate ?? (database.backendName == "sqlite")
        self.connectTimeout = connectTimeout
        self.busyTimeout = busyTimeout
        self.poolSize = poolSize
        self.logLevel = logLevel
        self.configFile = configFile
    }
}

extension AppConfig {
    /// Every configuration key, dotted lowerCamel as in the YAML file. Environment names derive from them:
    /// `database.autoMigrate` is `CORERECON_DATABASE_AUTO_MIGRATE`.
    public enum Key: String, Sendable, CaseIterable {
        case databaseURL = "database.url"
        case databaseAutoMigrate = "database.autoMigrate"
        case databaseConnectTimeout = "database.connectTimeout"
        case databaseBusyTimeout = "database.busyTimeout"
        case databasePoolSize = "database.poolSize"
        case databaseStatementTimeout = "database.statementTimeout"
        case databaseCompressionLevel = "database.compressionLevel"
        case logLevel = "log.level"
        case ingestDedupWindow = "ingest.dedupWindow"
        case ingestBatchSize = "ingest.batchSize"
        case ingestFingerprint = "ingest.fingerprint.default"
        case ingestMaxRecordSize = "ingest.maxRecordSize"
        case ingestMaxDepth = "ingest.maxDepth"
        case ingestMaxStringLength = "ingest.maxStringLength"
        case ingestMaxFields = "ingest.maxFields"
        case alertsCorrelationWindow = "alerts.correlationWindow"
        case incidentsAssignment = "incidents.assignment"
        case incidentsAnalysts = "incidents.analysts"
        case incidentsTaskTemplates = "incidents.taskTemplates"
        case mitreSyncURL = "mitre.syncURL"
        case mitreSyncTimeout = "mitre.syncTimeout"
        case serverRateLimitPerToken = "server.rateLimit.perToken"
        case serverRateLimitPerAddress = "server.rateLimit.perAddress"
        case serverRateLimitTokenEndpoint = "server.rateLimit.tokenEndpoint"
        case serverTrustProxy = "server.trustProxy"
        case serverMetricsPublic = "server.metricsPublic"
        case serverShutdownTimeout = "server.shutdownTimeout"
        case serverEvidenceLimit = "server.evidenceLimit"
        case iocRetroHunt = "ioc.retroHunt"
        case iocThreshold = "ioc.threshold"
        case iocMatchPolicyRaiseTo = "ioc.matchPolicy.raiseTo"
        case iocMatchPolicyMinScore = "ioc.matchPolicy.minScore"
        case playbooksPath = "playbooks.path"
        case playbooksAllowExec = "playbooks.allowExec"
        case playbooksLease = "playbooks.lease"
        case serverURL = "server.url"
        case retentionAlerts = "retention.alerts"
        case retentionAlertStatuses = "retention.alertStatuses"
        case retentionIncidents = "retention.incidents"
        case serverCAFile = "server.caFile"
        case serverClientCert = "server.clientCert"
        case serverClientKey = "server.clientKey"

        /// `CORERECON_DATABASE_AUTO_MIGRATE` for `database.autoMigrate`.
        public var environmentName: String {
            var name = "CORERECON_"
            for character in rawValue {
                if character == "." {
                    name += "_"
                } else if character.isUppercase {
                    name += "_" + String(character)
                } else {
                    name += character.uppercased()
                }
            }
            return name
        }

        /// What the value must look like, for error messages.
        var expectation: String {
            switch self {
            case .databaseURL: "a database URL"
            case .serverURL: "a server address such as https://soc.example:8443"
            case .serverCAFile: "a path to PEM certificates"
            case .serverClientCert: "a path to a PEM certificate"
            case .serverClientKey: "a path to a PEM private key"
            case .databaseAutoMigrate, .serverTrustProxy, .serverMetricsPublic, .playbooksAllowExec: "true or false"
            case .serverRateLimitPerToken, .serverRateLimitPerAddress, .serverRateLimitTokenEndpoint:
                "requests per minute: a whole number from 0 (no limit) to 1000000"
            case .databaseConnectTimeout, .databaseBusyTimeout, .ingestDedupWindow, .alertsCorrelationWindow,
                .mitreSyncTimeout, .serverShutdownTimeout, .playbooksLease:
                "a duration such as 5s, 500ms, 2m, 24h"
            case .databaseStatementTimeout: "a duration such as 2m or 30s, or 0 for none"
            case .iocRetroHunt: "a duration such as 30d or 12h, or 0 for none"
            case .iocThreshold, .iocMatchPolicyMinScore: "a score from 0 to 100"
            case .iocMatchPolicyRaiseTo: "a severity: low, medium, high or critical"
            case .serverEvidenceLimit: "a size such as 64MB or 256MB, from 1MB to 256MB"
            case .retentionAlerts, .retentionIncidents: "a duration of a day or more such as 180d or 26w, or 0 for none"
            case .retentionAlertStatuses:
                "alert statuses, comma-separated: new, acknowledged, in_progress, escalated, closed"
            case .ingestMaxRecordSize, .ingestMaxStringLength:
                "a size such as 1MB, 512KB or 65536 (bytes), at least 1KB"
            case .ingestMaxDepth: "a whole number from 2 to 512"
            case .ingestMaxFields: "a whole number from 10 to 10000000"
            case .ingestBatchSize: "a whole number from 1 to 10000"
            case .ingestFingerprint:
                "a list of fields from " + IngestSettings.fingerprintFields.joined(separator: ", ") + " or raw.<path>"
            case .databasePoolSize: "a whole number from 1 to 1000"
            case .databaseCompressionLevel: "a whole number from 1 to 19"
            case .logLevel: "one of trace, debug, info, notice, warning, error, critical"
            case .incidentsAssignment: "none, round_robin or least_open"
            case .incidentsAnalysts: "a list of user names"
            case .incidentsTaskTemplates: "a playbook file or directory"
            case .playbooksPath: "a directory of response playbooks (*.yaml)"
            case .mitreSyncURL: "an http:// or https:// URL, with {domain} where the domain name goes"
            }
        }
    }

    /// The raw inputs to ``load(_:)``: explicit flags, the environment, and the config file to read.
    public struct Sources: Sendable {
        /// Values from command-line flags, by key. Highest precedence.
        public var flags: [Key: String]
        /// The process environment (`CORERECON_*`, `XDG_*`, `PG*`, `HOME`).
        public var environment: [String: String]
        /// `--config PATH`; nil means the default `$XDG_CONFIG_HOME/corerecon/config.yaml`, which may be missing.
        public var configPath: String?
        /// The directory relative paths are resolved against.
        public var currentDirectory: String

        public init(
            flags: [Key: String] = [:],
            environment: [String: String] = ProcessInfo.processInfo.environment,
            configPath: String? = nil,
            currentDirectory: String = FileManager.default.currentDirectoryPath
        ) {
            self.flags = flags
            self.environment = environment
            self.configPath = configPath
            self.currentDirectory = currentDirectory
        }
    }

    /// Builds the configuration with precedence flags > `CORERECON_*` environment > config file > defaults.
    /// `$XDG_CONFIG_HOME/corerecon`, else `~/.config/corerecon`: the config file, contexts and sign-ins.
    public static func directory(environment: [String: String]) -> String {
        ConfigFile.directory(environment: environment)
    }

    public static func load(_ sources: Sources) throws(CoreReconError) -> AppConfig {
        let (file, filePath, sections) = try ConfigFile.load(sources)
        func value(_ key: Key) -> (text: String, origin: String)? {
            if let flag = sources.flags[key] { return (flag, "--\(flagName(key))") }
            if let env = sources.environment[key.environmentName], !env.isEmpty { return (env, key.environmentName) }
            if let entry = file[key.rawValue] { return (entry.value, "\(filePath ?? "config"):\(entry.line)") }
            return nil
        }
        func parse<T>(_ key: Key, _ convert: (String) -> T?) throws(CoreReconError) -> T? {
            guard let (text, origin) = value(key) else { return nil }
            guard let parsed = convert(text) else {
                throw .configuration(
                    "\(origin): '\(text)' is not valid for \(key.rawValue); expected \(key.expectation).")
            }
            return parsed
        }

        let database: DatabaseLocation
        let isDefault: Bool
        if let (url, origin) = value(.databaseURL) {
            do {
                database = try DatabaseLocation(
                    url: url,
                    environment: sources.environment,
                    currentDirectory: sources.currentDirectory
                )
            } catch {
                // Name where the bad URL came from, never the URL's password.
                throw .configuration("\(origin): \(error)")
            }
            isDefault = false
        } else {
            database = .defaultSQLite(environment: sources.environment)
            isDefault = true
        }

        var config = AppConfig(
            database: database,
            isDefaultDatabase: isDefault,
            autoMigrate: try parse(.databaseAutoMigrate, parseBool),
            configFile: filePath
        )
        if let timeout = try parse(.databaseConnectTimeout, parseDuration) { config.connectTimeout = timeout }
        if let timeout = try parse(.databaseBusyTimeout, parseDuration) { config.busyTimeout = timeout }
        if let timeout = try parse(.databaseStatementTimeout, parseDuration) {
            config.statementTimeout = timeout == .zero ? nil : timeout
        }
        if let size = try parse(.databasePoolSize, { Int($0).flatMap { (1...1_000).contains($0) ? $0 : nil } }) {
            config.poolSize = size
        }
        if let level = try parse(
            .databaseCompressionLevel, { Int32($0).flatMap { ZstdFrames.levels.contains($0) ? $0 : nil } })
        {
            config.compressionLevel = level
        }
        if let level = try parse(.logLevel, { Logger.Level(rawValue: $0.lowercased()) }) { config.logLevel = level }
        if let window = try parse(.ingestDedupWindow, parseDuration) { config.ingest.dedupWindow = window }
        if let window = try parse(.alertsCorrelationWindow, parseDuration) { config.ingest.correlationWindow = window }
        if let size = try parse(.ingestBatchSize, { Int($0).flatMap { (1...10_000).contains($0) ? $0 : nil } }) {
            config.ingest.batchSize = size
        }
        if let fields = try parse(.ingestFingerprint, parseFingerprint) { config.ingest.defaultFingerprint = fields }
        func parseSize(_ text: String) -> Int? { Self.parseSize(text).flatMap { $0 >= 1_024 ? $0 : nil } }
        if let size = try parse(.ingestMaxRecordSize, parseSize) { config.ingest.limits.recordSize = size }
        if let size = try parse(.ingestMaxStringLength, parseSize) { config.ingest.limits.json.stringLength = size }
        if let depth = try parse(.ingestMaxDepth, { Int($0).flatMap { (2...512).contains($0) ? $0 : nil } }) {
            config.ingest.limits.json.depth = depth
        }
        if let count = try parse(.ingestMaxFields, { Int($0).flatMap { (10...10_000_000).contains($0) ? $0 : nil } }) {
            config.ingest.limits.json.values = count
        }
        if let policy = try parse(.incidentsAssignment, { IncidentSettings.Assignment(rawValue: $0.lowercased()) }) {
            config.incidents.assignment = policy
        }
        if let analysts = try parse(
            .incidentsAnalysts,
            { text -> [String]? in
                let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                return names.allSatisfy { !$0.isEmpty } ? names : nil
            })
        {
            config.incidents.analysts = analysts
        }
        if let (path, origin) = value(.incidentsTaskTemplates) {
            // Relative to the config file when set there, else to the current directory.
            var base = sources.currentDirectory
            if let filePath, origin.hasPrefix(filePath) {
                let directory = (filePath as NSString).deletingLastPathComponent
                base = directory.isEmpty ? "." : directory
            }
            config.incidents.taskTemplatesPath = path.hasPrefix("/") ? path : base + "/" + path
        }
        if let (path, origin) = value(.playbooksPath) {
            var base = sources.currentDirectory
            if let filePath, origin.hasPrefix(filePath) {
                let directory = (filePath as NSString).deletingLastPathComponent
                base = directory.isEmpty ? "." : directory
            }
            config.playbooksPath = path.hasPrefix("/") ? path : base + "/" + path
        } else {
            let file = filePath ?? ConfigFile.defaultPath(environment: sources.environment)
            config.playbooksPath = (file as NSString).deletingLastPathComponent + "/playbooks"
        }
        if let allow = try parse(.playbooksAllowExec, parseBool) { config.playbooksAllowExec = allow }
        if let (url, origin) = value(.serverURL) {
            config.serverURL = url
            config.serverURLOrigin = origin
        }
        config.serverCAFile = value(.serverCAFile)?.text
        config.serverClientCert = value(.serverClientCert)?.text
        config.serverClientKey = value(.serverClientKey)?.text
        if let lease = try parse(.playbooksLease, { Self.parseDuration($0).flatMap { $0 >= .seconds(1) ? $0 : nil } }) {
            config.playbooksLease = lease
        }
        if config.incidents.assignment != .none && config.incidents.analysts.isEmpty {
            throw .configuration(
                "incidents.assignment is \(config.incidents.assignment.rawValue) but incidents.analysts is empty; "
                    + "list the analysts to assign to.")
        }
        if let url = try parse(
            .mitreSyncURL, { $0.replacingOccurrences(of: "{domain}", with: "domain").isHTTPURL ? $0 : nil })
        {
            config.mitreSyncURL = url
        }
        if let timeout = try parse(.mitreSyncTimeout, parseDuration) { config.mitreSyncTimeout = timeout }
        func parseRate(_ text: String) -> Int? { Int(text).flatMap { (0...1_000_000).contains($0) ? $0 : nil } }
        if let rate = try parse(.serverRateLimitPerToken, parseRate) { config.server.rateLimitPerToken = rate }
        if let rate = try parse(.serverRateLimitPerAddress, parseRate) { config.server.rateLimitPerAddress = rate }
        if let rate = try parse(.serverRateLimitTokenEndpoint, parseRate) {
            config.server.rateLimitTokenEndpoint = rate
        }
        if let trust = try parse(.serverTrustProxy, parseBool) { config.server.trustProxy = trust }
        if let isPublic = try parse(.serverMetricsPublic, parseBool) { config.server.isMetricsPublic = isPublic }
        if let timeout = try parse(.serverShutdownTimeout, parseDuration) { config.server.shutdownTimeout = timeout }
        func retentionAge(_ text: String) -> Duration?? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed == "0" { return .some(nil) }
            // Weeks too, as --older-than takes them.
            if trimmed.hasSuffix("w"), let weeks = Int(trimmed.dropLast()), weeks > 0 {
                return .some(.seconds(weeks * 604_800))
            }
            return Self.parseDuration(trimmed).flatMap { $0 >= .seconds(86_400) ? .some($0) : nil }
        }
        if let age = try parse(.retentionAlerts, retentionAge) { config.retention.alerts = age }
        if let age = try parse(.retentionIncidents, retentionAge) { config.retention.incidents = age }
        if let statuses = try parse(
            .retentionAlertStatuses,
            { text -> [AlertStatus]? in
                let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                let statuses = names.compactMap(AlertStatus.init(rawValue:))
                return statuses.count == names.count && !statuses.isEmpty ? statuses : nil
            })
        {
            config.retention.alertStatuses = statuses
        }
        if let limit = try parse(
            .serverEvidenceLimit,
            { Self.parseSize($0).flatMap { (1_048_576...IncidentService.maximumEvidenceSize).contains($0) ? $0 : nil } }
        ) {
            config.server.evidenceLimit = limit
        }
        if let window = try parse(.iocRetroHunt, parseDuration) {
            config.ioc.retroHunt = window == .zero ? nil : window.seconds
        }
        func parseScore(_ text: String) -> Double? { Double(text).flatMap { (0...100).contains($0) ? $0 : nil } }
        if let threshold = try parse(.iocThreshold, parseScore) { config.ioc.decay.threshold = threshold }
        if let severity = try parse(
            .iocMatchPolicyRaiseTo,
            { Severity(name: $0).flatMap { [.low, .medium, .high, .critical].contains($0) ? $0 : nil } })
        {
            config.ioc.matchPolicy.raiseTo = severity
        }
        if let score = try parse(.iocMatchPolicyMinScore, parseScore) { config.ioc.matchPolicy.minimumScore = score }
        // Lifetimes per indicator type: ioc.lifetime.<type> / CORERECON_IOC_LIFETIME_<TYPE> (ip-port: IP_PORT).
        for type in IndicatorType.allCases {
            let key = "ioc.lifetime.\(type.rawValue)"
            let environmentName =
                "CORERECON_IOC_LIFETIME_" + type.rawValue.uppercased().replacingOccurrences(of: "-", with: "_")
            let found: (String, String)? =
                sources.environment[environmentName].map { ($0, environmentName) }
                ?? file[key].map { ($0.value, "\(filePath ?? "config"):\($0.line)") }
            guard let (text, origin) = found else { continue }
            guard let lifetime = parseDuration(text), lifetime > .zero else {
                throw .configuration("\(origin): '\(text)' is not valid for \(key); expected a duration such as 30d.")
            }
            config.ioc.decay.lifetimes[type] = lifetime.seconds
        }
        // Per-format fingerprints: ingest.fingerprint.<format> / CORERECON_INGEST_FINGERPRINT_<FORMAT>.
        for format in AlertFormat.allCases {
            let key = "ingest.fingerprint.\(format.rawValue)"
            let environmentName = "CORERECON_INGEST_FINGERPRINT_\(format.rawValue.uppercased())"
            let found: (String, String)? =
                sources.environment[environmentName].map { ($0, environmentName) }
                ?? file[key].map { ($0.value, "\(filePath ?? "config"):\($0.line)") }
            guard let (text, origin) = found else { continue }
            guard let fields = parseFingerprint(text) else {
                throw .configuration(
                    "\(origin): '\(text)' is not valid for \(key); expected \(Key.ingestFingerprint.expectation).")
            }
            config.ingest.fingerprints[format] = fields
        }
        let configName = filePath ?? "config"
        if let node = sections["notify"] {
            config.notify = try NotifySettings.parse(ConfigSection(node: node, path: "notify", file: configName))
        }
        if let node = sections["syslog"] {
            config.syslog = try SyslogSettings.parse(ConfigSection(node: node, path: "syslog", file: configName))
        }
        if let listen = sources.environment["CORERECON_SYSLOG_LISTEN"], !listen.isEmpty {
            do {
                config.syslog.listen = try SyslogSettings.parseEndpoints(listen)
            } catch {
                throw .configuration("CORERECON_SYSLOG_LISTEN: \(error)")
            }
        }
        if let node = sections["sla"] {
            config.sla = try SLASettings.parse(ConfigSection(node: node, path: "sla", file: configName))
            for policy in config.sla.policies {
                for channel in policy.onBreach.notify where config.notify.channels[channel] == nil {
                    throw .configuration(
                        "\(configName): sla policy '\(policy.name)' notifies '\(channel)', which is not a channel under "
                            + "notify.channels.")
                }
            }
        }
        return config
    }

    private static func flagName(_ key: Key) -> String {
        switch key {
        case .databaseURL: "database-url"
        case .logLevel: "log-level"
        default: key.rawValue
        }
    }

    /// A comma-separated list of fingerprint fields (YAML lists arrive joined by commas).
    static func parseFingerprint(_ text: String) -> [String]? {
        let fields = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !fields.isEmpty,
            fields.allSatisfy({
                IngestSettings.fingerprintFields.contains($0) || ($0.hasPrefix("raw.") && $0.count > 4)
            })
        else { return nil }
        return fields
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: nil
        }
    }

    /// Parses a byte size: `65536`, `512KB`, `1MB` (powers of 1024; `K`, `M`, `KiB`, `MiB` too); nil past 1 GiB.
    public static func parseSize(_ text: String) -> Int? {
        var digits = text.trimmingCharacters(in: .whitespaces).uppercased()
        var scale = 1
        for (suffix, factor) in [
            ("KIB", 1 << 10), ("MIB", 1 << 20), ("KB", 1 << 10), ("MB", 1 << 20), ("K", 1 << 10), ("M", 1 << 20),
            ("B", 1),
        ]
        where digits.hasSuffix(suffix) {
            digits = String(digits.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            scale = factor
            break
        }
        guard let number = Int(digits), number >= 0, number <= (1 << 30) / scale else { return nil }
        return number * scale
    }

    /// The longest duration accepted anywhere: a thousand years is longer than any window or retention.
    static let maximumDurationSeconds = 1_000.0 * 366 * 86_400

    /// Parses `5s`, `500ms`, `2m`, `1h`, `3d` or a bare number of seconds; nil for anything else, including
    /// negative, infinite or absurdly long durations (`1e300h`, `inf`).
    public static func parseDuration(_ text: String) -> Duration? {
        let units: [(suffix: String, seconds: Double)] = [
            ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400),
        ]
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        var number = Double(trimmed)
        var scale = 1.0
        if number == nil, let unit = units.first(where: { trimmed.hasSuffix($0.suffix) }) {
            number = Double(trimmed.dropLast(unit.suffix.count))
            scale = unit.seconds
        }
        guard let number, number.isFinite, number >= 0, number * scale <= maximumDurationSeconds else { return nil }
        return .milliseconds(Int64((number * scale * 1_000).rounded()))
    }
}

/// `retention.*`: what `serve` ages out once a day (`alert purge` and `incident purge` for cron users).
public struct RetentionSettings: Sendable, Equatable {
    /// Alerts last seen longer ago than this are purged; nil keeps them.
    public var alerts: Duration?
    /// Only alerts in these statuses; nil for any.
    public var alertStatuses: [AlertStatus]?
    /// Closed incidents closed longer ago than this are purged; nil keeps them.
    public var incidents: Duration?

    public init() {}
}
