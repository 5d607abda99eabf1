import Foundation

/// Where the database lives, parsed from `--database-url` / `CORERECON_DATABASE_URL`.
///
/// Accepted forms:
/// - `sqlite:///absolute/path.db`, `sqlite:relative.db`, `sqlite::memory:`
/// - `postgres://user:pass@host:port/db?sslmode=disable|prefer|require|verify-ca|verify-full` (or `postgresql://`);
///   parts left out fall back to `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE` as libpq does.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(PostgresLocation)

    /// The backend's name as shown to users: `sqlite` or `postgres`.
    public var backendName: String {
        switch self {
        case .sqliteFile, .sqliteMemory: "sqlite"
        case .postgres: "postgres"
        }
    }

    /// A printable form with any password masked.
    public var description: String {
        switch self {
        case .sqliteFile(let path): "sqlite://\(path)"
        case .sqliteMemory: "sqlite::memory:"
        case .postgres(let location): location.description
        }
    }

    /// Parses a database URL. `environment` supplies the libpq `PG*` fallbacks and `currentDirectory` anchors
    /// relative SQLite paths.
    public init(
        url: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(CoreReconError) {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw Self.malformed(url, "it has no scheme")
        }
        let scheme = trimmed[..<colon].lowercased()
        let rest = String(trimmed[trimmed.index(after: colon)...])
        switch scheme {
        case "sqlite", "sqlite3":
            self = try Self.parseSQLite(rest, original: url, currentDirectory: currentDirectory)
        case "postgres", "postgresql":
            self = .postgres(try PostgresLocation(url: trimmed, environment: environment))
        default:
            throw .configuration(
                "unsupported database URL scheme '\(scheme)'. Use sqlite:PATH, sqlite::memory: or "
                    + "postgres://USER@HOST:PORT/DB in --database-url or CORERECON_DATABASE_URL."
            )
        }
    }

    /// The embedded default: `$XDG_DATA_HOME/corerecon/corerecon.db` (`~/.local/share/corerecon/corerecon.db`).
    public static func defaultSQLite(environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        let dataHome: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            dataHome = xdg
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            dataHome = home + "/.local/share"
        }
        return .sqliteFile(path: dataHome + "/corerecon/corerecon.db")
    }

    private static func parseSQLite(
        _ rest: String,
        original: String,
        currentDirectory: String
    ) throws(CoreReconError) -> Self {
        // `sqlite::memory:` arrives here as ":memory:"; `sqlite://...` as "//...".
        var path = rest
        if path == ":memory:" || path == "//:memory:" { return .sqliteMemory }
        if path.hasPrefix("//") { path.removeFirst(2) }
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        path = path.removingPercentEncoding ?? path
        guard !path.isEmpty else { throw Self.malformed(original, "it names no file") }
        if !path.hasPrefix("/") {
            path = currentDirectory + "/" + path
        }
        return .sqliteFile(path: (path as NSString).standardizingPath)
    }

    static func malformed(_ url: String, _ reason: String) -> CoreReconError {
        .configuration(
            "malformed database URL '\(PostgresLocation.maskingPassword(in: url))': \(reason). "
                + "Check --database-url or CORERECON_DATABASE_URL."
        )
    }
}

/// A PostgreSQL server and database, with libpq's environment fallbacks applied.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode
    /// Run-time parameters from libpq's `options=-c name=value` (for example `search_path`).
    public var parameters: [String: String]

    /// True when `host` is a Unix-domain socket directory rather than a TCP host.
    public var isUnixSocket: Bool { host.hasPrefix("/") }

    /// "host:port" or the socket path, for messages.
    public var endpoint: String { isUnixSocket ? "\(host)/.s.PGSQL.\(port)" : "\(host):\(port)" }

    public var description: String {
        var text = "postgres://\(user)"
        if password != nil { text += ":***" }
        let hostPart = isUnixSocket ? "" : "\(host):\(port)"
        text += "@\(hostPart)/\(database)?sslmode=\(tlsMode.rawValue)"
        if isUnixSocket { text += "&host=\(host)&port=\(port)" }
        return text
    }

    /// The URL with the real password, for handing to another process. Never print it: use `description`.
    public var connectionURL: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = user
        components.password = password
        components.host = isUnixSocket ? nil : host
        components.port = isUnixSocket ? nil : port
        components.path = "/" + database
        var items = [URLQueryItem(name: "sslmode", value: tlsMode.rawValue)]
        if isUnixSocket {
            items += [URLQueryItem(name: "host", value: host), URLQueryItem(name: "port", value: "\(port)")]
        }
        if !parameters.isEmpty {
            let options = parameters.sorted { $0.key < $1.key }.map { "-c \($0.key)=\($0.value)" }.joined(
                separator: " ")
            items.append(URLQueryItem(name: "options", value: options))
        }
        components.queryItems = items
        // URLComponents leaves '=' unescaped inside values, which our parser reads back unchanged.
        return components.string ?? description
    }

    public init(
        host: String,
        port: Int = 5432,
        user: String,
        password: String? = nil,
        database: String,
        tlsMode: TLSMode = .prefer,
        parameters: [String: String] = [:]
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tlsMode = tlsMode
        self.parameters = parameters
    }

    init(url: String, environment: [String: String]) throws(CoreReconError) {
        guard let components = URLComponents(string: url) else {
            throw DatabaseLocation.malformed(url, "it is not a valid URL (percent-encode special characters)")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            query[item.name] = item.value ?? ""
        }

        let hostFromURL = components.percentEncodedHost.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        host = hostFromURL ?? query["host"] ?? environment["PGHOST"] ?? "localhost"

        if let port = components.port {
            self.port = port
        } else if let text = query["port"] ?? environment["PGPORT"] {
            guard let port = Int(text), (1...65_535).contains(port) else {
                throw DatabaseLocation.malformed(url, "port '\(text)' is not a number between 1 and 65535")
            }
            self.port = port
        } else {
            port = 5432
        }

        let userFromURL = components.percentEncodedUser.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        let loginName = environment["USER"] ?? environment["LOGNAME"] ?? "postgres"
        user = userFromURL ?? query["user"] ?? environment["PGUSER"] ?? loginName
        password =
            components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
            ?? query["password"] ?? environment["PGPASSWORD"]

        var path = components.percentEncodedPath
        if path.hasPrefix("/") { path.removeFirst() }
        let databaseFromURL = path.isEmpty ? nil : path.removingPercentEncoding
        database = databaseFromURL ?? query["dbname"] ?? environment["PGDATABASE"] ?? user

        let modeText = query["sslmode"] ?? environment["PGSSLMODE"] ?? "prefer"
        guard let mode = TLSMode(rawValue: modeText) else {
            let allowed = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
            throw DatabaseLocation.malformed(url, "sslmode '\(modeText)' is not one of \(allowed)")
        }
        tlsMode = mode
        parameters = try Self.parseOptions(query["options"], url: url)
    }

    /// Parses libpq's `options` parameter: `-c name=value` pairs separated by spaces (`-cname=value` works too).
    private static func parseOptions(_ options: String?, url: String) throws(CoreReconError) -> [String: String] {
        guard let options, !options.isEmpty else { return [:] }
        var parameters: [String: String] = [:]
        var words = options.split(separator: " ").map(String.init)[...]
        while let word = words.popFirst() {
            var setting: String
            if word == "-c", let next = words.popFirst() {
                setting = next
            } else if word.hasPrefix("-c") {
                setting = String(word.dropFirst(2))
            } else if word.hasPrefix("--") {
                setting = String(word.dropFirst(2))
            } else {
                throw DatabaseLocation.malformed(url, "options '\(options)' must be '-c name=value' pairs")
            }
            guard let equals = setting.firstIndex(of: "=") else {
                throw DatabaseLocation.malformed(url, "option '\(setting)' has no '=value'")
            }
            // libpq accepts dashes in parameter names (`search-path`); the server spells them with underscores.
            let name = setting[..<equals].replacingOccurrences(of: "-", with: "_")
            parameters[name] = String(setting[setting.index(after: equals)...])
        }
        return parameters
    }

    /// Replaces the password of a URL-shaped string with `***`, for error messages about URLs that did not parse.
    static func maskingPassword(in url: String) -> String {
        guard let schemeEnd = url.range(of: "://"),
            let at = url[schemeEnd.upperBound...].lastIndex(of: "@")
        else { return url }
        let userInfo = url[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}
