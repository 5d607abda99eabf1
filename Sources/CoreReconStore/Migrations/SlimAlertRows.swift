/// Migration: alert rows without the copies only their own views read.
///
/// - The fingerprint basis (about 125 bytes a row) moves inside the document's zstd frame (``StoredDocument``),
///   where it costs a few bytes, its values being in the document already. `alert explain` reads it from there,
///   or from the column for rows stored before and not converted yet.
/// - On SQLite the full-text index becomes contentless (FTS5 `content=''` with `contentless_delete=1`): it keeps
///   the words of title, description and the observables' values in its own B-trees and nothing reads them back,
///   so `search_text` (about 100 bytes a row) is no longer stored. New alerts' words are written by the batch
///   writer in the same transaction; deleting an alert deletes its words by rowid. The index is rebuilt here, in
///   this migration's transaction, from the rows as they are (on a large database, as long as reading the table).
/// - On PostgreSQL, observables keep two B-trees instead of the primary key `(alert_id, type, value)` and an index
///   on `(type, value)` that repeated it: a unique index on `(type, value, alert_id)`, which answers "which alerts
///   share this value" and keeps each alert's observables distinct, and an index on `alert_id` alone. SQLite keeps
///   its layout (the table is its primary key's B-tree there).
/// - The assignee index holds assigned alerts only: a queue is mostly unassigned, and `--assignee NAME` is the
///   query that uses it (`--assignee none` walks the newest-first index, as the other filters do).
///
/// `corerecon migrate`'s document conversion then moves the basis of the rows already stored into their frames,
/// and on SQLite empties their `search_text`, in resumable batches.
struct SlimAlertRows: Migration {
    let version = 20
    let name = "slim_alert_rows"

    func statements(for backend: DatabaseBackend) -> [String] {
        var statements = [
            "DROP INDEX alerts_assignee",
            "CREATE INDEX alerts_assignee ON alerts (assignee, last_seen DESC) WHERE assignee IS NOT NULL",
            "UPDATE document_conversion SET through = (SELECT COALESCE(MAX(id), 0) FROM alerts), done = 0",
        ]
        if backend == .postgres {
            // One B-tree holds each observable's type, value and alert; the alert's own index is one narrow
            // column (with PostgreSQL's de-duplication, a few bytes a row).
            statements += [
                "ALTER TABLE alert_observables DROP CONSTRAINT alert_observables_pkey",
                "DROP INDEX alert_observables_value",
                "CREATE UNIQUE INDEX alert_observables_value ON alert_observables (type, value, alert_id)",
                "CREATE INDEX alert_observables_alert ON alert_observables (alert_id)",
            ]
        }
        if backend == .sqlite {
            statements += [
                "DROP TRIGGER alerts_fts_insert",
                "DROP TRIGGER alerts_fts_delete",
                "DROP TRIGGER alerts_fts_update",
                "DROP TABLE alerts_fts",
                """
                CREATE VIRTUAL TABLE alerts_fts USING fts5(
                    title, description, search_text, content = '', contentless_delete = 1, tokenize = 'unicode61'
                )
                """,
                "INSERT INTO alerts_fts (alerts_fts, rank) VALUES ('automerge', 16)",
                """
                INSERT INTO alerts_fts (rowid, title, description, search_text)
                SELECT id, title, description, search_text FROM alerts
                """,
                "CREATE TRIGGER alerts_fts_delete AFTER DELETE ON alerts BEGIN DELETE FROM alerts_fts WHERE rowid = old.id; END",
            ]
        }
        return statements
    }
}
