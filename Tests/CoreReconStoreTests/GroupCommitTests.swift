import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

@Suite("Group commit")
struct GroupCommitTests {
    @Test("Concurrent ingests share transactions and each gets its own outcomes", arguments: TestDatabases.backends)
    func concurrent(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let grouped = services.withGroupCommit()
            // 40 distinct alerts and 10 re-deliveries of the first, sent at once from 50 tasks.
            let records =
                (0..<40).map { AlertPipelineTests.eve(source: "198.51.100.\($0 + 1)", flow: $0) }
                + Array(repeating: AlertPipelineTests.eve(source: "198.51.100.1", flow: 0), count: 10)
            let summaries = try await withThrowingTaskGroup(of: (Int, IngestSummary).self) { group in
                for (index, record) in records.enumerated() {
                    group.addTask {
                        let session = grouped.makeIngestSession(format: nil, sourceLabel: "webhook")
                        try await session.add(Array(record.utf8), location: "request \(index)")
                        return (index, try await session.finish())
                    }
                }
                return try await group.reduce(into: [Int: IngestSummary]()) { $0[$1.0] = $1.1 }
            }
            let firstID = try #require(summaries[0]?.alertIDs.first)
            #expect(summaries.values.reduce(0) { $0 + $1.created } == 40)
            #expect(summaries.values.reduce(0) { $0 + $1.redelivered } == 10)
            // Every request got the id of its own alert: the re-deliveries the first one's.
            for index in 40..<50 { #expect(summaries[index]?.alertIDs == [firstID]) }
            let distinct = Set((0..<40).compactMap { summaries[$0]?.alertIDs.first })
            #expect(distinct.count == 40)
            #expect(
                try await services.alerts.list(
                    {
                        var query = AlertQuery(); query.limit = 0; return query
                    }()
                ).alerts.count == 40)
        }
    }
}
