import Foundation
import Testing

/// The real third-party data beside the repository (`../shared/data`), used by tests when present.
///
/// It is not part of the repository (licences); tests that need it are skipped, visibly, without it.
public enum SharedData {
    /// `CORERECON_SHARED_DATA`, else `../shared/data` next to the repository root.
    public static var root: URL {
        if let path = ProcessInfo.processInfo.environment["CORERECON_SHARED_DATA"] {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/data")
    }

    public static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("alerts").path)
    }

    public static let skipReason: Comment = "../shared/data is not present: tests on real third-party data were skipped"

    /// True when the real ATT&CK bundles and Navigator layers (`attack/`) are present.
    public static var hasATTACK: Bool {
        FileManager.default.fileExists(atPath: url("attack/enterprise-attack-v15-stix2.0.json").path)
    }

    public static let attackSkipReason: Comment =
        "../shared/data/attack is not present: tests on the real ATT&CK bundles and layers were skipped"

    public static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// Files under `directory` (relative to the data root) whose names end with one of `suffixes`, sorted.
    public static func files(in directory: String, suffixes: [String]) -> [URL] {
        let base = url(directory)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var found: [URL] = []
        for case let file as URL in walker where suffixes.contains(where: { file.lastPathComponent.hasSuffix($0) }) {
            found.append(file)
        }
        return found.sorted { $0.path < $1.path }
    }
}
