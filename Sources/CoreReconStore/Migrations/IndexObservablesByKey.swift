/// Migration: on SQLite, "which alerts carry this value" is answered by a full-text table of observable keys instead
/// of the B-tree `alert_observables_value` on `(type, value)`.
///
/// That B-tree took every observable of every new alert at a random place: a batch of 1,000 alerts dirtied about
/// 3,000 of its pages, each written to the log at the commit, and it held a copy of every value (about 30 MB of a
/// 280 MB database of 200,000 synthetic alerts). `alert_observable_keys` is a contentless FTS5 table without
/// positions (`detail=none`): one document an alert, with the alert's id as rowid, whose words are its observables'
/// keys (``ObservableKey``). A commit adds one segment of sorted keys and merges segments a little at a time, as
/// the alerts' own full-text index does; a posting list is a few bytes an alert. 200,000 synthetic alerts were
/// ingested in 17.3 and 20.4 s instead of 20.2 and 25.7 s, into 259.5 MB instead of 278.9 MB (the index 8.1 MB,
/// the B-tree 29.6 MB).
///
/// `alert related` looks the keys up and then matches the candidates' rows of `alert_observables` (its primary key
/// starts with the alert's id) on type and value. The batch writer replaces an alert's document when a merged
/// record brings it a new observable; deleting an alert deletes its document (the trigger below). The index is
/// built here, in this migration's transaction, from `alert_observables` as it is.
///
/// PostgreSQL keeps a B-tree (migration 20, then 23): its writes do not go through a single log writer.
struct IndexObservablesByKey: Migration {
    let version = 22
    let name = "observable_keys"

    func statements(for backend: DatabaseBackend) -> [String] {
        switch backend {
        case .sqlite:
            [
                """
                CREATE VIRTUAL TABLE alert_observable_keys USING fts5(
                    keys, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii'
                )
                """,
                "INSERT INTO alert_observable_keys (alert_observable_keys, rank) VALUES ('automerge', 16)",
                "INSERT INTO alert_observable_keys (alert_observable_keys, rank) VALUES ('crisismerge', 64)",
                """
                INSERT INTO alert_observable_keys (rowid, keys)
                SELECT alert_id, group_concat(corerecon_observable_key(type, value), ' ')
                FROM alert_observables GROUP BY alert_id
                """,
                """
                CREATE TRIGGER alert_observable_keys_delete AFTER DELETE ON alerts BEGIN
                    DELETE FROM alert_observable_keys WHERE rowid = old.id;
                END
                """,
                "DROP INDEX alert_observables_value",
            ]
        case .postgres:
            []
        }
    }
}
