/// Migration: PostgreSQL's full-text index reads title and description from their columns, and keeps no stored
/// `tsvector`.
///
/// Until now each PostgreSQL alert row carried its words three times: in `search_text` (title, description and
/// observables), in a stored generated `tsvector` of them (about 350 bytes a row) and in the GIN index. The index
/// is now on an expression of the columns themselves (``DatabaseBackend/postgresSearchVector``), the stored
/// `tsvector` is dropped, and new rows' `search_text` holds the observables' values alone, as on SQLite since
/// migration 17. Rows already stored keep their longer `search_text` (the same words, once more) until
/// `corerecon migrate`'s document conversion rewrites them, which it does for the rows it converts.
///
/// Dropping the column is instant; building the index reads the whole table,
/// and writes of alerts wait for it.
///
/// Nothing changes on SQLite.
struct IndexPostgresWordsFromColumns: Migration {
    let version = 19
    let name = "index_postgres_words_from_columns"

    func statements(for backend: DatabaseBackend) -> [String] {
        switch backend {
        case .sqlite:
            return []
        case .postgres:
            return [
                // Drops its index, alerts_search, with it.
                "ALTER TABLE alerts DROP COLUMN search_vector",
                "CREATE INDEX alerts_search ON alerts USING GIN (\(DatabaseBackend.postgresSearchVector))",
            ]
        }
    }
}
