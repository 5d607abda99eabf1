/// Migration: who may call the API. Users sign in with bcrypt-hashed passwords; API keys and refresh tokens are
/// stored as SHA-256 digests only. Refresh tokens carry a family (one sign-in): presenting a used token revokes
/// its whole family.
struct CreateAuthTables: Migration {
    let version = 4
    let name = "auth_tables"

    func statements(for backend: DatabaseBackend) -> [String] {
        let id = backend.autoIncrementPrimaryKey
        return [
            """
            CREATE TABLE users (
                id \(id),
                name TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE api_keys (
                id \(id),
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                prefix TEXT NOT NULL,
                digest TEXT NOT NULL UNIQUE,
                created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT,
                last_used_at BIGINT,
                revoked_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL",
            """
            CREATE TABLE refresh_tokens (
                id \(id),
                digest TEXT NOT NULL UNIQUE,
                user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                family TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                used_at BIGINT,
                revoked_at BIGINT
            )
            """,
            "CREATE INDEX refresh_tokens_family ON refresh_tokens (family)",
        ]
    }
}
