import CoreRecon
import Crypto
import Foundation

/// One versioned schema change. Only `corerecon migrate` (or SQLite's self-migration) applies them.
///
/// A migration is never edited after it has shipped: its checksum is recorded when it is applied, and a changed
/// migration is refused. Later changes are new migrations.
public protocol Migration: Sendable {
    /// Position in the sequence, from 1, without gaps.
    var version: Int { get }
    /// A short snake_case description: `alert_tables`.
    var name: String { get }
    /// The statements to run, in order, in one transaction.
    func statements(for backend: DatabaseBackend) -> [String]
}

extension Migration {
    /// SHA-256 of the statements this backend runs, hex-encoded.
    public func checksum(for backend: DatabaseBackend) -> String {
        let text = statements(for: backend).joined(separator: ";\n")
        return Hex.encode(SHA256.hash(data: Data(text.utf8)))
    }
}

/// Every migration CoreRecon knows, in order.
public enum Migrations {
    public static let all: [any Migration] = [
        CreateAlertTables(),
        CreateIncidentTables(),
        CreateATTACKTables(),
        CreateAuthTables(),
        CreateEventTables(),
        CreateAlertListIndexes(),
        CreateAuditLog(),
        TuneFullTextMerging(),
        CreateIndicatorTables(),
        CreateWarninglists(),
        CreateAlertIOCMatches(),
        CreateIndicatorFeeds(),
        CreateIndicatorRevision(),
        CreateSLAAndNotifications(),
        CreatePlaybookTables(),
        CreateIndicatorMatcherSnapshot(),
        CreateDocumentDictionaries(),
        CompressPostgresDocuments(),
        IndexPostgresWordsFromColumns(),
        SlimAlertRows(),
        MergeFullTextIncrementally(),
        IndexObservablesByKey(),
        SlimLookupIndexes(),
        DropEventTimeIndex(),
    ]

    /// The highest version this binary knows.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}
