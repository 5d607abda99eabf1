import Foundation

/// Reads the audit log. Appending happens inside the transactions of the changes recorded (see each repository),
/// never through this protocol, so a change cannot commit without its row.
public protocol AuditRepository: Sendable {
    /// Rows matching `query`, newest first.
    func entries(_ query: AuditQuery) async throws -> [AuditEntry]
    /// Rows with ids in `after + 1 ... through`, oldest first, at most `limit`.
    func chain(after id: Int64, through last: Int64, limit: Int) async throws -> [AuditEntry]
    /// The head row: the id and hash of the newest row appended.
    func head() async throws -> AuditHead
}

/// Filters for `audit list` and `GET /api/v1/audit`.
public struct AuditQuery: Sendable, Equatable {
    public var since: Date?
    public var actor: String?
    /// An action (`incident.create`) or a prefix of dotted actions (`incident` matches `incident.create`, ...).
    public var action: String?
    public var target: String?
    public var limit: Int

    public init(
        since: Date? = nil, actor: String? = nil, action: String? = nil, target: String? = nil, limit: Int = 100
    ) {
        self.since = since
        self.actor = actor
        self.action = action
        self.target = target
        self.limit = limit
    }
}
