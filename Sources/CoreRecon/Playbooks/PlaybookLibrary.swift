import Foundation

/// The playbooks of a directory (`playbooks.path`): every `*.yaml`/`*.yml` file, read and checked.
///
/// A file with errors is left out (and reported); the others still run. Reloaded when a file changes: the
/// runner compares ``fingerprint`` on each pass.
public struct PlaybookLibrary: Sendable {
    public var playbooks: [String: Playbook]
    /// Problems of every file, errors and warnings.
    public var issues: [PlaybookIssue]
    /// Names, sizes and modification times of the files: a change means a reload.
    public var fingerprint: String
    public var directory: String?

    public init(
        playbooks: [Playbook] = [], issues: [PlaybookIssue] = [], fingerprint: String = "", directory: String? = nil
    ) {
        self.playbooks = Dictionary(playbooks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.issues = issues
        self.fingerprint = fingerprint
        self.directory = directory
    }

    /// The playbook files of `directory`, sorted; `directory` may also be one file.
    public static func files(in directory: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [directory] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix(".") }.sorted()
            .map { directory + "/" + $0 }
    }

    /// What the files of `directory` look like now, cheaply (no reading).
    public static func fingerprint(of directory: String) -> String {
        files(in: directory).map { file in
            let attributes = try? FileManager.default.attributesOfItem(atPath: file)
            let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(file):\(size):\(modified)"
        }.joined(separator: "\n")
    }

    /// Reads and checks `files` together (names must be unique; `playbook.call` must name one of them).
    public static func load(files: [String], allowExec: Bool, directory: String? = nil) -> PlaybookLibrary {
        var loaded: [Playbook] = []
        var issues: [PlaybookIssue] = []
        for file in files {
            let (playbook, problems) = Playbook.load(path: file)
            issues += problems
            guard let playbook else { continue }
            let checks = PlaybookLint.check(playbook, allowExec: allowExec)
            issues += checks
            if problems.contains(where: { $0.level == .error }) { continue }
            if let other = loaded.first(where: { $0.name == playbook.name }) {
                issues.append(
                    PlaybookIssue(
                        file: file, line: 1, column: 1,
                        message: "name '\(playbook.name)' is taken by \(other.path); names must be unique"))
                continue
            }
            if !checks.contains(where: { $0.level == .error }) { loaded.append(playbook) }
        }
        let calls = PlaybookLint.checkCalls(loaded)
        issues += calls
        issues.sort { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
        let broken = Set(calls.map(\.file))
        loaded.removeAll { broken.contains($0.path) }
        return PlaybookLibrary(
            playbooks: loaded, issues: issues,
            fingerprint: directory.map(fingerprint(of:)) ?? "", directory: directory)
    }

    /// The playbooks of `directory`.
    public static func load(directory: String, allowExec: Bool) -> PlaybookLibrary {
        load(files: files(in: directory), allowExec: allowExec, directory: directory)
    }

    public var sorted: [Playbook] { playbooks.values.sorted { $0.name < $1.name } }
}
