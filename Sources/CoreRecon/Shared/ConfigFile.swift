import Foundation
import Yams

/// Reads the YAML config file into dotted keys, remembering each value's line for error messages.
enum ConfigFile {
    struct Entry: Equatable {
        var value: String
        var line: Int
    }

    /// The default location: `$XDG_CONFIG_HOME/corerecon/config.yaml` (`~/.config/corerecon/config.yaml`).
    static func defaultPath(environment: [String: String]) -> String {
        directory(environment: environment) + "/config.yaml"
    }

    /// `$XDG_CONFIG_HOME/corerecon`, else `~/.config/corerecon`: the config file, contexts and sign-ins.
    static func directory(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return xdg + "/corerecon"
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.config/corerecon"
    }

    /// Loads the file named by `--config` (which must exist) or the default one (which may be missing).
    static func load(_ sources: AppConfig.Sources) throws(CoreReconError) -> ([String: Entry], String?, [String: Node])
    {
        let isExplicit = sources.configPath != nil
        var path = sources.configPath ?? defaultPath(environment: sources.environment)
        if !path.hasPrefix("/") { path = sources.currentDirectory + "/" + path }

        guard let data = Self.contents(atPath: path) else {
            if !isExplicit && !FileManager.default.fileExists(atPath: path) { return ([:], nil, [:]) }
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw .configuration("config file \(path) \(reason). Check --config.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .configuration("config file \(path) is not UTF-8 text.")
        }
        let (entries, sections) = try parse(text, path: path)
        return (entries, path, sections)
    }

    /// Top-level sections read as structures rather than flat settings: `sla:`, `notify:` and `syslog:`.
    static let structuredSections: Set<String> = ["sla", "notify", "syslog"]

    /// The file's bytes, nil when it cannot be read. An empty file is read without Foundation, whose reader
    /// leaks its 4 KB buffer for one (found by fuzzing the config file).
    static func contents(atPath path: String) -> Data? {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size == 0,
            FileManager.default.isReadableFile(atPath: path)
        {
            return Data()
        }
        return FileManager.default.contents(atPath: path)
    }

    static func parse(_ text: String, path: String) throws(CoreReconError) -> ([String: Entry], [String: Node]) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw .configuration("config file \(path): \(describe(error)). Fix the YAML syntax.")
        } catch {
            throw .configuration("config file \(path): \(error).")
        }
        guard let root else { return ([:], [:]) }
        guard case .mapping(let mapping) = root else {
            throw .configuration("config file \(path):\(line(of: root)): the top level must be a mapping of settings.")
        }
        var entries: [String: Entry] = [:]
        var sections: [String: Node] = [:]
        var flat: [(Node, Node)] = []
        for (key, value) in mapping {
            if let name = key.string, structuredSections.contains(name) {
                sections[name] = value
            } else {
                flat.append((key, value))
            }
        }
        try flatten(Node.Mapping(flat), prefix: "", path: path, into: &entries)
        return (entries, sections)
    }

    private static func flatten(
        _ mapping: Node.Mapping,
        prefix: String,
        path: String,
        into entries: inout [String: Entry]
    ) throws(CoreReconError) {
        let known = Set(AppConfig.Key.allCases.map(\.rawValue))
            .union(AlertFormat.allCases.map { "ingest.fingerprint.\($0.rawValue)" })
            .union(IndicatorType.allCases.map { "ioc.lifetime.\($0.rawValue)" })
        for (keyNode, valueNode) in mapping {
            guard let name = keyNode.string else {
                throw .configuration("config file \(path):\(line(of: keyNode)): keys must be strings.")
            }
            let key = prefix.isEmpty ? name : prefix + "." + name
            switch valueNode {
            case .mapping(let nested):
                try flatten(nested, prefix: key, path: path, into: &entries)
            case .scalar(let scalar):
                guard known.contains(key) else {
                    throw .configuration(
                        "config file \(path):\(line(of: keyNode)): unknown setting '\(key)'. Known settings: "
                            + known.sorted().joined(separator: ", ") + "."
                    )
                }
                entries[key] = Entry(value: scalar.string, line: line(of: valueNode))
            case .sequence(let sequence) where key.hasPrefix("ingest.fingerprint.") || key == "incidents.analysts":
                guard known.contains(key) else {
                    throw .configuration(
                        "config file \(path):\(line(of: keyNode)): unknown setting '\(key)'. Fingerprints are set per "
                            + "format: ingest.fingerprint.default or ingest.fingerprint.<format> with <format> one of "
                            + AlertFormat.allCases.map(\.rawValue).joined(separator: ", ") + "."
                    )
                }
                let values = sequence.compactMap(\.string)
                entries[key] = Entry(value: values.joined(separator: ","), line: line(of: valueNode))
            case .sequence, .alias:
                throw .configuration("config file \(path):\(line(of: valueNode)): '\(key)' must be a single value.")
            }
        }
    }

    private static func line(of node: Node) -> Int { (node.mark?.line ?? 0) }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let where_ = "line \(mark.line), column \(mark.column)"
            return [context?.text, problem, where_].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        default:
            return "\(error)"
        }
    }
}
