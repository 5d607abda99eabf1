/// Migration 1: the alert queue.
///
/// Alerts are stored as their OCSF Detection Finding (`ocsf`) plus the columns that lists filter and sort on.
/// Times are epoch milliseconds, as in OCSF; `first_seen`/`last_seen` are event times, `created_at` when stored. Side tables make the hot questions index look-ups:
/// `alert_deliveries` answers "have we seen this exact source record?", `alert_observables` answers "which alerts
/// share this IP/host/user within the hour?", `alert_techniques` answers "which alerts map to T1059?".
struct CreateAlertTables: Migration {
    let version = 1
    let name = "alert_tables"

    func statements(for backend: DatabaseBackend) -> [String] {
        var statements = [
            """
            CREATE TABLE alerts (
                id \(backend.autoIncrementPrimaryKey),
                fingerprint TEXT NOT NULL,
                fingerprint_basis TEXT NOT NULL,
                origin_key TEXT NOT NULL,
                format TEXT NOT NULL,
                source TEXT NOT NULL,
                product TEXT NOT NULL,
                vendor TEXT,
                rule_uid TEXT,
                title TEXT NOT NULL,
                description TEXT,
                severity_id INTEGER NOT NULL,
                status TEXT NOT NULL DEFAULT 'new',
                assignee TEXT,
                close_reason TEXT,
                occurrences INTEGER NOT NULL DEFAULT 1,
                first_seen BIGINT NOT NULL,
                last_seen BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                search_text TEXT NOT NULL DEFAULT '',
                ocsf \(backend.jsonType) NOT NULL
            )
            """,
            "CREATE INDEX alerts_last_seen ON alerts (last_seen DESC, id DESC)",
            // No index on severity: "high and above" matches a large share of alerts, and walking last_seen
            // newest-first until a page is full beats collecting every match to sort it.
            "CREATE INDEX alerts_status ON alerts (status, last_seen DESC)",
            "CREATE INDEX alerts_source ON alerts (source, last_seen DESC)",
            "CREATE INDEX alerts_assignee ON alerts (assignee, last_seen DESC)",
            // Dedup looks for the open alert with a fingerprint; closed alerts never absorb new occurrences.
            "CREATE INDEX alerts_open_fingerprint ON alerts (fingerprint, last_seen DESC) WHERE status <> 'closed'",
            """
            CREATE TABLE alert_deliveries (
                delivery_key TEXT PRIMARY KEY,
                alert_id BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
                received_at BIGINT NOT NULL,
                event_time BIGINT NOT NULL
            )
            """,
            "CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id)",
            """
            CREATE TABLE alert_observables (
                alert_id BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
                type TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (alert_id, type, value)
            )
            """,
            "CREATE INDEX alert_observables_value ON alert_observables (type, value)",
            """
            CREATE TABLE alert_techniques (
                alert_id BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
                technique_id TEXT NOT NULL,
                tactic TEXT,
                PRIMARY KEY (alert_id, technique_id)
            )
            """,
            "CREATE INDEX alert_techniques_technique ON alert_techniques (technique_id, alert_id)",
            """
            CREATE TABLE alert_history (
                id \(backend.autoIncrementPrimaryKey),
                alert_id BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                field TEXT,
                old_value TEXT,
                new_value TEXT,
                message TEXT
            )
            """,
            "CREATE INDEX alert_history_alert ON alert_history (alert_id, id)",
        ]
        statements += fullTextSearch(for: backend)
        return statements
    }

    /// Full-text search over title, description and observables (`search_text`): FTS5 on SQLite, a generated
    /// `tsvector` with a GIN index on PostgreSQL.
    private func fullTextSearch(for backend: DatabaseBackend) -> [String] {
        switch backend {
        case .sqlite:
            return [
                """
                CREATE VIRTUAL TABLE alerts_fts USING fts5(
                    search_text, content = 'alerts', content_rowid = 'id', tokenize = 'unicode61'
                )
                """,
                """
                CREATE TRIGGER alerts_fts_insert AFTER INSERT ON alerts BEGIN
                    INSERT INTO alerts_fts (rowid, search_text) VALUES (new.id, new.search_text);
                END
                """,
                """
                CREATE TRIGGER alerts_fts_delete AFTER DELETE ON alerts BEGIN
                    INSERT INTO alerts_fts (alerts_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
                END
                """,
                """
                CREATE TRIGGER alerts_fts_update AFTER UPDATE OF search_text ON alerts BEGIN
                    INSERT INTO alerts_fts (alerts_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
                    INSERT INTO alerts_fts (rowid, search_text) VALUES (new.id, new.search_text);
                END
                """,
            ]
        case .postgres:
            return [
                """
                ALTER TABLE alerts ADD COLUMN search_vector tsvector
                    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED
                """,
                "CREATE INDEX alerts_search ON alerts USING GIN (search_vector)",
            ]
        }
    }
}
