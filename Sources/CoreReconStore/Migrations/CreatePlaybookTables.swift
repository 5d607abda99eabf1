/// Migration: response playbooks' runs and steps, their cursor over the events table, and which playbooks are
/// switched off.
///
/// A run is unique per (playbook, trigger key): the key is the event id for event-triggered runs, the minute for
/// scheduled ones, the calling step for `playbook.call`, so two runners (two servers, or a server and a cron
/// `playbook run-pending`) record one run per event. A step's row is written before it runs and again after, so
/// a runner that dies mid-run resumes after the last finished step.
struct CreatePlaybookTables: Migration {
    let version = 15
    let name = "playbooks"

    func statements(for backend: DatabaseBackend) -> [String] {
        [
            """
            CREATE TABLE playbook_runs (
                id \(backend.autoIncrementPrimaryKey),
                playbook TEXT NOT NULL,
                version TEXT NOT NULL,
                trigger TEXT NOT NULL,
                trigger_key TEXT NOT NULL,
                event_id BIGINT,
                target_type TEXT,
                target_id TEXT,
                concurrency_key TEXT,
                status TEXT NOT NULL,
                context \(backend.jsonType) NOT NULL,
                actor TEXT NOT NULL,
                error TEXT,
                joined_run BIGINT,
                parent_run BIGINT,
                created_at BIGINT NOT NULL,
                started_at BIGINT,
                finished_at BIGINT,
                wake_at BIGINT,
                lease_owner TEXT,
                lease_until BIGINT,
                UNIQUE (playbook, trigger_key)
            )
            """,
            "CREATE INDEX playbook_runs_status ON playbook_runs (status, id)",
            "CREATE INDEX playbook_runs_target ON playbook_runs (target_type, target_id)",
            "CREATE INDEX playbook_runs_concurrency ON playbook_runs (playbook, concurrency_key, status)",
            """
            CREATE TABLE playbook_steps (
                run_id BIGINT NOT NULL REFERENCES playbook_runs (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                iteration INTEGER NOT NULL,
                step_id TEXT NOT NULL,
                action TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                inputs \(backend.jsonType),
                outputs \(backend.jsonType),
                error TEXT,
                started_at BIGINT,
                finished_at BIGINT,
                PRIMARY KEY (run_id, position, iteration)
            )
            """,
            "CREATE TABLE playbook_state (name TEXT PRIMARY KEY, cursor BIGINT NOT NULL)",
            // Events from now on are handled, whether a runner is up or not; older ones are history.
            "INSERT INTO playbook_state (name, cursor) VALUES ('events', (SELECT COALESCE(MAX(id), 0) FROM events))",
            """
            CREATE TABLE playbook_switches (
                playbook TEXT PRIMARY KEY,
                enabled INTEGER NOT NULL,
                changed_at BIGINT NOT NULL,
                changed_by TEXT NOT NULL
            )
            """,
        ]
    }
}
