/// Migration: the indicator matcher's table, kept for the version of the indicators it was built from
/// (`indicator_revision`). A process that matches loads it in milliseconds instead of reading and hashing every
/// indicator (seconds for a million); any change to the indicators leaves it behind until a process rebuilds it.
struct CreateIndicatorMatcherSnapshot: Migration {
    let version = 16
    let name = "indicator_matcher_snapshot"

    func statements(for backend: DatabaseBackend) -> [String] {
        [
            """
            CREATE TABLE indicator_matcher_snapshot (
                id INTEGER PRIMARY KEY,
                version TEXT NOT NULL,
                entries BIGINT NOT NULL,
                built_at BIGINT NOT NULL,
                data \(backend.blobType) NOT NULL
            )
            """
        ]
    }
}
