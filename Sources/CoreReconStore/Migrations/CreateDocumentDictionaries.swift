/// Migration: compressed alert documents.
///
/// SQLite stores each alert's OCSF document as a zstd frame compressed with a dictionary trained on its format's
/// own documents (``DocumentCodec``); `document_dictionaries` keeps the dictionaries. A frame names its dictionary
/// by id, so a dictionary is never changed or removed while a document may use it. `document_conversion` marks the
/// alerts stored as text before this migration (ids up to `through`) and how far `corerecon migrate` has converted
/// them (`done`), so a stopped conversion resumes where it stopped. SQLite's full-text index reads title and
/// description from their columns instead of a copy of them, and observables and deliveries live in their primary
/// keys' B-trees.
///
/// PostgreSQL keeps its documents as JSON, which TOAST compresses; new rows use lz4, faster than the default
/// pglz at a like ratio. Its conversion has nothing to do.
struct CreateDocumentDictionaries: Migration {
    let version = 17
    let name = "document_dictionaries"

    func statements(for backend: DatabaseBackend) -> [String] {
        var statements = [
            """
            CREATE TABLE document_dictionaries (
                id BIGINT PRIMARY KEY,
                format TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                samples INTEGER NOT NULL,
                dictionary \(backend.blobType) NOT NULL
            )
            """,
            "CREATE TABLE document_conversion (through BIGINT NOT NULL, done BIGINT NOT NULL)",
        ]
        switch backend {
        case .sqlite:
            statements.append(
                "INSERT INTO document_conversion (through, done) SELECT COALESCE(MAX(id), 0), 0 FROM alerts")
            // The full-text index reads the title and description from their own columns; `search_text` keeps
            // only what no other column holds (the observables' values: the conversion trims older rows' copies).
            // Rebuilt here, in this migration's transaction, from the rows as they are.
            statements += [
                "DROP TRIGGER alerts_fts_insert",
                "DROP TRIGGER alerts_fts_delete",
                "DROP TRIGGER alerts_fts_update",
                "DROP TABLE alerts_fts",
                """
                CREATE VIRTUAL TABLE alerts_fts USING fts5(
                    title, description, search_text, content = 'alerts', content_rowid = 'id', tokenize = 'unicode61'
                )
                """,
                "INSERT INTO alerts_fts (alerts_fts, rank) VALUES ('automerge', 16)",
                "INSERT INTO alerts_fts (alerts_fts) VALUES ('rebuild')",
                """
                CREATE TRIGGER alerts_fts_insert AFTER INSERT ON alerts BEGIN
                    INSERT INTO alerts_fts (rowid, title, description, search_text)
                    VALUES (new.id, new.title, new.description, new.search_text);
                END
                """,
                """
                CREATE TRIGGER alerts_fts_delete AFTER DELETE ON alerts BEGIN
                    INSERT INTO alerts_fts (alerts_fts, rowid, title, description, search_text)
                    VALUES ('delete', old.id, old.title, old.description, old.search_text);
                END
                """,
                """
                CREATE TRIGGER alerts_fts_update AFTER UPDATE OF title, description, search_text ON alerts BEGIN
                    INSERT INTO alerts_fts (alerts_fts, rowid, title, description, search_text)
                    VALUES ('delete', old.id, old.title, old.description, old.search_text);
                    INSERT INTO alerts_fts (rowid, title, description, search_text)
                    VALUES (new.id, new.title, new.description, new.search_text);
                END
                """,
            ]
            // Observables and deliveries are looked up by their keys only: kept in their primary key's B-tree
            // (WITHOUT ROWID) instead of a table and a copy of the key, one B-tree each fewer.
            statements += [
                """
                CREATE TABLE alert_observables_keyed (
                    alert_id BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
                    type TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (alert_id, type, value)
                ) WITHOUT ROWID
                """,
                "INSERT INTO alert_observables_keyed (alert_id, type, value) SELECT alert_id, type, value FROM alert_observables",
                "DROP TABLE alert_observables",
                "ALTER TABLE alert_observables_keyed RENAME TO alert_observables",
                "CREATE INDEX alert_observables_value ON alert_observables (type, value)",
                """
                CREATE TABLE alert_deliveries_keyed (
                    delivery_key TEXT PRIMARY KEY,
                    alert_id BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
                    received_at BIGINT NOT NULL,
                    event_time BIGINT NOT NULL
                ) WITHOUT ROWID
                """,
                """
                INSERT INTO alert_deliveries_keyed (delivery_key, alert_id, received_at, event_time)
                SELECT delivery_key, alert_id, received_at, event_time FROM alert_deliveries
                """,
                "DROP TABLE alert_deliveries",
                "ALTER TABLE alert_deliveries_keyed RENAME TO alert_deliveries",
                "CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id)",
            ]
        case .postgres:
            statements += [
                "INSERT INTO document_conversion (through, done) VALUES (0, 0)",
                "ALTER TABLE alerts ALTER COLUMN ocsf SET COMPRESSION lz4",
            ]
        }
        return statements
    }
}
