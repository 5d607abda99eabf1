/// Migration: on SQLite, lets the full-text index gather 16 segments a level before merging them (FTS5's
/// `automerge`, 4 by default).
///
/// Every write transaction adds a small segment to the FTS5 index, and a server storing webhooks commits many
/// small transactions. With the default, merges run so often that a commit now and then waits tens of
/// milliseconds for one, which every request in that commit sees: on a 1,000,000-alert queue, webhook p99 at 8
/// connections went from 29 ms to 6 ms with this setting (the database in memory, so without disk stalls).
/// Searches read at most 16 segments a level instead of 4, a fraction of a millisecond. The setting is stored in
/// the index itself. PostgreSQL's `tsvector` GIN index has no such setting to change.
struct TuneFullTextMerging: Migration {
    let version = 8
    let name = "fts_merge_tuning"

    func statements(for backend: DatabaseBackend) -> [String] {
        switch backend {
        case .sqlite: ["INSERT INTO alerts_fts (alerts_fts, rank) VALUES ('automerge', 16)"]
        case .postgres: []
        }
    }
}
