/// Migration: PostgreSQL keeps alert documents and stream event payloads as zstd frames too.
///
/// Until now PostgreSQL kept each OCSF document as `JSON` and left compression to TOAST, which compresses each
/// value alone (and only values over 2 KB): a 4-KB finding stayed 1.5-2 KB, where a frame compressed with a
/// dictionary trained on the format's own documents takes a few hundred bytes. The column becomes `BYTEA`; the
/// existing documents become their UTF-8 text (read as before), and `corerecon migrate` then compresses them in
/// resumable batches (`document_conversion`), as it did for SQLite with migration 17. Stream events' payloads
/// become frames with the dictionary built into corerecon (``EventDictionary``), as on SQLite.
///
/// Changing the column's type rewrites the `alerts` table under an exclusive lock: on a large database the
/// migration takes as long as copying the table, and nothing writes alerts meanwhile.
///
/// Nothing changes on SQLite, where migration 17 did this.
struct CompressPostgresDocuments: Migration {
    let version = 18
    let name = "compress_postgres_documents"

    func statements(for backend: DatabaseBackend) -> [String] {
        switch backend {
        case .sqlite:
            return []
        case .postgres:
            return [
                "ALTER TABLE alerts ALTER COLUMN ocsf TYPE BYTEA USING convert_to(ocsf::text, 'UTF8')",
                // Frames are compressed already: TOAST need not try again.
                "ALTER TABLE alerts ALTER COLUMN ocsf SET STORAGE EXTERNAL",
                "UPDATE document_conversion SET through = (SELECT COALESCE(MAX(id), 0) FROM alerts), done = 0",
                // Stream events' payloads too (their rows are kept a day: the old ones stay text until pruned).
                "ALTER TABLE events ALTER COLUMN payload TYPE BYTEA USING convert_to(payload, 'UTF8')",
                "ALTER TABLE events ALTER COLUMN payload SET STORAGE EXTERNAL",
            ]
        }
    }
}
