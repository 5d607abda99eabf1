import CoreRecon
import Foundation

extension AppServices {
    /// The playbooks of `playbooks.path` (none when it is not set and there is no config file).
    public func loadPlaybooks() -> PlaybookLibrary {
        guard let path = config.playbooksPath else { return PlaybookLibrary() }
        return PlaybookLibrary.load(directory: path, allowExec: config.playbooksAllowExec)
    }

    /// The playbook runner over `library` (by default the playbooks of `playbooks.path`).
    public func playbooks(_ library: PlaybookLibrary? = nil) -> PlaybookService {
        PlaybookService(
            services: self, library: library ?? loadPlaybooks(), environment: ProcessInfo.processInfo.environment)
    }
}
