/// Migration: incidents and everything hanging off them.
///
/// `incident_sequences` hands out the per-year numbers of `IR-2026-0001` (an upsert that locks the year's row,
/// so concurrent creators never share a number; `UNIQUE (year, number)` backs it up). Evidence content lives in
/// `evidence_blobs`, content-addressed by SHA-256 and shared between incidents; `incident_evidence` and
/// `evidence_custody` hold what was added, by whom, and every later check and export. Times are epoch
/// milliseconds, as for alerts.
struct CreateIncidentTables: Migration {
    let version = 2
    let name = "incident_tables"

    func statements(for backend: DatabaseBackend) -> [String] {
        let id = backend.autoIncrementPrimaryKey
        return [
            "CREATE TABLE incident_sequences (year INTEGER PRIMARY KEY, last_number INTEGER NOT NULL)",
            """
            CREATE TABLE incidents (
                id \(id),
                year INTEGER NOT NULL,
                number INTEGER NOT NULL,
                title TEXT NOT NULL,
                description TEXT,
                type TEXT,
                severity_id INTEGER NOT NULL,
                state TEXT NOT NULL,
                assignee TEXT,
                auto_assigned INTEGER NOT NULL DEFAULT 0,
                resolution TEXT,
                summary TEXT,
                lessons TEXT,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                acknowledged_at BIGINT,
                investigating_at BIGINT,
                contained_at BIGINT,
                eradicated_at BIGINT,
                recovered_at BIGINT,
                closed_at BIGINT,
                UNIQUE (year, number)
            )
            """,
            "CREATE INDEX incidents_created ON incidents (created_at DESC, id DESC)",
            "CREATE INDEX incidents_state ON incidents (state, created_at DESC)",
            "CREATE INDEX incidents_assignee ON incidents (assignee, state)",
            """
            CREATE TABLE incident_alerts (
                alert_id BIGINT PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
                incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                added_by TEXT NOT NULL,
                added_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX incident_alerts_incident ON incident_alerts (incident_id)",
            """
            CREATE TABLE incident_observables (
                id \(id),
                incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                type TEXT NOT NULL,
                value TEXT NOT NULL,
                is_ioc INTEGER NOT NULL DEFAULT 0,
                tlp TEXT,
                tags TEXT NOT NULL DEFAULT '',
                origin TEXT NOT NULL,
                added_by TEXT NOT NULL,
                added_at BIGINT NOT NULL,
                UNIQUE (incident_id, type, value)
            )
            """,
            "CREATE INDEX incident_observables_value ON incident_observables (type, value)",
            """
            CREATE TABLE incident_techniques (
                incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                technique_id TEXT NOT NULL,
                tactic TEXT,
                origin TEXT NOT NULL,
                added_at BIGINT NOT NULL,
                PRIMARY KEY (incident_id, technique_id)
            )
            """,
            "CREATE INDEX incident_techniques_technique ON incident_techniques (technique_id, incident_id)",
            """
            CREATE TABLE incident_tasks (
                incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                number INTEGER NOT NULL,
                title TEXT NOT NULL,
                description TEXT,
                phase TEXT,
                state TEXT NOT NULL,
                assignee TEXT,
                origin TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                completed_at BIGINT,
                PRIMARY KEY (incident_id, number)
            )
            """,
            """
            CREATE TABLE evidence_blobs (
                sha256 TEXT PRIMARY KEY,
                size BIGINT NOT NULL,
                content \(backend.blobType) NOT NULL
            )
            """,
            """
            CREATE TABLE incident_evidence (
                id \(id),
                incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                sha256 TEXT NOT NULL REFERENCES evidence_blobs (sha256),
                size BIGINT NOT NULL,
                file_name TEXT NOT NULL,
                description TEXT,
                added_by TEXT NOT NULL,
                added_at BIGINT NOT NULL,
                UNIQUE (incident_id, sha256)
            )
            """,
            """
            CREATE TABLE evidence_custody (
                id \(id),
                evidence_id BIGINT NOT NULL REFERENCES incident_evidence (id) ON DELETE CASCADE,
                action TEXT NOT NULL,
                actor TEXT NOT NULL,
                at BIGINT NOT NULL,
                detail TEXT
            )
            """,
            "CREATE INDEX evidence_custody_evidence ON evidence_custody (evidence_id, id)",
            """
            CREATE TABLE incident_timeline (
                id \(id),
                incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                at BIGINT NOT NULL,
                category TEXT,
                message TEXT NOT NULL,
                actor TEXT NOT NULL,
                kind TEXT NOT NULL,
                recorded_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, at, id)",
            """
            CREATE TABLE incident_history (
                id \(id),
                incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                field TEXT,
                old_value TEXT,
                new_value TEXT
            )
            """,
            "CREATE INDEX incident_history_incident ON incident_history (incident_id, id)",
        ]
    }
}
