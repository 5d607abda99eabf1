/// Migration: the event log behind the WebSocket stream. Every committed change the server publishes gets a row;
/// its id is the cursor clients resume from (`?since=`). Rows older than the retention are pruned.
struct CreateEventTables: Migration {
    let version = 5
    let name = "event_log"

    func statements(for backend: DatabaseBackend) -> [String] {
        [
            """
            CREATE TABLE events (
                id \(backend.autoIncrementPrimaryKey),
                at BIGINT NOT NULL,
                type TEXT NOT NULL,
                channel TEXT NOT NULL,
                severity_id INTEGER,
                source TEXT,
                assignee TEXT,
                payload TEXT NOT NULL
            )
            """,
            "CREATE INDEX events_at ON events (at)",
        ]
    }
}
