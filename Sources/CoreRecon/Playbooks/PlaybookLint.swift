import Foundation

/// The checks `playbook lint` makes beyond reading the file: actions and their inputs, references between steps,
/// names an expression reads, and cycles of `playbook.call`.
public enum PlaybookLint {
    /// Names every expression may read.
    public static let commonRoots: Set<String> = ["event", "steps", "inputs", "run", "playbook", "secrets"]

    public static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.count <= 64 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// Problems of one playbook, read on its own. `allowExec` is `playbooks.allowExec`.
    public static func check(_ playbook: Playbook, allowExec: Bool) -> [PlaybookIssue] {
        var issues: [PlaybookIssue] = []
        func add(_ line: Int, _ column: Int, _ message: String, _ level: PlaybookIssue.Level = .error) {
            issues.append(
                PlaybookIssue(file: playbook.path, line: line, column: column, level: level, message: message))
        }
        let events = Set(playbook.triggers.map(\.event))
        var roots = commonRoots
        let alertish = events.contains { $0.hasPrefix("alert.") || $0.hasPrefix("sla.") || $0 == "manual" }
        let incidentish = events.contains { $0.hasPrefix("incident.") || $0.hasPrefix("sla.") || $0 == "manual" }
        if alertish { roots.insert("alert") }
        if incidentish { roots.insert("incident") }
        let allRoots = commonRoots.union(["alert", "incident", "item", "index"])

        func checkNames(
            _ expression: PlaybookExpression, line: Int, column: Int, known: Set<String>, earlier: Set<String>,
            all: Set<String>
        ) {
            for (name, offset) in expression.rootNames where !known.contains(name) {
                if allRoots.contains(name) {
                    let why =
                        name == "item" || name == "index"
                        ? "only a step with for_each has '\(name)'"
                        : "no trigger of this playbook brings an \(name) (on: \(events.sorted().joined(separator: ", ")))"
                    add(line, column + offset, "'\(name)' is null here: \(why)", .warning)
                } else {
                    add(
                        line, column + offset,
                        "unknown name '\(name)'; expressions read \(allRoots.sorted().joined(separator: ", "))")
                }
            }
            for (id, offset) in expression.stepReferences where !earlier.contains(id) {
                add(
                    line, column + offset,
                    all.contains(id)
                        ? "steps.\(id) is read before step \(id) runs; a step can read only the steps before it"
                        : "no step has id '\(id)'")
            }
        }
        func checkTemplate(
            _ template: PlaybookTemplate, line: Int, column: Int, known: Set<String>, earlier: Set<String>,
            all: Set<String>
        ) {
            for (expression, offset) in template.expressions {
                checkNames(expression, line: line, column: column + offset, known: known, earlier: earlier, all: all)
            }
        }

        let allIDs = Set(playbook.steps.filter(\.hasExplicitID).map(\.id))
        for trigger in playbook.triggers {
            if let condition = trigger.condition {
                checkNames(condition, line: trigger.line, column: 1, known: roots, earlier: [], all: allIDs)
            }
        }
        if let concurrency = playbook.concurrency {
            checkTemplate(concurrency, line: 1, column: 1, known: roots, earlier: [], all: allIDs)
        }
        var seen = Set<String>()
        for step in playbook.steps {
            if seen.contains(step.id) { add(step.line, 1, "two steps have id '\(step.id)'") }
            var known = roots
            if step.forEach != nil { known.formUnion(["item", "index"]) }
            if let condition = step.condition {
                checkNames(condition, line: step.line, column: 1, known: known, earlier: seen, all: allIDs)
            }
            if let forEach = step.forEach {
                checkTemplate(forEach, line: step.line, column: 1, known: roots, earlier: seen, all: allIDs)
            }
            guard let action = PlaybookAction.byName[step.uses] else {
                add(
                    step.line, 1,
                    "step \(step.id): unknown action '\(step.uses)'; known: "
                        + PlaybookAction.all.map(\.name).joined(separator: ", "))
                seen.insert(step.id)
                continue
            }
            for (name, value) in step.with {
                let line = value.templates.first?.line ?? step.line
                guard let input = action.inputs.first(where: { $0.name == name }) else {
                    add(
                        line, 1,
                        "step \(step.id): \(action.name) has no input '\(name)'; its inputs: "
                            + action.inputs.map(\.name).joined(separator: ", "))
                    continue
                }
                for (template, line, column) in value.templates {
                    checkTemplate(template, line: line, column: column, known: known, earlier: seen, all: allIDs)
                }
                if case .constant(let constant) = value, let problem = typeProblem(constant, input.type) {
                    add(line, 1, "step \(step.id): input \(name) \(problem)")
                }
            }
            for input in action.inputs where input.required && !step.with.contains(where: { $0.0 == input.name }) {
                add(step.line, 1, "step \(step.id): \(action.name) needs input '\(input.name)' (\(input.summary))")
            }
            if action.name == "exec" && !allowExec {
                add(step.line, 1, "step \(step.id): exec is off unless playbooks.allowExec is true", .warning)
            }
            seen.insert(step.id)
        }
        if playbook.triggers.contains(where: { $0.event == "manual" }) == false && !playbook.inputs.isEmpty {
            add(1, 1, "inputs are given only to manual runs and playbook.call; add `manual` to `on:`", .warning)
        }
        return issues
    }

    /// What is wrong with a constant given for an input of `type`, or nil.
    static func typeProblem(_ value: JSONValue, _ type: PlaybookAction.InputType) -> String? {
        switch (type, value) {
        case (.any, _), (_, .null): return nil
        case (.string, .string), (.string, .number), (.string, .bool): return nil
        case (.integer, .number(let text)) where Int(text) != nil: return nil
        case (.integer, .string(let text)) where Int(text) != nil: return nil
        case (.boolean, .bool): return nil
        case (.list, .array), (.list, .string), (.list, .number): return nil
        case (.object, .object): return nil
        case (.duration, .string(let text)) where AppConfig.parseDuration(text) != nil: return nil
        case (.duration, .number): return nil
        case (.duration, .string(let text)): return "'\(text)' is not a duration such as 30s, 15m, 4h or 2d"
        default: return "must be \(type == .integer ? "an integer" : "a \(type.rawValue)")"
        }
    }

    /// `playbook.call` cycles among `playbooks` (by name), and calls of playbooks that do not exist.
    public static func checkCalls(_ playbooks: [Playbook]) -> [PlaybookIssue] {
        let byName = Dictionary(playbooks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var issues: [PlaybookIssue] = []
        func callees(_ playbook: Playbook) -> [(String, Int)] {
            playbook.steps.filter { $0.uses == "playbook.call" }.compactMap { step in
                guard let value = step.with.first(where: { $0.0 == "playbook" })?.1,
                    case .constant(.string(let name)) = value
                else { return nil }
                return (name, step.line)
            }
        }
        for playbook in playbooks {
            for (name, line) in callees(playbook) where byName[name] == nil {
                issues.append(
                    PlaybookIssue(
                        file: playbook.path, line: line, column: 1,
                        message: "playbook.call names '\(name)', which is not among the playbooks"))
            }
            // A depth-first walk from this playbook: reaching it again is a cycle.
            var stack: [(String, [String])] = callees(playbook).map { ($0.0, [playbook.name]) }
            var visited = Set<String>()
            while let (name, path) = stack.popLast() {
                if name == playbook.name {
                    let line = callees(playbook).first { $0.0 == path.dropFirst().first ?? name }?.1 ?? 1
                    issues.append(
                        PlaybookIssue(
                            file: playbook.path, line: line, column: 1,
                            message: "playbook.call cycle: " + (path + [name]).joined(separator: " → ")))
                    break
                }
                guard !visited.contains(name), let callee = byName[name] else { continue }
                visited.insert(name)
                stack += callees(callee).map { ($0.0, path + [name]) }
            }
        }
        return issues
    }
}
