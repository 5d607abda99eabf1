import Foundation
import Yams

/// Task lists per incident type, loaded from YAML playbooks: the tasks an incident of that type starts with.
///
/// One file per playbook; `incidents.taskTemplates` names a file or a directory of `*.yaml`/`*.yml` files:
///
/// ```yaml
/// type: phishing
/// name: Phishing response
/// tasks:
///   - title: Collect the reported message with full headers
///     phase: triage
///     description: Ask the reporter for the .eml; do not forward it inline.
/// ```
public struct TaskTemplates: Sendable, Equatable {
    public struct Template: Sendable, Equatable {
        public var type: String
        public var name: String
        public var tasks: [Task]
        /// The file it came from.
        public var path: String
    }

    public struct Task: Sendable, Equatable {
        public var title: String
        public var description: String?
        public var phase: String?
    }

    public var templates: [String: Template]

    public init(templates: [String: Template] = [:]) {
        self.templates = templates
    }

    /// The phases a template task may name: NIST SP 800-61's, and the incident states.
    public static let phases = [
        "preparation", "triage", "identification", "analysis", "investigation", "containment", "eradication",
        "recovery", "post_incident", "lessons_learned", "communication",
    ]

    /// Loads the file, or every `*.yaml`/`*.yml` file of the directory, at `path`. Errors name the file and line.
    public static func load(path: String) throws(CoreReconError) -> TaskTemplates {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .configuration(
                "incidents.taskTemplates: \(path) does not exist. Point it at a playbook file or directory.")
        }
        var files = [path]
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { path + "/" + $0 }
        }
        var templates: [String: Template] = [:]
        for file in files {
            let template = try parse(file: file)
            if let existing = templates[template.type] {
                throw .configuration(
                    "\(file): type '\(template.type)' already has a template in \(existing.path); keep one per type.")
            }
            templates[template.type] = template
        }
        return TaskTemplates(templates: templates)
    }

    static func parse(file: String) throws(CoreReconError) -> Template {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
        else {
            throw .configuration("\(file): cannot be read as UTF-8 text.")
        }
        return try parse(text, path: file)
    }

    static func parse(_ text: String, path: String) throws(CoreReconError) -> Template {
        func fail(_ node: Node?, _ reason: String) -> CoreReconError {
            .invalidInput(location: "\(path):\(node?.mark?.line ?? 1)", reason: reason)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw .invalidInput(location: path, reason: "not valid YAML: \(error)")
        }
        guard let root, case .mapping(let mapping) = root else {
            throw fail(root, "a playbook is a mapping with `type`, `name` and `tasks`.")
        }
        for key in mapping.keys {
            guard let name = key.string, ["type", "name", "description", "tasks"].contains(name) else {
                throw fail(key, "unknown key '\(key.string ?? "?")'; a playbook has type, name, description, tasks.")
            }
        }
        guard let typeNode = mapping["type"], let type = typeNode.string, !type.isEmpty else {
            throw fail(root, "the playbook has no `type` (the incident type it applies to, e.g. phishing).")
        }
        guard type.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }) else {
            throw fail(typeNode, "type '\(type)' must be lowercase letters, digits and underscores.")
        }
        guard let tasksNode = mapping["tasks"], case .sequence(let sequence) = tasksNode, !sequence.isEmpty else {
            throw fail(mapping["tasks"] ?? root, "`tasks` must be a non-empty list of tasks, each with a title.")
        }
        var tasks: [Task] = []
        for (index, node) in sequence.enumerated() {
            let number = index + 1
            switch node {
            case .scalar(let scalar):
                tasks.append(Task(title: scalar.string, description: nil, phase: nil))
            case .mapping(let task):
                for key in task.keys where !["title", "description", "phase"].contains(key.string ?? "") {
                    throw fail(
                        key, "task \(number): unknown key '\(key.string ?? "?")'; use title, description, phase.")
                }
                guard let title = task["title"]?.string, !title.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw fail(node, "task \(number) has no title.")
                }
                let phase = task["phase"]?.string
                if let phase, !phases.contains(phase) {
                    throw fail(
                        task["phase"],
                        "task \(number): unknown phase '\(phase)'; use \(phases.joined(separator: ", ")).")
                }
                tasks.append(Task(title: title, description: task["description"]?.string, phase: phase))
            default:
                throw fail(node, "task \(number) must be a title or a mapping with a title.")
            }
        }
        return Template(type: type, name: mapping["name"]?.string ?? type, tasks: tasks, path: path)
    }
}
