/// Migration: the stream's events lose their index on `at`.
///
/// Its one reader was the pruning of events older than a day, and that needs no index: events are deleted from the
/// oldest on, up to the first one young enough to keep, which a walk of the primary key from its start finds having
/// read only what it deletes (``EventLog/prune(before:keepingAfter:)``). Each event written costs one B-tree entry
/// less: on SQLite, after 200,000 synthetic records (185,883 events), the index took 3.2 MB of the database's 258 MB.
struct DropEventTimeIndex: Migration {
    let version = 24
    let name = "drop_event_time_index"

    func statements(for backend: DatabaseBackend) -> [String] {
        ["DROP INDEX events_at"]
    }
}
