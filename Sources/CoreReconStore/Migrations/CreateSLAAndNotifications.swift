/// Migration: SLA clocks (one per goal of an alert or incident, with the policy's goal and calendar copied at
/// start), the at-risk and breach records a unique key lets exist once per clock, the recorded policy changes,
/// and the notification outbox with the cursor and throttle state of its router.
struct CreateSLAAndNotifications: Migration {
    let version = 14
    let name = "sla_and_notifications"

    func statements(for backend: DatabaseBackend) -> [String] {
        let key = backend.autoIncrementPrimaryKey
        return [
            """
            CREATE TABLE sla_clocks (
                id \(key),
                target TEXT NOT NULL,
                target_id BIGINT NOT NULL,
                metric TEXT NOT NULL,
                cycle INTEGER NOT NULL,
                policy TEXT NOT NULL,
                calendar TEXT NOT NULL,
                goal_ms BIGINT NOT NULL,
                at_risk_ms BIGINT NOT NULL,
                started_at BIGINT NOT NULL,
                deadline_at BIGINT NOT NULL,
                at_risk_at BIGINT NOT NULL,
                state TEXT NOT NULL,
                paused_at BIGINT,
                remaining_ms BIGINT,
                stopped_at BIGINT,
                outcome TEXT,
                at_risk_noted INTEGER NOT NULL DEFAULT 0,
                breach_noted INTEGER NOT NULL DEFAULT 0,
                UNIQUE (target, target_id, metric, cycle)
            )
            """,
            "CREATE INDEX sla_clocks_due_at_risk ON sla_clocks (at_risk_at) WHERE state = 'running' AND at_risk_noted = 0",
            "CREATE INDEX sla_clocks_due_breach ON sla_clocks (deadline_at) WHERE state = 'running' AND breach_noted = 0",
            "CREATE INDEX sla_clocks_open ON sla_clocks (deadline_at) WHERE state <> 'stopped'",
            """
            CREATE TABLE sla_records (
                id \(key),
                clock_id BIGINT NOT NULL REFERENCES sla_clocks (id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                at BIGINT NOT NULL,
                actions TEXT,
                actions_claimed_until BIGINT,
                actions_result TEXT,
                UNIQUE (clock_id, kind)
            )
            """,
            "CREATE INDEX sla_records_pending ON sla_records (id) WHERE actions = 'pending'",
            """
            CREATE TABLE sla_policy_changes (
                id \(key),
                at BIGINT NOT NULL,
                fingerprint TEXT NOT NULL,
                description TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE notifications (
                id \(key),
                channel TEXT NOT NULL,
                rule TEXT,
                event_type TEXT NOT NULL,
                event_id BIGINT,
                subject TEXT NOT NULL,
                payload TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL,
                last_attempt_at BIGINT,
                claimed_until BIGINT,
                last_error TEXT,
                response TEXT,
                delivered_at BIGINT
            )
            """,
            "CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE state = 'pending'",
            "CREATE INDEX notifications_channel ON notifications (channel, id)",
            "CREATE TABLE notify_state (name TEXT PRIMARY KEY, cursor BIGINT NOT NULL)",
            "INSERT INTO notify_state (name, cursor) SELECT 'router', COALESCE(MAX(id), 0) FROM events",
            """
            CREATE TABLE notify_throttle (
                rule TEXT NOT NULL,
                key TEXT NOT NULL,
                last_sent_at BIGINT NOT NULL,
                suppressed INTEGER NOT NULL DEFAULT 0,
                first_suppressed_at BIGINT,
                PRIMARY KEY (rule, key)
            )
            """,
        ]
    }
}
