import CoreRecon
import CoreReconTestSupport
import Foundation
import Testing

@Suite("Configuration")
struct AppConfigTests {
    /// Writes `yaml` to a config file in a fresh directory and returns its path.
    func configFile(_ yaml: String) throws -> (path: String, directory: TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/config.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, directory)
    }

    @Test("Flags beat the environment, which beats the config file, which beats defaults")
    func precedence() throws {
        let (path, directory) = try configFile(
            """
            database:
              url: sqlite:///from/file.db
              busyTimeout: 2s
            log:
              level: debug
            """
        )
        defer { directory.remove() }
        let environment = [
            "HOME": "/home/a", "CORERECON_DATABASE_URL": "sqlite:///from/env.db", "CORERECON_LOG_LEVEL": "info",
        ]

        let fromFile = try AppConfig.load(.init(environment: ["HOME": "/home/a"], configPath: path))
        #expect(fromFile.database == .sqliteFile(path: "/from/file.db"))
        #expect(fromFile.logLevel == .debug)
        #expect(fromFile.busyTimeout == .seconds(2))
        #expect(fromFile.configFile == path)

        let fromEnvironment = try AppConfig.load(.init(environment: environment, configPath: path))
        #expect(fromEnvironment.database == .sqliteFile(path: "/from/env.db"))
        #expect(fromEnvironment.logLevel == .info)
        #expect(fromEnvironment.busyTimeout == .seconds(2))

        let fromFlags = try AppConfig.load(
            .init(flags: [.databaseURL: "sqlite:///from/flag.db"], environment: environment, configPath: path)
        )
        #expect(fromFlags.database == .sqliteFile(path: "/from/flag.db"))
        #expect(!fromFlags.isDefaultDatabase)

        let defaults = try AppConfig.load(.init(environment: ["HOME": "/home/a"]))
        #expect(defaults.isDefaultDatabase)
        #expect(defaults.database == .sqliteFile(path: "/home/a/.local/share/corerecon/corerecon.db"))
        #expect(defaults.autoMigrate)
        #expect(defaults.logLevel == .warning)
    }

    @Test("The default config file is read from XDG_CONFIG_HOME, and may be missing")
    func defaultConfigFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let environment = ["HOME": "/home/a", "XDG_CONFIG_HOME": directory.path]
        #expect(try AppConfig.load(.init(environment: environment)).configFile == nil)

        try FileManager.default.createDirectory(
            atPath: directory.path + "/corerecon", withIntermediateDirectories: true)
        try "database:\n  url: \"sqlite::memory:\"\n".write(
            toFile: directory.path + "/corerecon/config.yaml", atomically: true, encoding: .utf8)
        #expect(try AppConfig.load(.init(environment: environment)).database == .sqliteMemory)
    }

    @Test("PostgreSQL does not migrate itself unless told to")
    func autoMigrateDefaults() throws {
        let postgres = try AppConfig.load(.init(flags: [.databaseURL: "postgres://u@h/db"], environment: [:]))
        #expect(!postgres.autoMigrate)
        let told = try AppConfig.load(
            .init(flags: [.databaseURL: "postgres://u@h/db"], environment: ["CORERECON_DATABASE_AUTO_MIGRATE": "true"])
        )
        #expect(told.autoMigrate)
    }

    @Test("An unknown setting names the file and line")
    func unknownKey() throws {
        let (path, directory) = try configFile("database:\n  url: \"sqlite::memory:\"\n  pool_size: 4\n")
        defer { directory.remove() }
        #expect(throws: CoreReconError.self) { try AppConfig.load(.init(environment: [:], configPath: path)) }
        do {
            _ = try AppConfig.load(.init(environment: [:], configPath: path))
        } catch {
            #expect("\(error)".contains("\(path):3"))
            #expect("\(error)".contains("database.pool_size"))
        }
    }

    @Test("A bad value names where it came from and what is expected")
    func badValue() {
        #expect {
            try AppConfig.load(.init(environment: ["CORERECON_DATABASE_BUSY_TIMEOUT": "soon"]))
        } throws: { error in
            "\(error)".contains("CORERECON_DATABASE_BUSY_TIMEOUT") && "\(error)".contains("duration")
        }
    }

    @Test("The compression level comes from the file or the environment, 3 by default, and must be 1 to 19")
    func compressionLevel() throws {
        let (path, directory) = try configFile("database:\n  compressionLevel: 9\n")
        defer { directory.remove() }
        #expect(try AppConfig.load(.init(environment: ["HOME": "/home/a"])).compressionLevel == 3)
        #expect(try AppConfig.load(.init(environment: ["HOME": "/home/a"], configPath: path)).compressionLevel == 9)
        let environment = ["HOME": "/home/a", "CORERECON_DATABASE_COMPRESSION_LEVEL": "12"]
        #expect(try AppConfig.load(.init(environment: environment, configPath: path)).compressionLevel == 12)
        for bad in ["0", "20", "best"] {
            #expect {
                try AppConfig.load(.init(environment: ["CORERECON_DATABASE_COMPRESSION_LEVEL": bad]))
            } throws: { error in
                "\(error)".contains("CORERECON_DATABASE_COMPRESSION_LEVEL") && "\(error)".contains("from 1 to 19")
            }
        }
    }

    @Test("Broken YAML and a missing explicit config file are configuration errors")
    func brokenFiles() throws {
        let (path, directory) = try configFile("database:\n  url: [unclosed\n")
        defer { directory.remove() }
        #expect(throws: CoreReconError.self) { try AppConfig.load(.init(environment: [:], configPath: path)) }
        #expect {
            try AppConfig.load(.init(environment: [:], configPath: directory.path + "/missing.yaml"))
        } throws: { error in
            "\(error)".contains("does not exist")
        }
    }

    @Test("A bad database URL from the environment names the variable, not the password")
    func badURLOrigin() {
        #expect {
            try AppConfig.load(.init(environment: ["CORERECON_DATABASE_URL": "postgres://u:topsecret@h:x/db"]))
        } throws: { error in
            "\(error)".hasPrefix("CORERECON_DATABASE_URL:") && !"\(error)".contains("topsecret")
        }
    }

    @Test("Environment names derive from the dotted keys")
    func environmentNames() {
        #expect(AppConfig.Key.databaseURL.environmentName == "CORERECON_DATABASE_URL")
        #expect(AppConfig.Key.databaseAutoMigrate.environmentName == "CORERECON_DATABASE_AUTO_MIGRATE")
    }

    @Test("Server rate limits and metrics settings come from the file and the environment")
    func serverSettings() throws {
        let (path, directory) = try configFile(
            """
            server:
              rateLimit:
                perToken: 120
                tokenEndpoint: 5
              metricsPublic: false
            """
        )
        defer { directory.remove() }
        let environment = ["HOME": "/home/a", "CORERECON_SERVER_RATE_LIMIT_PER_ADDRESS": "0"]
        let config = try AppConfig.load(.init(environment: environment, configPath: path))
        #expect(config.server.rateLimitPerToken == 120)
        #expect(config.server.rateLimitTokenEndpoint == 5)
        #expect(config.server.rateLimitPerAddress == 0)
        #expect(!config.server.isMetricsPublic)
        #expect(!config.server.trustProxy)
        #expect(AppConfig.Key.serverRateLimitPerAddress.environmentName == "CORERECON_SERVER_RATE_LIMIT_PER_ADDRESS")
        #expect(throws: CoreReconError.self) {
            try AppConfig.load(
                .init(
                    environment: ["HOME": "/home/a", "CORERECON_SERVER_RATE_LIMIT_PER_TOKEN": "lots"], configPath: path)
            )
        }
    }

    @Test("A URL's http(s) scheme is checked byte for byte: a combining mark after the slashes does not hide it")
    func httpScheme() {
        let joined = "https://\u{941}x"
        #expect(!joined.hasPrefix("https://"), "Swift compares characters: the mark joins the second slash")
        #expect(joined.hasHTTPScheme && "http://a".hasHTTPScheme)
        #expect(!"ftp://a".hasHTTPScheme && !"HTTPS://a".hasHTTPScheme && !"https:/a".hasHTTPScheme)
    }

    @Test("A URL to fetch from must parse, with a host and a valid port, not just start with http(s)://")
    func httpURL() {
        let good = ["http://a", "https://feeds.example.org/x.json?a=1", "http://[::1]:8080/taxii2/", "http://u:p@h/x"]
        for url in good { #expect(url.isHTTPURL, "\(url)") }
        let bad = ["http://[x", "https://", "http:///x", "http://ex ample.org/", "http://h:0/", "http://h:99999/"]
        for url in bad + ["ftp://h/"] {
            #expect(!url.isHTTPURL, "\(url)")
        }
    }
}
