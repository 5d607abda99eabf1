import Foundation
import Yams

/// A structured section of the config file (`sla:`, `notify:`), read with errors that name the file, line and
/// setting, as the flat settings' errors do.
struct ConfigSection {
    let node: Node
    /// Dotted path of this section, for messages: `sla.policies[2]`.
    let path: String
    /// The config file, for messages.
    let file: String

    var line: Int { node.mark?.line ?? 0 }

    func error(_ message: String, at node: Node? = nil) -> CoreReconError {
        .configuration("\(file):\((node ?? self.node).mark?.line ?? line): \(path): \(message)")
    }

    /// An error about the setting `key` of this section (its line when present, else the section's).
    func error(key: String, _ message: String) -> CoreReconError {
        (child(key) ?? self).error(message)
    }

    var mapping: Node.Mapping? { node.mapping }

    /// The keys present, for refusing unknown ones.
    func requireKeys(in known: Set<String>) throws(CoreReconError) {
        guard let mapping = node.mapping else { throw error("must be a mapping of settings.") }
        for (key, _) in mapping {
            guard let name = key.string, known.contains(name) else {
                throw .configuration(
                    "\(file):\(key.mark?.line ?? line): \(path): unknown setting '\(key.string ?? "?")'. Known: "
                        + known.sorted().joined(separator: ", ") + ".")
            }
        }
    }

    func child(_ key: String) -> ConfigSection? {
        guard let value = node.mapping?[key] else { return nil }
        return ConfigSection(node: value, path: path.isEmpty ? key : path + "." + key, file: file)
    }

    /// A scalar's text.
    func string(_ key: String) throws(CoreReconError) -> String? {
        guard let section = child(key) else { return nil }
        guard let text = section.node.string else { throw section.error("must be a single value.") }
        return text
    }

    /// A scalar or a sequence of scalars.
    func strings(_ key: String) throws(CoreReconError) -> [String] {
        guard let section = child(key) else { return [] }
        if let text = section.node.string { return [text] }
        guard let sequence = section.node.sequence else { throw section.error("must be a value or a list of values.") }
        var values: [String] = []
        for item in sequence {
            guard let text = item.string else { throw section.error("must be a list of single values.", at: item) }
            values.append(text)
        }
        return values
    }

    func duration(_ key: String) throws(CoreReconError) -> Duration? {
        guard let text = try string(key) else { return nil }
        guard let value = AppConfig.parseDuration(text) else {
            throw error(key: key, "'\(text)' is not a duration such as 15m, 4h or 3d.")
        }
        return value
    }

    func bool(_ key: String) throws(CoreReconError) -> Bool? {
        guard let text = try string(key) else { return nil }
        guard let value = AppConfig.parseBool(text) else { throw error(key: key, "must be true or false.") }
        return value
    }

    /// A share: `80%` or `0.8`.
    func share(_ key: String) throws(CoreReconError) -> Double? {
        guard let text = try string(key) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let value = trimmed.hasSuffix("%") ? Double(trimmed.dropLast()).map { $0 / 100 } : Double(trimmed)
        guard let value, value > 0, value < 1 else {
            throw error(key: key, "'\(text)' is not a share between 0 and 100 % (such as 80%).")
        }
        return value
    }

    /// The entries of a mapping, in file order.
    func entries() throws(CoreReconError) -> [(String, ConfigSection)] {
        guard let mapping = node.mapping else { throw error("must be a mapping.") }
        var result: [(String, ConfigSection)] = []
        for (key, value) in mapping {
            guard let name = key.string else { throw error("keys must be strings.", at: key) }
            result.append((name, ConfigSection(node: value, path: path + "." + name, file: file)))
        }
        return result
    }

    /// The items of a sequence.
    func items() throws(CoreReconError) -> [ConfigSection] {
        guard let sequence = node.sequence else { throw error("must be a list.") }
        return sequence.enumerated().map { index, item in
            ConfigSection(node: item, path: "\(path)[\(index + 1)]", file: file)
        }
    }
}
