/// Migration: the two indexes the batch writer looks things up in hold no more than those look-ups use.
///
/// - **Observable values, on PostgreSQL.** "Which alerts carry this value" (`alert related`) is answered by an
///   index on `(type, value)` instead of migration 20's unique index on `(type, value, alert_id)`. PostgreSQL's
///   B-trees keep equal keys once, with a list of row pointers (6 bytes each), but only keys equal in every
///   column: with the alert's id in the key, no two entries were equal and each held its value again. After 20,000
///   records in the shapes of `../shared/data` (57,603 observables, 23,067 distinct) the unique index took 4.6 MB
///   and this one 1.7 MB; after 200,000 synthetic records, 58.4 MB and 31.8 MB.
///
///   The unique index also kept an alert's observables distinct (the batch writer's `ON CONFLICT DO NOTHING`). The
///   writer now does that itself: alerts a batch creates have their observables de-duplicated in memory, and a
///   stored alert a record merges into gets only the values it does not hold (its rows with the batch's values are
///   read, through the index on `alert_id`). That read comes after the batch has updated the alert's row
///   (occurrences, last seen), whose lock makes a concurrent batch merging into the same alert wait for the commit.
///   Its cost grows with the values the alert holds: for an alert of 20,000 values, about 5 ms in the server.
///
///   SQLite keeps its layout: its table is its primary key `(alert_id, type, value)`, and values are looked up
///   through the keys' full-text index (migration 22).
/// - **Open alerts by fingerprint, on both.** The writer reads every open alert of a batch's fingerprints and keeps
///   the one seen last itself, so the index holds the fingerprint alone, not `last_seen` beside it: 1.5 MB instead
///   of 1.8 MB on PostgreSQL, and 0.88 MB instead of 1.03 MB on SQLite, for the 20,000 records above.
struct SlimLookupIndexes: Migration {
    let version = 23
    let name = "slim_lookup_indexes"

    func statements(for backend: DatabaseBackend) -> [String] {
        var statements = [
            "DROP INDEX alerts_open_fingerprint",
            "CREATE INDEX alerts_open_fingerprint ON alerts (fingerprint) WHERE status <> 'closed'",
        ]
        if backend == .postgres {
            statements += [
                "DROP INDEX alert_observables_value",
                "CREATE INDEX alert_observables_value ON alert_observables (type, value)",
            ]
        }
        return statements
    }
}
