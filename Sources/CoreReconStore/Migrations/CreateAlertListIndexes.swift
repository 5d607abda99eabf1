/// Migration: newest-first indexes for the severity filters of `alert list` and `GET /alerts`.
///
/// Without them, "high and above, newest first" walks `alerts_last_seen` and reads each row to test its
/// severity: fast while the newest alerts are mostly severe, but a burst of 20,000 medium alerts at the head of
/// the queue turns one page into 20,000 row reads. One partial index per threshold (the query names the
/// threshold as a literal so both planners can use them) keeps every page an index walk that stops at 50.
struct CreateAlertListIndexes: Migration {
    let version = 6
    let name = "alert_list_indexes"

    func statements(for backend: DatabaseBackend) -> [String] {
        [
            (3, "medium"), (4, "high"), (5, "critical"),
        ].map { minimum, name in
            "CREATE INDEX alerts_\(name)_last_seen ON alerts (last_seen DESC, id DESC) "
                + "WHERE severity_id >= \(minimum) AND severity_id <= 6"
        }
    }
}
