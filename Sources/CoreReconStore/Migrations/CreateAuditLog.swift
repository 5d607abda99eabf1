/// Migration: the append-only, hash-chained audit log. Ids are consecutive (assigned by the appender, not a
/// sequence, so a gap always means a deleted row); `audit_head` holds the newest id and hash: every append locks
/// it, which keeps the chain linear under concurrent writers, and `verify` compares it with the last row to notice
/// rows deleted from the end. Triggers refuse UPDATE and DELETE on `audit_log`.
struct CreateAuditLog: Migration {
    let version = 7
    let name = "audit_log"

    func statements(for backend: DatabaseBackend) -> [String] {
        var statements = [
            """
            CREATE TABLE audit_log (
                id BIGINT PRIMARY KEY,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                summary TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_log_at ON audit_log (at)",
            "CREATE INDEX audit_log_target ON audit_log (target, id)",
            """
            CREATE TABLE audit_head (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                last_id BIGINT NOT NULL,
                last_hash TEXT NOT NULL
            )
            """,
            "INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '\(String(repeating: "0", count: 64))')",
        ]
        switch backend {
        case .sqlite:
            statements += ["UPDATE", "DELETE"].map { operation in
                """
                CREATE TRIGGER audit_log_no_\(operation.lowercased()) BEFORE \(operation) ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """
            }
        case .postgres:
            statements += [
                """
                CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$
                """,
                """
                CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
                """,
            ]
        }
        return statements
    }
}
