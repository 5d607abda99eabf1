/// A step's `uses:`: what it does, the inputs it takes and the outputs later steps can read.
public struct PlaybookAction: Sendable, Equatable {
    public enum InputType: String, Sendable {
        case string, integer, boolean, list, object, duration, any
    }

    public struct Input: Sendable, Equatable {
        public var name: String
        public var type: InputType
        public var required: Bool
        public var summary: String
    }

    /// What running the step touches, which decides what happens when a runner dies during it.
    public enum Effect: String, Sendable {
        /// Reads only: run again on resume.
        case none
        /// Changes CoreRecon's database in a way that is the same when repeated (or, for `playbook.call`, resumes
        /// the run it started): run again on resume.
        case idempotent
        /// Adds something (a comment, a task, an incident): not repeated on resume; the step fails as
        /// interrupted, and its `on_error` decides.
        case database
        /// Reaches outside (HTTP, a command, a message): not repeated on resume, as `database`.
        case external
    }

    public var name: String
    public var summary: String
    public var inputs: [Input]
    public var outputs: [String]
    public var effect: Effect

    /// Whether a step found running after a crash is run again.
    public var repeatsOnResume: Bool { effect == .none || effect == .idempotent }

    static func input(_ name: String, _ type: InputType, required: Bool = false, _ summary: String) -> Input {
        Input(name: name, type: type, required: required, summary: summary)
    }

    public static let all: [PlaybookAction] = [
        PlaybookAction(
            name: "alert.set",
            summary:
                "Change an alert: acknowledge it, assign it (which makes it in_progress); what is so already stays.",
            inputs: [
                input("alert", .integer, required: true, "The alert id."),
                input("status", .string, "acknowledged (close with alert.close, comment with alert.comment)."),
                input("assignee", .string, "Who to assign it to."),
            ], outputs: ["id", "status", "assignee", "severity"], effect: .idempotent),
        PlaybookAction(
            name: "alert.close", summary: "Close an alert with a reason.",
            inputs: [
                input("alert", .integer, required: true, "The alert id."),
                input(
                    "reason", .string, required: true,
                    "true_positive, false_positive, benign_positive, duplicate or other."),
                input("comment", .string, "Why."),
            ], outputs: ["id", "status"], effect: .idempotent),
        PlaybookAction(
            name: "alert.comment", summary: "Add a comment to an alert's history.",
            inputs: [
                input("alert", .integer, required: true, "The alert id."),
                input("text", .string, required: true, "The comment."),
            ], outputs: ["id"], effect: .database),
        PlaybookAction(
            name: "alert.related",
            summary: "Alerts sharing an observable with the alert within a window (alerts.correlationWindow).",
            inputs: [
                input("alert", .integer, required: true, "The alert id."),
                input("window", .duration, "Only alerts last seen within this long of it (default: the setting)."),
                input("limit", .integer, "Most alerts (100)."),
            ], outputs: ["ids", "count", "alerts"], effect: .none),
        PlaybookAction(
            name: "alert.escalate", summary: "Escalate alerts into a new incident, or into an existing one.",
            inputs: [
                input("alerts", .list, required: true, "Alert ids."),
                input("incident", .string, "An incident to add them to (a new one otherwise)."),
                input("title", .string, "The new incident's title."),
            ], outputs: ["id"], effect: .database),
        PlaybookAction(
            name: "incident.create", summary: "Open an incident, optionally with alerts.",
            inputs: [
                input("title", .string, required: true, "Its title."),
                input("severity", .string, "low, medium, high or critical (medium)."),
                input("type", .string, "Its type (its task template applies)."),
                input("description", .string, "A description."),
                input("assignee", .string, "Who owns it."),
                input("alerts", .list, "Alert ids to link."),
            ], outputs: ["id", "state", "severity"], effect: .database),
        PlaybookAction(
            name: "incident.set", summary: "Change an incident: state, assignee.",
            inputs: [
                input("incident", .string, required: true, "The incident key (INC-...)."),
                input("state", .string, "triage, investigating, contained, eradicated or recovered (close by hand)."),
                input("assignee", .string, "Who owns it."),
                input("comment", .string, "A message recorded with a state change."),
            ], outputs: ["id", "state", "assignee"], effect: .idempotent),
        PlaybookAction(
            name: "incident.task.add", summary: "Add a task to an incident.",
            inputs: [
                input("incident", .string, required: true, "The incident key."),
                input("title", .string, required: true, "The task."),
                input("description", .string, "Details."),
                input("phase", .string, "A NIST phase."),
                input("assignee", .string, "Who does it."),
            ], outputs: ["incident", "number"], effect: .database),
        PlaybookAction(
            name: "incident.observable.add", summary: "Add an observable to an incident.",
            inputs: [
                input("incident", .string, required: true, "The incident key."),
                input("value", .string, required: true, "The value (its type is detected when not given)."),
                input("type", .string, "ip, domain, url, hash, email, ..."),
                input("tags", .list, "Tags."),
                input("ioc", .boolean, "Whether it is an indicator of compromise."),
            ], outputs: ["incident", "value", "type"], effect: .idempotent),
        PlaybookAction(
            name: "incident.timeline.add", summary: "Add an entry to an incident's timeline.",
            inputs: [
                input("incident", .string, required: true, "The incident key."),
                input("text", .string, required: true, "What happened."),
                input("category", .string, "A category (note by default)."),
            ], outputs: ["incident"], effect: .database),
        PlaybookAction(
            name: "incident.map", summary: "Map an ATT&CK technique to an incident.",
            inputs: [
                input("incident", .string, required: true, "The incident key."),
                input("technique", .string, required: true, "T1110, T1059.001, ..."),
                input("tactic", .string, "The tactic, when the technique has several."),
            ], outputs: ["incident", "technique", "added"], effect: .idempotent),
        PlaybookAction(
            name: "ioc.lookup", summary: "Look a value up among the active indicators.",
            inputs: [input("value", .string, required: true, "An IP, domain, URL, hash, ... (refanged first).")],
            outputs: ["found", "score", "type", "tags", "sources", "value"], effect: .none),
        PlaybookAction(
            name: "ioc.add", summary: "Add (or refresh) an indicator.",
            inputs: [
                input("value", .string, required: true, "The value."),
                input("type", .string, "Its type (detected when not given)."),
                input("confidence", .integer, "0-100."),
                input("tlp", .string, "clear, green, amber, amber+strict, red."),
                input("tags", .list, "Tags."),
                input("description", .string, "A description."),
            ], outputs: ["value", "type", "created"], effect: .idempotent),
        PlaybookAction(
            name: "notify", summary: "Send a message to a notification channel (notify.channels), through the outbox.",
            inputs: [
                input("channel", .string, required: true, "The channel's name."),
                input("text", .string, required: true, "The message."),
                input("subject", .string, "A subject (the text's first line by default)."),
            ], outputs: ["id", "channel"], effect: .external),
        PlaybookAction(
            name: "http.request",
            summary: "Send an HTTP request. Secrets come from the environment by name (secrets.NAME), never logged.",
            inputs: [
                input("url", .string, required: true, "http:// or https://."),
                input("method", .string, "GET by default; POST when a body is given."),
                input("headers", .object, "Header names and values."),
                input("json", .any, "A JSON body."),
                input("body", .string, "A text body."),
                input("expect", .list, "Statuses that count as success (2xx by default)."),
            ], outputs: ["status", "body", "json", "headers"], effect: .external),
        PlaybookAction(
            name: "wait",
            summary: "Pause the run for a while, durably: a timer in the database, not a sleeping process.",
            inputs: [input("duration", .duration, required: true, "How long: 30s, 15m, 4h, 2d.")],
            outputs: ["until"], effect: .none),
        PlaybookAction(
            name: "playbook.call", summary: "Run another playbook with inputs, and wait for it.",
            inputs: [
                input("playbook", .string, required: true, "Its name."),
                input("inputs", .object, "Its inputs."),
            ], outputs: ["run", "status", "steps"], effect: .idempotent),
        PlaybookAction(
            name: "exec",
            summary: "Run a local command, arguments as a list, no shell; off unless playbooks.allowExec is true.",
            inputs: [
                input("command", .list, required: true, "The program and its arguments."),
                input("stdin", .string, "Text for its standard input."),
            ], outputs: ["exitCode", "stdout", "stderr"], effect: .external),
    ]

    public static let byName: [String: PlaybookAction] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.name, $0) })
}
