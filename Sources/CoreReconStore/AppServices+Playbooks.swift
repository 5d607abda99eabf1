import CoreRecon
import Foundation
import Synchronization

/// The playbooks of `playbooks.path`, read again only when a file there changes (a new name, size or time).
public final class PlaybookLibraryCache: Sendable {
    private let current = Mutex<PlaybookLibrary?>(nil)

    public init() {}

    func library(directory: String, allowExec: Bool) -> PlaybookLibrary {
        let fingerprint = PlaybookLibrary.fingerprint(of: directory)
        if let cached = current.withLock({ $0 }), cached.directory == directory, cached.fingerprint == fingerprint {
            return cached
        }
        let loaded = PlaybookLibrary.load(directory: directory, allowExec: allowExec)
        current.withLock { $0 = loaded }
        return loaded
    }
}

extension AppServices {
    /// The playbooks of `playbooks.path`, as they are now.
    public func loadPlaybooks() -> PlaybookLibrary {
        guard let path = config.playbooksPath else { return PlaybookLibrary() }
        return playbookCache.library(directory: path, allowExec: config.playbooksAllowExec)
    }

    /// The playbook runner over `library` (by default the playbooks of `playbooks.path`).
    public func playbooks(_ library: PlaybookLibrary? = nil) -> PlaybookService {
        PlaybookService(
            services: self, library: library ?? loadPlaybooks(), environment: ProcessInfo.processInfo.environment)
    }
}
