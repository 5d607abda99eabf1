import Crypto
import Foundation

/// One row of the audit log as stored: an ``AuditEvent`` with its position in the chain and its hashes.
public struct AuditEntry: Sendable, Equatable {
    /// Consecutive from 1: a gap means rows were removed.
    public var id: Int64
    public var at: Date
    public var actor: String
    public var action: String
    public var target: String
    /// The summary exactly as stored (canonical JSON of an ``AuditSummary``): this text is what is hashed.
    public var summary: String
    /// The hash of the row before (``AuditChain/genesis`` for the first).
    public var previousHash: String
    public var hash: String

    public init(
        id: Int64, at: Date, actor: String, action: String, target: String, summary: String, previousHash: String,
        hash: String
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.summary = summary
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The row for `event` at position `id` after the row hashed `previousHash`.
    public init(_ event: AuditEvent, id: Int64, previousHash: String) {
        let summary = event.summary.json
        self.init(
            id: id, at: event.at, actor: event.actor, action: event.action, target: event.target, summary: summary,
            previousHash: previousHash,
            hash: AuditChain.hash(
                id: id, at: event.at, actor: event.actor, action: event.action, target: event.target,
                summary: summary, previousHash: previousHash))
    }

    /// The hash this row's fields should have.
    public var expectedHash: String {
        AuditChain.hash(
            id: id, at: at, actor: actor, action: action, target: target, summary: summary,
            previousHash: previousHash)
    }

    /// The parsed summary, when the stored text is one.
    public var changes: AuditSummary? { AuditSummary(json: summary) }

    /// A row as the API answers it (``encode(to:)``): the summary object back to its canonical text, so that the
    /// row's hash can be checked again. nil when a field is missing or of the wrong kind.
    public init?(json: JSONValue) {
        guard let id = json[key: "id"]?.int, let at = json[key: "at"]?.text.flatMap(TimestampParser.iso8601),
            let actor = json[key: "actor"]?.text, let action = json[key: "action"]?.text,
            let target = json[key: "target"]?.text, let summary = json[key: "summary"],
            let previousHash = json[key: "prevHash"]?.text, let hash = json[key: "hash"]?.text
        else { return nil }
        let text: String
        switch summary {
        case .string(let stored): text = stored
        case .object: text = AuditSummary(json: summary.jsonString)?.json ?? summary.jsonString
        default: return nil
        }
        self.init(
            id: Int64(id), at: at, actor: actor, action: action, target: target, summary: text,
            previousHash: previousHash, hash: hash)
    }
}

/// The audit log's hash chain: each row's hash covers its fields and the hash of the row before it, so changing,
/// removing or reordering a row breaks every link after it.
public enum AuditChain {
    /// The `previousHash` of the first row.
    public static let genesis = String(repeating: "0", count: 64)

    /// SHA-256, hex, of the canonical serialization: a JSON array of id, time in epoch milliseconds, actor,
    /// action, target, summary and the previous hash. JSON string escaping makes the field boundaries unambiguous.
    public static func hash(
        id: Int64, at: Date, actor: String, action: String, target: String, summary: String, previousHash: String
    ) -> String {
        let canonical = JSONValue.array([
            .int(id), .int(at.milliseconds), .string(actor), .string(action), .string(target), .string(summary),
            .string(previousHash),
        ]).jsonString
        return Hex.encode(SHA256.hash(data: Data(canonical.utf8)))
    }
}

/// The newest row of the chain as recorded in the head row each append updates; it lets `verify` notice rows
/// removed from the end.
public struct AuditHead: Sendable, Equatable {
    public var lastID: Int64
    public var lastHash: String

    public init(lastID: Int64, lastHash: String) {
        self.lastID = lastID
        self.lastHash = lastHash
    }
}

extension AuditEntry: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, at, actor, action, target, summary, prevHash, hash
    }

    /// The summary as an object (`before`, `after`); as the stored text when that is not a summary.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(at, forKey: .at)
        try container.encode(actor, forKey: .actor)
        try container.encode(action, forKey: .action)
        try container.encode(target, forKey: .target)
        if let changes {
            try container.encode(changes, forKey: .summary)
        } else {
            try container.encode(summary, forKey: .summary)
        }
        try container.encode(previousHash, forKey: .prevHash)
        try container.encode(hash, forKey: .hash)
    }
}
