import Foundation

/// Lists the audit log and checks its hash chain.
public struct AuditService: Sendable {
    let repository: any AuditRepository

    public init(repository: any AuditRepository) {
        self.repository = repository
    }

    public func list(_ query: AuditQuery) async throws -> [AuditEntry] {
        guard (1...10_000).contains(query.limit) else {
            throw CoreReconError.invalidInput(location: "limit", reason: "give 1 to 10000 rows.")
        }
        return try await repository.entries(query)
    }

    /// Recomputes the chain up to the head row and reports the first row that is broken. Rows appended while
    /// this runs are beyond the head it read and are checked next time.
    public func verify(pageSize: Int = 1_000) async throws -> AuditVerification {
        let head = try await repository.head()
        var checker = AuditChainChecker()
        var after: Int64 = 0
        while after < head.lastID {
            let page = try await repository.chain(after: after, through: head.lastID, limit: pageSize)
            guard let last = page.last else { break }
            if let problem = checker.check(page) { return checker.result(problem) }
            after = last.id
        }
        return checker.result(checker.finish(head: head))
    }
}

/// The outcome of `audit verify`.
public struct AuditVerification: Sendable, Equatable, Codable {
    /// Rows checked before the first problem (all of them when intact).
    public var rowsChecked: Int
    /// The id and hash of the last row that checked out.
    public var lastID: Int64
    public var lastHash: String
    public var problem: AuditProblem?

    public var isIntact: Bool { problem == nil }
}

/// The first broken row of the chain.
public struct AuditProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        /// The row's fields no longer match its hash, or its hash no longer matches what the next row links to.
        case altered
        /// Rows are missing: a gap in the ids, or rows removed from the end.
        case removed
        /// The row links to another row than the one before it.
        case reordered
    }

    public var kind: Kind
    /// The first broken row (for `removed`, the first missing id).
    public var id: Int64
    public var detail: String

    public var description: String { "row \(id) \(kind.rawValue): \(detail)" }
}

/// Walks the chain page by page, oldest first.
struct AuditChainChecker {
    private(set) var rowsChecked = 0
    private var previousID: Int64 = 0
    private var previousHash = AuditChain.genesis

    /// The first problem in `page`, which continues the rows checked so far.
    mutating func check(_ page: [AuditEntry]) -> AuditProblem? {
        // Hashes of this page's rows, to tell a reordered link from a rewritten row.
        let positions = Dictionary(page.map { ($0.hash, $0.id) }, uniquingKeysWith: { first, _ in first })
        for row in page {
            let expectedID = previousID + 1
            if row.id != expectedID {
                let missing = expectedID == row.id - 1 ? "row \(expectedID) is" : "rows \(expectedID)–\(row.id - 1) are"
                return AuditProblem(kind: .removed, id: expectedID, detail: "\(missing) missing (deleted).")
            }
            let isIntact = row.expectedHash == row.hash
            if row.previousHash != previousHash {
                if let other = positions[row.previousHash], other != previousID {
                    return AuditProblem(
                        kind: .reordered, id: row.id,
                        detail: "it follows row \(other) in the chain, not row \(previousID).")
                }
                if isIntact && previousID > 0 {
                    // This row is untouched and still links to the original: the row before was rewritten,
                    // hash and all.
                    return AuditProblem(
                        kind: .altered, id: previousID,
                        detail: "its hash is not the one row \(row.id) was chained to; it was rewritten.")
                }
                return AuditProblem(
                    kind: .altered, id: row.id,
                    detail: previousID == 0
                        ? "the first row does not start the chain." : "its link to row \(previousID) was changed.")
            }
            if !isIntact {
                return AuditProblem(
                    kind: .altered, id: row.id,
                    detail: "its contents do not match its hash (recorded \(row.hash.prefix(12))…, now "
                        + "\(row.expectedHash.prefix(12))…).")
            }
            previousID = row.id
            previousHash = row.hash
            rowsChecked += 1
        }
        return nil
    }

    /// Compares the last row checked with the head row.
    func finish(head: AuditHead) -> AuditProblem? {
        if previousID < head.lastID {
            let first = previousID + 1
            let missing = first == head.lastID ? "row \(first) is" : "rows \(first)–\(head.lastID) are"
            return AuditProblem(kind: .removed, id: first, detail: "\(missing) missing from the end (deleted).")
        }
        if previousHash != head.lastHash {
            return AuditProblem(
                kind: .altered, id: previousID,
                detail: "its hash is not the one recorded as the newest; it was rewritten.")
        }
        return nil
    }

    func result(_ problem: AuditProblem?) -> AuditVerification {
        AuditVerification(rowsChecked: rowsChecked, lastID: previousID, lastHash: previousHash, problem: problem)
    }
}
