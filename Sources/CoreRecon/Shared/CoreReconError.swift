/// The errors a CoreRecon user can meet, each with a message that says what happened and what to do.
///
/// Driver and library errors are translated into these cases where they happen (the store, the config loader),
/// so the CLI and the server map one enum to exit codes and HTTP statuses.
public enum CoreReconError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A resource does not exist: "alert 42 not found".
    case notFound(kind: String, id: String)
    /// The operation conflicts with the current state (an invalid transition, a duplicate name).
    case conflict(String)
    /// Input data is malformed: a file, a record, a field. `location` is `file:line` or a field path.
    case invalidInput(location: String?, reason: String)
    /// The configuration (flags, environment, config file, database URL) is wrong.
    case configuration(String)
    /// The database schema has migrations that are not applied yet.
    case schemaBehind(pending: [Int])
    /// The database schema has migrations this binary does not know: it was migrated by a newer version.
    case schemaNewer(databaseVersion: Int, knownVersion: Int)
    /// The database or server cannot be reached or opened.
    case unavailable(String)
    /// The operation failed for a reason the user should know about.
    case failed(String)
    /// The server did not accept who is asking (401), or their role may not (403).
    case denied(String)

    public var description: String {
        switch self {
        case .notFound(let kind, let id):
            return "\(kind) \(id) not found."
        case .conflict(let message), .failed(let message), .configuration(let message), .unavailable(let message),
            .denied(let message):
            return message
        case .invalidInput(let location, let reason):
            return location.map { "\($0): \(reason)" } ?? reason
        case .schemaBehind(let pending):
            let list = pending.map(String.init).joined(separator: ", ")
            let noun = pending.count == 1 ? "migration" : "migrations"
            return "the database schema is behind this corerecon (\(pending.count) \(noun) pending: \(list)). "
                + "Run `corerecon migrate`."
        case .schemaNewer(let databaseVersion, let knownVersion):
            return "the database schema is at version \(databaseVersion), newer than this corerecon knows "
                + "(\(knownVersion)). Upgrade corerecon, or point --database-url at another database."
        }
    }
}
