import Crypto
import Foundation
import Yams

extension Playbook {
    /// The top-level keys of a playbook file.
    public static let keys = ["name", "description", "on", "concurrency", "inputs", "steps"]
    /// The keys of a step.
    public static let stepKeys = ["id", "name", "uses", "with", "if", "for_each", "retry", "timeout", "on_error"]

    /// Reads a playbook from the file at `path`; every problem found is returned, with its line and column. A
    /// playbook with an error in `issues` must not run.
    public static func load(path: String) -> (Playbook?, [PlaybookIssue]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (nil, [PlaybookIssue(file: path, line: 1, column: 1, message: "cannot be read")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [PlaybookIssue(file: path, line: 1, column: 1, message: "is not UTF-8 text")])
        }
        return parse(text, path: path)
    }

    /// Reads a playbook from `text`, named `path` in messages. With errors, the playbook is what could be read
    /// (for further checks), never to be run.
    public static func parse(_ text: String, path: String) -> (Playbook?, [PlaybookIssue]) {
        var reader = Reader(path: path)
        let playbook = reader.read(text)
        return (playbook, reader.issues)
    }

    struct Reader {
        let path: String
        var issues: [PlaybookIssue] = []
        /// The `${{ }}` expressions taken out of the text before YAML reads it (see ``protect(_:)``).
        var protected: [String] = []

        init(path: String) {
            self.path = path
        }

        mutating func error(_ node: Node?, _ message: String, column: Int? = nil, line: Int? = nil) {
            issues.append(
                PlaybookIssue(
                    file: path, line: line ?? node?.mark?.line ?? 1, column: column ?? node?.mark?.column ?? 1,
                    message: message))
        }

        mutating func warning(_ node: Node?, _ message: String) {
            issues.append(
                PlaybookIssue(
                    file: path, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, level: .warning,
                    message: message))
        }

        /// Replaces each `${{ ... }}` by a placeholder of the same length made of letters YAML reads as plain text,
        /// so that `with: { alert: ${{ alert.id }} }` is a flow mapping as a reader of it expects (YAML itself
        /// would take the braces for a nested mapping), and every line and column stays where it was.
        mutating func protect(_ text: String) -> String {
            var scalars = Array(text.unicodeScalars)
            var position = 0
            while position + 2 < scalars.count {
                guard scalars[position] == "$", scalars[position + 1] == "{", scalars[position + 2] == "{" else {
                    position += 1
                    continue
                }
                var end = position + 3
                var quote: Unicode.Scalar?
                while end + 1 < scalars.count {
                    let scalar = scalars[end]
                    if scalar == "\n" { break }
                    if let open = quote {
                        if scalar == open { quote = nil }
                    } else if scalar == "'" || scalar == "\"" {
                        quote = scalar
                    } else if scalar == "}" && scalars[end + 1] == "}" {
                        break
                    }
                    end += 1
                }
                guard end + 1 < scalars.count, scalars[end] == "}", scalars[end + 1] == "}", protected.count < 60_000
                else {
                    position += 3
                    continue
                }
                let span = position..<(end + 2)
                protected.append(String(String.UnicodeScalarView(scalars[span])))
                guard let marker = Unicode.Scalar(0xF0000 + UInt32(protected.count - 1)),
                    let filler = Unicode.Scalar(0xE000 as UInt32)
                else { break }
                scalars.replaceSubrange(span, with: [marker] + Array(repeating: filler, count: span.count - 1))
                position = end + 2
            }
            return String(String.UnicodeScalarView(scalars))
        }

        /// The text of a scalar with its expressions put back.
        func restore(_ text: String) -> String {
            guard text.unicodeScalars.contains(where: { $0.value >= 0xE000 }) else { return text }
            var result = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                if (0xF0000..<0xFFFF0).contains(scalar.value) {
                    let index = Int(scalar.value - 0xF0000)
                    if index < protected.count { result.append(contentsOf: protected[index].unicodeScalars) }
                } else if scalar.value != 0xE000 {
                    result.append(scalar)
                }
            }
            return String(result)
        }

        func string(_ node: Node?) -> String? { node?.string.map(restore) }

        mutating func read(_ text: String) -> Playbook? {
            let root: Node?
            do {
                root = try Yams.compose(yaml: protect(text))
            } catch let error as YamlError {
                switch error {
                case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                    .composer(_, let problem, let mark, _):
                    self.error(nil, "not valid YAML: \(problem)", column: mark.column, line: mark.line)
                default:
                    self.error(nil, "not valid YAML: \(error)")
                }
                return nil
            } catch {
                self.error(nil, "not valid YAML: \(error)")
                return nil
            }
            guard let root, let mapping = root.mapping else {
                error(root, "a playbook is a mapping with name, on and steps")
                return nil
            }
            for key in mapping.keys where !Playbook.keys.contains(key.string ?? "") {
                error(
                    key, "unknown key '\(key.string ?? "?")'; a playbook has \(Playbook.keys.joined(separator: ", "))")
            }
            let name = string(mapping["name"]) ?? ""
            if mapping["name"] == nil {
                error(root, "the playbook has no name")
            } else if !Self.isName(name) {
                error(mapping["name"], "name '\(name)' must be letters, digits, '-', '_' and '.', at most 100")
            }
            let triggers = readTriggers(mapping["on"], root: root)
            let inputs = readInputs(mapping["inputs"])
            var concurrency: PlaybookTemplate?
            if let node = mapping["concurrency"] {
                concurrency = template(node)
            }
            var steps: [Step] = []
            if let node = mapping["steps"] {
                if let sequence = node.sequence, !sequence.isEmpty {
                    for (index, item) in sequence.enumerated() {
                        if let step = readStep(item, number: index + 1) { steps.append(step) }
                    }
                } else {
                    error(node, "steps must be a non-empty list")
                }
            } else {
                error(root, "the playbook has no steps")
            }
            return Playbook(
                name: name, description: string(mapping["description"]), triggers: triggers,
                concurrency: concurrency, steps: steps, inputs: inputs, path: path,
                version: Hex.encode(SHA256.hash(data: Data(text.utf8))))
        }

        static func isName(_ text: String) -> Bool {
            !text.isEmpty && text.count <= 100
                && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        }

        mutating func readTriggers(_ node: Node?, root: Node) -> [Trigger] {
            guard let node else {
                error(root, "the playbook has no `on:` (the events it reacts to, schedule or manual)")
                return []
            }
            var triggers: [Trigger] = []
            func add(_ name: String, _ value: Node?, at key: Node) {
                guard Playbook.triggerNames.contains(name) else {
                    error(key, "unknown trigger '\(name)'; use \(Playbook.triggerNames.joined(separator: ", "))")
                    return
                }
                var trigger = Trigger(event: name, condition: nil, cron: nil, line: key.mark?.line ?? 1)
                if name == "schedule" {
                    let text = value?.mapping.map { string($0["cron"]) } ?? string(value)
                    guard let text, let value else {
                        error(key, "schedule needs a cron expression: schedule: \"*/15 * * * *\"")
                        return
                    }
                    do {
                        trigger.cron = try CronSchedule(text)
                    } catch {
                        self.error(value, "schedule: \(error.message)")
                    }
                } else if let value, let options = value.mapping {
                    for optionKey in options.keys where !["if", "inputs"].contains(optionKey.string ?? "") {
                        error(optionKey, "unknown option '\(optionKey.string ?? "?")' of \(name); use if")
                    }
                    if let condition = options["if"] { trigger.condition = expression(condition) }
                } else if let value, !(value.null != nil || value.string == "") {
                    error(value, "\(name): expected a mapping (with `if:`) or nothing")
                }
                triggers.append(trigger)
            }
            switch node {
            case .scalar:
                add(string(node) ?? "", nil, at: node)
            case .sequence(let items):
                for item in items { add(string(item) ?? "", nil, at: item) }
            case .mapping(let mapping):
                for (key, value) in mapping { add(string(key) ?? "", value, at: key) }
            case .alias:
                error(node, "aliases are not supported in `on:`")
            }
            return triggers
        }

        mutating func readInputs(_ node: Node?) -> [Input] {
            guard let node else { return [] }
            guard let mapping = node.mapping else {
                error(node, "inputs must be a mapping of names to {required, default, description}")
                return []
            }
            var inputs: [Input] = []
            for (key, value) in mapping {
                let name = string(key) ?? ""
                guard PlaybookLint.isIdentifier(name) else {
                    error(key, "input name '\(name)' must be letters, digits and underscores")
                    continue
                }
                var input = Input(name: name, required: false, defaultValue: nil, description: nil)
                if let options = value.mapping {
                    for optionKey in options.keys
                    where !["required", "default", "description"].contains(optionKey.string ?? "") {
                        error(optionKey, "unknown option '\(optionKey.string ?? "?")' of input \(name)")
                    }
                    input.required = options["required"]?.bool ?? false
                    input.defaultValue = options["default"].map(constant)
                    input.description = string(options["description"])
                }
                inputs.append(input)
            }
            return inputs
        }

        mutating func readStep(_ node: Node, number: Int) -> Step? {
            guard let mapping = node.mapping else {
                error(node, "step \(number) must be a mapping with `uses:`")
                return nil
            }
            for key in mapping.keys where !Playbook.stepKeys.contains(key.string ?? "") {
                error(
                    key,
                    "step \(number): unknown key '\(key.string ?? "?")'; a step has "
                        + Playbook.stepKeys.joined(separator: ", "))
            }
            let explicitID = string(mapping["id"])
            if let explicitID, !PlaybookLint.isIdentifier(explicitID) {
                error(mapping["id"], "step id '\(explicitID)' must be letters, digits and underscores")
            }
            guard let usesNode = mapping["uses"], let uses = string(usesNode) else {
                error(node, "step \(number) has no `uses:` (the action it runs)")
                return nil
            }
            var with: [(String, PlaybookValue)] = []
            if let withNode = mapping["with"] {
                if let inputs = withNode.mapping {
                    for (key, value) in inputs { with.append((string(key) ?? "", self.value(value))) }
                } else if withNode.null == nil {
                    error(withNode, "step \(number): `with:` must be a mapping of inputs")
                }
            }
            var retry = Retry.none
            if let retryNode = mapping["retry"] {
                if let count = retryNode.int {
                    retry.count = count
                } else if let options = retryNode.mapping {
                    retry.count = options["count"]?.int ?? 1
                    if let backoff = options["backoff"] {
                        if let duration = string(backoff).flatMap(AppConfig.parseDuration) {
                            retry.backoff = duration
                        } else {
                            error(backoff, "step \(number): backoff must be a duration such as 5s or 1m")
                        }
                    }
                } else {
                    error(retryNode, "step \(number): retry is a count, or {count, backoff}")
                }
                if !(0...10).contains(retry.count) { error(retryNode, "step \(number): retry count must be 0...10") }
            }
            var timeout: Duration?
            if let timeoutNode = mapping["timeout"] {
                timeout = string(timeoutNode).flatMap(AppConfig.parseDuration)
                if timeout == nil || timeout == .zero {
                    error(timeoutNode, "step \(number): timeout must be a duration such as 30s or 5m")
                }
            }
            var continueOnError = false
            if let onError = mapping["on_error"] {
                switch string(onError) {
                case "continue": continueOnError = true
                case "fail": continueOnError = false
                default: error(onError, "step \(number): on_error is fail or continue")
                }
            }
            return Step(
                id: explicitID ?? "step-\(number)", hasExplicitID: explicitID != nil, name: string(mapping["name"]),
                uses: uses, with: with, condition: mapping["if"].flatMap { expression($0) },
                forEach: mapping["for_each"].flatMap { template($0) }, retry: retry, timeout: timeout,
                continueOnError: continueOnError, line: node.mark?.line ?? 1)
        }

        /// Where an offset into a scalar's text is in the file.
        func position(of node: Node, offset: Int) -> (line: Int, column: Int) {
            let line = node.mark?.line ?? 1
            let column = node.mark?.column ?? 1
            guard case .scalar(let scalar) = node else { return (line, column) }
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
            if scalar.style == .literal || scalar.style == .folded {
                return (line + 1, 1)
            }
            return (line, column + offset + (quoted ? 1 : 0))
        }

        /// An `if:`: an expression, with or without `${{ }}` around it.
        mutating func expression(_ node: Node) -> PlaybookExpression? {
            if let bool = node.bool, node.string.map({ !$0.contains("${{") }) ?? true { return .literal(.bool(bool)) }
            guard let text = string(node) else {
                error(node, "a condition must be a single expression")
                return nil
            }
            var inner = text.trimmingCharacters(in: .whitespaces)
            var shift = text.count - text.drop { $0 == " " }.count
            if inner.hasPrefix("${{") && inner.hasSuffix("}}") && inner.components(separatedBy: "${{").count == 2 {
                inner = String(inner.dropFirst(3).dropLast(2))
                shift += 3
            }
            do {
                return try PlaybookExpression.parse(inner)
            } catch {
                let at = position(of: node, offset: shift + error.offset)
                self.error(
                    node, "in `\(inner.trimmingCharacters(in: .whitespaces))`: \(error.message)", column: at.column,
                    line: at.line)
                return nil
            }
        }

        mutating func template(_ node: Node) -> PlaybookTemplate? {
            guard let text = string(node) else {
                error(node, "expected a value with ${{ }} expressions")
                return nil
            }
            do {
                return try PlaybookTemplate(text)
            } catch {
                let at = position(of: node, offset: error.offset)
                self.error(node, error.message, column: at.column, line: at.line)
                return nil
            }
        }

        mutating func value(_ node: Node) -> PlaybookValue {
            switch node {
            case .scalar(let scalar):
                let text = restore(scalar.string)
                if text.contains("${{") {
                    guard let template = template(node) else { return .constant(.null) }
                    return .template(template, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
                }
                return .constant(constant(node))
            case .sequence(let items):
                return .list(items.map { value($0) })
            case .mapping(let mapping):
                return .object(mapping.map { (string($0.key) ?? "", value($0.value)) })
            case .alias:
                return .constant(.null)
            }
        }

        /// A YAML value as JSON: plain scalars keep their type (5, true, null), quoted ones are text.
        func constant(_ node: Node) -> JSONValue {
            switch node {
            case .scalar(let scalar):
                let text = restore(scalar.string)
                if scalar.style == .plain {
                    if node.null != nil { return .null }
                    if let bool = node.bool { return .bool(bool) }
                    if let int = node.int { return .int(int) }
                    if let double = node.float, double.isFinite { return PlaybookExpression.json(double) }
                }
                return .string(text)
            case .sequence(let items):
                return .array(items.map(constant))
            case .mapping(let mapping):
                return .object(mapping.map { JSONMember(string($0.key) ?? "", constant($0.value)) })
            case .alias:
                return .null
            }
        }
    }
}
