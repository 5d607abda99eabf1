/// Migration: named indicator feeds (a TAXII 2.1 collection, a MISP feed, the URL of a list) with what a pull
/// needs to fetch only what is new (`cursor`), its schedule for `serve`, and how the last pull went.
struct CreateIndicatorFeeds: Migration {
    let version = 12
    let name = "indicator_feeds"

    func statements(for backend: DatabaseBackend) -> [String] {
        [
            """
            CREATE TABLE indicator_feeds (
                name TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                url TEXT NOT NULL,
                collection TEXT,
                input_format TEXT NOT NULL,
                source TEXT NOT NULL,
                tlp TEXT,
                confidence INTEGER NOT NULL,
                tags TEXT NOT NULL,
                username TEXT,
                password_env TEXT,
                token_env TEXT,
                every_seconds BIGINT,
                cursor TEXT,
                last_pull BIGINT,
                last_status TEXT,
                last_summary TEXT,
                pulling_since BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """
        ]
    }
}
