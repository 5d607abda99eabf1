import Foundation
import Logging

/// MITRE ATT&CK for the rest of CoreRecon: imports bundles, answers look-ups and validates technique ids.
///
/// Answers come from the imported data when a domain was imported (`mitre import`, `mitre sync`), else from
/// the Enterprise catalog compiled into corerecon (``ATTACKCatalog/embedded``).
public struct ATTACKService: Sendable {
    let repository: any ATTACKRepository
    let logger: Logger
    let now: @Sendable () -> Date
    /// Fetches a URL's body for ``sync(_:url:)``; fails with ``CoreReconError/unavailable(_:)``.
    let download: @Sendable (String) async throws -> [UInt8]

    public init(
        repository: any ATTACKRepository,
        logger: Logger,
        now: @escaping @Sendable () -> Date,
        download: @escaping @Sendable (String) async throws -> [UInt8] = { _ in
            throw CoreReconError.unavailable("downloads are not available here.")
        }
    ) {
        self.repository = repository
        self.logger = logger
        self.now = now
        self.download = download
    }

    // MARK: - Importing

    /// Stores bundles in one transaction: either all of them are imported or nothing changes.
    public func importBundles(_ bundles: [ATTACKBundle]) async throws -> [ATTACKImportSummary] {
        let summaries = try await repository.store(bundles, importedAt: now())
        for summary in summaries {
            logger.info(
                "ATT&CK imported",
                metadata: [
                    "attack.domain": "\(summary.record.domain.rawValue)",
                    "attack.version": "\(summary.record.attackVersion ?? "?")",
                    "attack.objects": "\(summary.record.objectCount)",
                ])
        }
        return summaries
    }

    /// Downloads the bundle at `url` and imports it; it must be of `domain`. A failed download changes nothing.
    public func sync(_ domain: ATTACKDomain, url: String) async throws -> ATTACKImportSummary {
        let bytes = try await download(url)
        let bundle = try ATTACKBundle.parse(bytes, source: url)
        guard bundle.domain == domain else {
            throw CoreReconError.invalidInput(
                location: url, reason: "is a \(bundle.domain.rawValue) bundle, not \(domain.rawValue).")
        }
        guard let summary = try await importBundles([bundle]).first else {
            throw CoreReconError.failed("the import of \(url) stored nothing.")
        }
        return summary
    }

    public func imports() async throws -> [ATTACKImportRecord] {
        try await repository.imports()
    }

    // MARK: - Look-ups

    /// The catalog to answer from: the imported domains (only `domain` when given), else the embedded one.
    ///
    /// Asking for a domain that was not imported fails, except Enterprise, which the embedded catalog covers.
    public func catalog(domain: ATTACKDomain? = nil) async throws -> ATTACKCatalog {
        let imported = try await repository.imports().filter { domain == nil || $0.domain == domain }
        guard !imported.isEmpty else {
            if domain == nil || domain == .enterprise { return embedded }
            let name = domain?.rawValue ?? ""
            // The store has no such data yet: a conflict with its state (409 over the API), not a server fault.
            throw CoreReconError.conflict(
                "no \(name) data is imported. Run `corerecon mitre sync --domain \(domain?.shortName ?? "")` or "
                    + "`corerecon mitre import FILE`.")
        }
        let domains = imported.map(\.domain)
        var tactics = try await repository.tactics(in: domains)
        var techniques = try await repository.techniques(in: domains)
        var sources = ["imported " + imported.map(\.label).joined(separator: ", ")]
        var versions = imported.map { $0.attackVersion ?? "?" }
        // Without imported Enterprise data, the embedded catalog still answers for Enterprise.
        if domain == nil && !domains.contains(.enterprise) {
            tactics = embedded.tactics + tactics
            techniques = (embedded.techniques + techniques).sorted { $0.id < $1.id }
            sources.insert(embedded.source, at: 0)
            versions.insert(embedded.version, at: 0)
        }
        return ATTACKCatalog(
            version: versions.joined(separator: ", "), source: sources.joined(separator: ", "), tactics: tactics,
            techniques: techniques)
    }

    /// A technique with its tactics, relationships and replacement, from the imported data when it has the
    /// technique, else from the embedded catalog.
    public func technique(_ id: String) async throws -> ATTACKTechniqueDetail {
        let key = id.uppercased()
        if let detail = try await repository.techniqueDetail(id: key) { return detail }
        guard try await !isImported(.enterprise), let technique = embedded.technique(key) else {
            let catalog = try await catalogName()
            throw CoreReconError.notFound(kind: "\(catalog) technique", id: id)
        }
        return ATTACKTechniqueDetail(
            technique: technique,
            tactics: technique.tactics.compactMap(embedded.tactic),
            parent: technique.isSubtechnique
                ? embedded.technique(technique.parentID).map(Self.reference) : nil,
            subtechniques: embedded.techniques
                .filter { $0.isActive && $0.isSubtechnique && $0.parentID == technique.id }
                .map(Self.reference),
            replacedBy: technique.replacedBy.flatMap(embedded.technique).map(Self.reference),
            catalog: embedded.source
        )
    }

    /// Checks that `id` names an active technique, and returns it.
    ///
    /// The imported catalog decides when it has the id; otherwise the embedded Enterprise catalog does, unless
    /// Enterprise was imported (then the id is unknown). Unknown ids are refused, and so are revoked and
    /// deprecated techniques, naming their replacement (the `revoked-by` relationship, or the embedded
    /// catalog's). Errors are ``CoreReconError/invalidInput(location:reason:)``.
    public func validate(_ id: String) async throws -> ATTACKTechnique {
        let key = id.trimmingCharacters(in: .whitespaces).uppercased()
        guard let technique = try await repository.technique(id: key) else {
            if try await isImported(.enterprise) {
                throw CoreReconError.invalidInput(
                    location: id,
                    reason: "not an ATT&CK technique in the \(try await catalogName()) catalog. "
                        + "Look ids up with `corerecon mitre techniques --search WORDS`.")
            }
            return try embedded.validate(key)
        }
        guard technique.isActive else {
            let state = technique.isRevoked ? "revoked" : "deprecated"
            var replacement = ""
            if let replacedBy = technique.replacedBy {
                let name = try await repository.technique(id: replacedBy)?.name
                replacement = " Use \(replacedBy)" + (name.map { " (\($0))" } ?? "") + "."
            }
            throw CoreReconError.invalidInput(
                location: technique.id, reason: "\(technique.name) is \(state) in ATT&CK.\(replacement)")
        }
        return technique
    }

    /// The compiled-in catalog, parsed on first use only: look-ups of imported data never pay for it.
    var embedded: ATTACKCatalog { ATTACKCatalog.embedded }

    private func isImported(_ domain: ATTACKDomain) async throws -> Bool {
        try await repository.imports().contains { $0.domain == domain }
    }

    private func catalogName() async throws -> String {
        let imported = try await repository.imports()
        return imported.isEmpty ? embedded.source : "imported " + imported.map(\.label).joined(separator: ", ")
    }

    static func reference(_ technique: ATTACKTechnique) -> ATTACKReference {
        ATTACKReference(id: technique.id, name: technique.name, type: "attack-pattern")
    }
}

extension ATTACKService {
    /// The tactic `text` (id, short name or name) names among `technique`'s tactics; without `text`, the
    /// technique's only tactic (nil when it has several). A tactic the technique is not under is refused.
    public func tactic(_ text: String?, of technique: ATTACKTechnique) async throws -> ATTACKTactic? {
        let domain = technique.domains.first ?? .enterprise
        let tactics = try await catalog(domain: domain).tactics.filter { technique.tactics.contains($0.shortName) }
        guard let text else { return tactics.count == 1 ? tactics.first : nil }
        let lowered = text.lowercased()
        guard
            let found = tactics.first(where: {
                $0.id.lowercased() == lowered || $0.shortName == lowered || $0.name.lowercased() == lowered
                    || $0.shortName == lowered.replacingOccurrences(of: " ", with: "-")
            })
        else {
            let names = tactics.map { "\($0.id) \($0.name)" }.joined(separator: ", ")
            throw CoreReconError.invalidInput(
                location: "--tactic",
                reason: "\(technique.id) \(technique.name) is not under tactic '\(text)'. Its tactics: \(names).")
        }
        return found
    }
}
