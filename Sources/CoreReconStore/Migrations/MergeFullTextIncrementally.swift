/// Migration: on SQLite, lets the full-text index merge its segments a little at every commit instead of a whole
/// level at once (FTS5's `crisismerge` from 16 to 64).
///
/// Migration 8 set `automerge` to 16, equal to the default `crisismerge`. A level reaching 16 segments was then
/// always merged at once, inside the commit that made the sixteenth, and such a merge cascades to the levels
/// above (roughly: every 16th commit merges level 0, every 256th level 1, every 4,096th level 2), each merge
/// reading and writing the whole level. On a queue of 200,000 alerts filled by a bulk `ingest`, webhook commits
/// waited up to 0.6 s for such merges, and every request of those commits with them (p99 at 64 connections
/// 265–460 ms). With `crisismerge` four times `automerge` (as in FTS5's defaults, 4 and 16), a level with 16
/// segments is merged incrementally (64 pages a level for every 64 pages written), and only a level that
/// reaches 64 is merged at once: the same load had p99 30–36 ms and no
/// answer slower than 56 ms, at the same throughput; a bulk `ingest` takes as long, and searches read at most
/// 64 segments on a level, as fast within the noise. The setting is stored in the index itself.
struct MergeFullTextIncrementally: Migration {
    let version = 21
    let name = "fts_incremental_merging"

    func statements(for backend: DatabaseBackend) -> [String] {
        switch backend {
        case .sqlite: ["INSERT INTO alerts_fts (alerts_fts, rank) VALUES ('crisismerge', 64)"]
        case .postgres: []
        }
    }
}
