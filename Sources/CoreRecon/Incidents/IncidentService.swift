import Crypto
import Foundation
import Logging

/// The incident lifecycle: creation and escalation, state changes, assignment, observables, evidence, tasks,
/// timeline and ATT&CK mapping. Each change is one transaction that also writes the field-level history and,
/// for what an investigator wants to see in order, a timeline entry.
public struct IncidentService: Sendable {
    let repository: any IncidentRepository
    let changes: ChangeSignal
    let settings: IncidentSettings
    let logger: Logger
    let now: @Sendable () -> Date
    /// Checks a technique id for `map`: the imported ATT&CK data when present, else the embedded catalog.
    let validateTechnique: @Sendable (String) async throws -> ATTACKTechnique

    /// Evidence files larger than this are refused (they are kept in the database).
    public static let maximumEvidenceSize = 256 * 1_024 * 1_024

    public init(
        repository: any IncidentRepository,
        changes: ChangeSignal,
        settings: IncidentSettings,
        logger: Logger,
        now: @escaping @Sendable () -> Date,
        validateTechnique: @escaping @Sendable (String) async throws -> ATTACKTechnique = {
            try ATTACKCatalog.embedded.validate($0)
        }
    ) {
        self.repository = repository
        self.changes = changes
        self.settings = settings
        self.logger = logger
        self.now = now
        self.validateTechnique = validateTechnique
    }

    /// The current year in UTC, for short ids (`IR-0001`).
    public var currentYear: Int { Self.year(of: now()) }

    /// The year (UTC) of `date`: the year of `IR-0001` said at that moment.
    public static func year(of date: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar.component(.year, from: date)
    }

    /// Parses `IR-2026-0001` or `IR-0001` (this year).
    public func key(_ text: String) throws(CoreReconError) -> IncidentKey {
        try IncidentKey(parsing: text, currentYear: currentYear)
    }

    // MARK: - Reading

    public func incident(_ key: IncidentKey) async throws -> Incident {
        try await repository.read { store in try await Self.require(key, in: store) }
    }

    public func list(_ query: IncidentQuery) async throws -> [Incident] {
        try await repository.read { try await $0.list(query) }
    }

    public func detail(_ key: IncidentKey) async throws -> IncidentDetail {
        try await repository.read { store in
            let incident = try await Self.require(key, in: store)
            return IncidentDetail(
                incident: incident,
                alerts: try await store.alerts(of: incident.id).map(IncidentAlertSummary.init),
                observables: try await store.observables(of: incident.id),
                techniques: try await store.techniques(of: incident.id),
                tasks: try await store.tasks(of: incident.id),
                evidence: try await store.evidence(of: incident.id),
                timeline: try await store.timeline(of: incident.id)
            )
        }
    }

    public func history(_ key: IncidentKey) async throws -> [IncidentHistoryEntry] {
        try await repository.read { store in
            try await store.history(of: try await Self.require(key, in: store).id)
        }
    }

    public func timeline(_ key: IncidentKey) async throws -> [TimelineEntry] {
        try await repository.read { store in
            try await store.timeline(of: try await Self.require(key, in: store).id)
        }
    }

    public func observables(_ key: IncidentKey) async throws -> [IncidentObservable] {
        try await repository.read { store in
            try await store.observables(of: try await Self.require(key, in: store).id)
        }
    }

    public func tasks(_ key: IncidentKey) async throws -> [IncidentTask] {
        try await repository.read { store in
            try await store.tasks(of: try await Self.require(key, in: store).id)
        }
    }

    public func evidence(_ key: IncidentKey) async throws -> [IncidentEvidence] {
        try await repository.read { store in
            try await store.evidence(of: try await Self.require(key, in: store).id)
        }
    }

    public func custody(_ key: IncidentKey, evidence id: Int64) async throws -> [CustodyEntry] {
        try await repository.read { store in
            let incident = try await Self.require(key, in: store)
            _ = try await Self.requireEvidence(id, of: incident, in: store)
            return try await store.custody(of: id)
        }
    }

    static func require(_ key: IncidentKey, in store: any IncidentStore, forUpdate: Bool = false) async throws
        -> Incident
    {
        let found = forUpdate ? try await store.incidentForUpdate(key: key) : try await store.incident(key: key)
        guard let found else { throw CoreReconError.notFound(kind: "incident", id: key.description) }
        return found
    }

    static func requireEvidence(_ id: Int64, of incident: Incident, in store: any IncidentStore) async throws
        -> IncidentEvidence
    {
        guard let item = try await store.evidence(of: incident.id).first(where: { $0.id == id }) else {
            throw CoreReconError.notFound(kind: "evidence", id: "\(id) of \(incident.key)")
        }
        return item
    }

    // MARK: - Creating and escalating

    /// What a new incident starts with.
    public struct NewIncident: Sendable {
        public var title: String
        public var severity: Severity?
        public var type: String?
        public var description: String?
        public var assignee: String?

        public init(
            title: String, severity: Severity? = nil, type: String? = nil, description: String? = nil,
            assignee: String? = nil
        ) {
            self.title = title
            self.severity = severity
            self.type = type
            self.description = description
            self.assignee = assignee
        }
    }

    /// Types `create` accepts: CoreRecon's and those of the configured templates.
    public func knownTypes() throws(CoreReconError) -> [String] {
        let templates = try loadTemplates()
        return (IncidentTypes.known + templates.templates.keys.filter { !IncidentTypes.known.contains($0) }.sorted())
    }

    func loadTemplates() throws(CoreReconError) -> TaskTemplates {
        guard let path = settings.taskTemplatesPath else { return TaskTemplates() }
        return try TaskTemplates.load(path: path)
    }

    /// Creates an incident, escalating `alerts` into it. Without `severity` it takes the highest of the alerts'
    /// (or medium); without an assignee it is assigned by the configured policy; the type's task template is
    /// loaded.
    public func create(_ new: NewIncident, alerts alertIDs: [Alert.ID] = [], by actor: String) async throws
        -> Incident
    {
        let title = new.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else {
            throw CoreReconError.invalidInput(location: "--title", reason: "the title is empty.")
        }
        if let type = new.type, !(try knownTypes()).contains(type) {
            throw CoreReconError.invalidInput(
                location: "--type",
                reason: "unknown incident type '\(type)'. Use one of \(try knownTypes().joined(separator: ", ")).")
        }
        let template = try new.type.flatMap { try loadTemplates().templates[$0] }
        let at = now()
        let incident = try await repository.write { store in
            let escalations = try await Self.escalations(alertIDs, into: nil, in: store)
            let severity =
                new.severity ?? escalations.map(\.alert.severity).filter { $0 != .other }.max() ?? .medium
            let number = try await store.nextNumber(year: Self.year(of: at))
            var assignee = new.assignee
            var autoAssigned = false
            if assignee == nil && settings.assignment != .none {
                assignee = settings.chooseAssignee(
                    lastAutoAssignee: try await store.lastAutoAssignee(),
                    openCounts: try await store.openIncidentCounts(assignees: settings.analysts))
                autoAssigned = assignee != nil
            }
            let incident = try await store.insert(
                Incident(
                    id: 0, key: IncidentKey(year: Self.year(of: at), number: number), title: title,
                    description: new.description, type: new.type, severity: severity, assignee: assignee,
                    createdBy: actor, createdAt: at, updatedAt: at),
                autoAssigned: autoAssigned)
            var log = ChangeLog(actor: actor, at: at)
            log.record(
                "create", field: nil, new: incident.key.description,
                timeline: "Incident created: \(title) (\(severity.name))", category: "created")
            if let assignee {
                log.record(
                    autoAssigned ? "auto_assign" : "assign", field: "assignee", new: assignee,
                    timeline: autoAssigned
                        ? "Assigned to \(assignee) (\(settings.assignment.rawValue))" : "Assigned to \(assignee)",
                    category: "assignment")
            }
            if let template {
                for (index, task) in template.tasks.enumerated() {
                    _ = try await store.add(
                        task: IncidentTask(
                            number: index + 1, title: task.title, description: task.description, phase: task.phase,
                            origin: "template:\(template.type)", createdAt: at, updatedAt: at),
                        to: incident.id)
                }
                log.record(
                    "task.template", field: nil, new: template.type,
                    timeline: "\(template.tasks.count) tasks from the \(template.name) playbook", category: "task")
            }
            let escalated = try await Self.takeOver(escalations, into: incident, in: store, log: &log)
            log.events += escalated.map { .alert(AlertEvent(kind: .updated, alert: $0)) }
            log.events.append(.incident(IncidentEvent(kind: .created, incident: incident)))
            try await log.write(to: incident, in: store)
            return incident
        }
        changes.changed()
        logger.info("Incident created", metadata: ["incident": "\(incident.key)", "actor": "\(actor)"])
        return incident
    }

    /// Escalates alerts into incident `key`, or into a new incident titled after the first alert.
    public func escalate(
        _ alertIDs: [Alert.ID], to key: IncidentKey?, title: String? = nil, severity: Severity? = nil,
        by actor: String
    ) async throws -> Incident {
        guard !alertIDs.isEmpty else {
            throw CoreReconError.invalidInput(location: "alert id", reason: "name at least one alert to escalate.")
        }
        guard let key else {
            let first = try await repository.read { store in try await store.alertForEscalation(alertIDs[0]) }
            guard let first else { throw CoreReconError.notFound(kind: "alert", id: "\(alertIDs[0])") }
            return try await create(
                NewIncident(title: title ?? first.0.title, severity: severity), alerts: alertIDs, by: actor)
        }
        let at = now()
        let incident = try await repository.write { store in
            var incident = try await Self.require(key, in: store, forUpdate: true)
            guard incident.state.isOpen else {
                throw CoreReconError.conflict("\(incident.key) is closed; reopen it before escalating alerts into it.")
            }
            let escalations = try await Self.escalations(alertIDs, into: incident.id, in: store)
            var log = ChangeLog(actor: actor, at: at)
            log.operation = "escalate"
            let escalated = try await Self.takeOver(escalations, into: incident, in: store, log: &log)
            // An incident is as severe as its worst alert.
            if let worst = escalations.map(\.alert.severity).filter({ $0 != .other }).max(), worst > incident.severity {
                let before = incident
                incident.severity = worst
                incident.updatedAt = at
                log.diff(before, incident)
                try await store.save(incident)
            }
            log.events += escalated.map { .alert(AlertEvent(kind: .updated, alert: $0)) }
            log.events.append(.incident(IncidentEvent(kind: .updated, incident: incident)))
            try await log.write(to: incident, in: store)
            return incident
        }
        changes.changed()
        return incident
    }

    struct Escalation {
        var alert: Alert
        var observables: [Observable]
        var techniques: [(id: String, tactic: String?)]
    }

    /// Reads the alerts to escalate, refusing closed ones and ones already in another incident.
    static func escalations(_ ids: [Alert.ID], into incident: Incident.ID?, in store: any IncidentStore) async throws
        -> [Escalation]
    {
        var result: [Escalation] = []
        for id in ids where !result.contains(where: { $0.alert.id == id }) {
            guard let (alert, observables, techniques) = try await store.alertForEscalation(id) else {
                throw CoreReconError.notFound(kind: "alert", id: "\(id)")
            }
            if alert.status == .closed {
                throw CoreReconError.conflict(
                    "alert \(id) is closed; reopen it (`corerecon alert reopen \(id)`) before escalating it.")
            }
            result.append(Escalation(alert: alert, observables: observables, techniques: techniques))
        }
        return result
    }

    /// Links the alerts to `incident`, marks them escalated, and copies their observables and techniques.
    static func takeOver(
        _ escalations: [Escalation], into incident: Incident, in store: any IncidentStore, log: inout ChangeLog
    ) async throws -> [Alert] {
        var changed: [Alert] = []
        for escalation in escalations {
            var alert = escalation.alert
            guard try await store.link(alert: alert.id, to: incident.id, by: log.actor, at: log.at) else { continue }
            if alert.status != .escalated {
                try await store.setAlertStatus(
                    alert.id, from: alert.status, to: .escalated, closeReason: nil, actor: log.actor, at: log.at,
                    message: "escalated to \(incident.key)")
                alert.status = .escalated
                alert.updatedAt = log.at
            }
            changed.append(alert)
            log.record(
                "alert.link", field: "alerts", new: "\(alert.id)",
                timeline: "Alert \(alert.id) escalated: \(alert.title)", category: "alert", at: alert.firstSeen)
            for observable in escalation.observables {
                guard let type = ObservableType.from(alertObservable: observable) else { continue }
                let value = type.canonical(observable.value)
                _ = try await store.add(
                    observable: IncidentObservable(
                        type: type, value: value, origin: "alert:\(alert.id)", addedBy: log.actor, addedAt: log.at),
                    to: incident.id)
            }
            for technique in escalation.techniques {
                _ = try await store.add(
                    technique: IncidentTechnique(
                        techniqueID: technique.id,
                        tactic: technique.tactic.map { ATTACKCatalog.embedded.tactic($0)?.shortName ?? $0 },
                        origin: "alert:\(alert.id)"),
                    to: incident.id, at: log.at)
            }
        }
        return changed
    }

    // MARK: - Lifecycle

    /// Moves the incident to `state`; an invalid move fails naming the allowed ones.
    @discardableResult
    public func move(_ key: IncidentKey, to state: IncidentState, message: String? = nil, by actor: String)
        async throws -> Incident
    {
        // Closing needs a resolution and a summary: refused here like any other refused move (a conflict).
        if state == .closed { throw IncidentState.closingByMoveRefusal(key) }
        return try await modify(key, by: actor) { incident, _, log in
            log.operation = "move"
            try Self.transition(&incident, to: state, at: log.at)
            if let message { log.note(message, category: "state") }
        }
    }

    static func transition(_ incident: inout Incident, to state: IncidentState, at: Date) throws {
        guard incident.state.allowedNext.contains(state) else {
            let allowed = incident.state.allowedNext.map(\.rawValue)
            let hint = incident.state == .closed ? " (reopen it with `incident reopen`)" : ""
            throw CoreReconError.conflict(
                "\(incident.key) is \(incident.state.rawValue) and cannot become \(state.rawValue)\(hint); from "
                    + "\(incident.state.rawValue) it can become: \((allowed + (incident.state.isOpen ? ["closed (incident close)"] : [])).joined(separator: ", "))."
            )
        }
        incident.state = state
        incident.updatedAt = at
        // First times, for the metrics: leaving `new` acknowledges; reaching investigating or beyond counts as
        // investigation begun.
        if state != .new && incident.acknowledgedAt == nil { incident.acknowledgedAt = at }
        if state >= .investigating && state != .closed && incident.investigatingAt == nil {
            incident.investigatingAt = at
        }
        if state == .contained && incident.containedAt == nil { incident.containedAt = at }
        if state == .eradicated && incident.eradicatedAt == nil { incident.eradicatedAt = at }
        if state == .recovered && incident.recoveredAt == nil { incident.recoveredAt = at }
    }

    @discardableResult
    public func assign(_ key: IncidentKey, to assignee: String, by actor: String) async throws -> Incident {
        let name = assignee.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw CoreReconError.invalidInput(location: "--to", reason: "the user is empty.") }
        return try await modify(key, by: actor) { incident, _, log in
            log.operation = "assign"
            guard incident.state.isOpen else {
                throw CoreReconError.conflict("\(incident.key) is closed; reopen it before assigning it.")
            }
            incident.assignee = name == "none" ? nil : name
        }
    }

    /// Changes title, severity, type or description; nil leaves a field as it is.
    @discardableResult
    public func update(
        _ key: IncidentKey, title: String?, severity: Severity?, type: String?, description: String?, by actor: String
    ) async throws -> Incident {
        if let type, !(try knownTypes()).contains(type) {
            throw CoreReconError.invalidInput(
                location: "--type",
                reason: "unknown incident type '\(type)'. Use one of \(try knownTypes().joined(separator: ", ")).")
        }
        return try await modify(key, by: actor) { incident, _, _ in
            if let title {
                guard !title.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw CoreReconError.invalidInput(location: "--title", reason: "the title is empty.")
                }
                incident.title = title
            }
            if let severity { incident.severity = severity }
            if let type { incident.type = type }
            if let description { incident.description = description }
        }
    }

    /// Closes the incident with a resolution and summary, closing its escalated alerts with the matching reason.
    @discardableResult
    public func close(
        _ key: IncidentKey, resolution: IncidentResolution, summary: String, lessons: String?, by actor: String
    ) async throws -> Incident {
        guard !summary.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw CoreReconError.invalidInput(location: "--summary", reason: "say in a sentence what happened.")
        }
        return try await modify(key, by: actor) { incident, store, log in
            log.operation = "close"
            guard incident.state.isOpen else {
                throw CoreReconError.conflict("\(incident.key) is already closed.")
            }
            incident.state = .closed
            incident.resolution = resolution
            incident.summary = summary
            if let lessons { incident.lessons = lessons }
            incident.closedAt = log.at
            if incident.acknowledgedAt == nil { incident.acknowledgedAt = log.at }
            for var alert in try await store.alerts(of: incident.id) where alert.status == .escalated {
                try await store.setAlertStatus(
                    alert.id, from: .escalated, to: .closed, closeReason: resolution.alertCloseReason,
                    actor: log.actor, at: log.at, message: "\(incident.key) closed as \(resolution.rawValue)")
                alert.status = .closed
                alert.closeReason = resolution.alertCloseReason
                alert.updatedAt = log.at
                log.events.append(.alert(AlertEvent(kind: .updated, alert: alert)))
            }
        }
    }

    /// Reopens a closed incident (back to investigating); its alerts go back to escalated.
    @discardableResult
    public func reopen(_ key: IncidentKey, message: String?, by actor: String) async throws -> Incident {
        return try await modify(key, by: actor) { incident, store, log in
            log.operation = "reopen"
            guard incident.state == .closed else {
                throw CoreReconError.conflict("\(incident.key) is \(incident.state.rawValue), not closed.")
            }
            try Self.transition(&incident, to: .investigating, at: log.at)
            incident.resolution = nil
            incident.closedAt = nil
            if let message { log.note(message, category: "state") }
            for var alert in try await store.alerts(of: incident.id) where alert.status == .closed {
                try await store.setAlertStatus(
                    alert.id, from: .closed, to: .escalated, closeReason: nil, actor: log.actor, at: log.at,
                    message: "\(incident.key) reopened")
                alert.status = .escalated
                alert.closeReason = nil
                alert.updatedAt = log.at
                log.events.append(.alert(AlertEvent(kind: .updated, alert: alert)))
            }
        }
    }

    // MARK: - Observables, techniques, notes

    /// Adds an observable, detecting its type when none is given. When the incident already has it, the IOC
    /// flag, TLP and tags given are merged into it. Returns the observable and whether it is new.
    public func addObservable(
        _ key: IncidentKey, value: String, type: ObservableType?, isIOC: Bool, tlp: TLP?, tags: [String],
        by actor: String
    ) async throws -> (observable: IncidentObservable, isNew: Bool) {
        // Analysts paste defanged values from reports (hxxp, [.]): they are refanged as indicators are.
        let value = Refang.refang(value)
        let type = type ?? ObservableType.detect(value)
        if let problem = type.problem(with: value) {
            throw CoreReconError.invalidInput(location: "observable", reason: "\(problem). Give the right --type.")
        }
        let canonical = type.canonical(value)
        let tags = tags.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var result: (IncidentObservable, Bool)?
        try await modify(key, by: actor) { incident, store, log in
            if let added = try await store.add(
                observable: IncidentObservable(
                    type: type, value: canonical, isIOC: isIOC, tlp: tlp, tags: tags, addedBy: actor, addedAt: log.at),
                to: incident.id)
            {
                log.record(
                    "observable.add", field: "observables", new: "\(type.rawValue):\(canonical)",
                    timeline: "Observable added: \(type.rawValue) \(canonical)\(isIOC ? " (IOC)" : "")",
                    category: "observable")
                result = (added, true)
                return
            }
            guard
                var existing = try await store.observables(of: incident.id).first(where: {
                    $0.type == type && $0.value == canonical
                })
            else { return }
            let before = existing
            existing.isIOC = existing.isIOC || isIOC
            existing.tlp = tlp ?? existing.tlp
            existing.tags += tags.filter { !existing.tags.contains($0) }
            if existing != before {
                try await store.update(observable: existing)
                func describe(_ item: IncidentObservable) -> String {
                    "ioc=\(item.isIOC) tlp=\(item.tlp?.rawValue ?? "-") tags=\(item.tags.joined(separator: ","))"
                }
                log.record(
                    "observable.update", field: "\(type.rawValue):\(canonical)", old: describe(before),
                    new: describe(existing),
                    timeline: existing.isIOC && !before.isIOC
                        ? "Observable marked as IOC: \(type.rawValue) \(canonical)" : nil,
                    category: "observable")
            }
            result = (existing, false)
        }
        guard let result else { throw CoreReconError.failed("the observable could not be stored.") }
        return result
    }

    /// Removes an observable; fails when the incident does not have it.
    public func removeObservable(_ key: IncidentKey, value: String, type: ObservableType?, by actor: String)
        async throws
    {
        let type = type ?? ObservableType.detect(value)
        let canonical = type.canonical(value)
        try await modify(key, by: actor) { incident, store, log in
            guard try await store.removeObservable(type: type, value: canonical, from: incident.id) else {
                throw CoreReconError.notFound(
                    kind: "observable", id: "\(type.rawValue) \(canonical) on \(incident.key)")
            }
            log.record(
                "observable.remove", field: "observables", old: "\(type.rawValue):\(canonical)",
                timeline: "Observable removed: \(type.rawValue) \(canonical)", category: "observable")
        }
    }

    /// Maps the incident to an ATT&CK technique, validated against the catalog. False when already mapped.
    @discardableResult
    public func map(_ key: IncidentKey, technique id: String, tactic: String?, by actor: String) async throws -> Bool {
        let technique = try await validateTechnique(id)
        if let tactic, !technique.tactics.contains(tactic) {
            throw CoreReconError.invalidInput(
                location: "--tactic",
                reason: "\(technique.id) belongs to \(technique.tactics.joined(separator: ", ")), not \(tactic).")
        }
        var added = false
        try await modify(key, by: actor) { incident, store, log in
            added = try await store.add(
                technique: IncidentTechnique(
                    techniqueID: technique.id, tactic: tactic ?? technique.tactics.first, origin: "manual"),
                to: incident.id, at: log.at)
            if added {
                log.record(
                    "map", field: "techniques", new: technique.id,
                    timeline: "Mapped to ATT&CK \(technique.id) \(technique.name)", category: "attack")
            }
        }
        return added
    }

    /// Adds a note to the timeline at the time it happened.
    public func addNote(_ key: IncidentKey, at: Date?, category: String?, message: String, by actor: String)
        async throws
    {
        guard !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw CoreReconError.invalidInput(location: "-m", reason: "the note is empty.")
        }
        try await modify(key, by: actor) { _, _, log in
            log.note(message, category: category, at: at)
        }
    }

    // MARK: - Tasks

    public func addTask(
        _ key: IncidentKey, title: String, description: String?, assignee: String?, by actor: String
    ) async throws -> IncidentTask {
        guard !title.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CoreReconError.invalidInput(location: "title", reason: "the task title is empty.")
        }
        var task: IncidentTask?
        try await modify(key, by: actor) { incident, store, log in
            let added = try await store.add(
                task: IncidentTask(
                    number: 0, title: title, description: description, assignee: assignee, createdAt: log.at,
                    updatedAt: log.at),
                to: incident.id)
            log.record(
                "task.add", field: "tasks", new: "\(added.number) \(title)",
                timeline: "Task \(added.number) added: \(title)", category: "task")
            task = added
        }
        return try stored(task)
    }

    /// Moves task `number` to `state`; an invalid move fails naming the allowed ones.
    public func setTask(_ key: IncidentKey, number: Int, to state: TaskState, by actor: String) async throws
        -> IncidentTask
    {
        var result: IncidentTask?
        try await modify(key, by: actor) { incident, store, log in
            guard var task = try await store.tasks(of: incident.id).first(where: { $0.number == number }) else {
                throw CoreReconError.notFound(kind: "task", id: "\(number) of \(incident.key)")
            }
            guard task.state.allowedNext.contains(state) else {
                throw CoreReconError.conflict(
                    "task \(number) of \(incident.key) is \(task.state.rawValue) and cannot become \(state.rawValue); "
                        + "it can become: \(task.state.allowedNext.map(\.rawValue).joined(separator: ", ")).")
            }
            let old = task.state
            task.state = state
            task.updatedAt = log.at
            task.completedAt = state == .done ? log.at : nil
            try await store.save(task: task, of: incident.id)
            log.record(
                "task.\(state.rawValue)", field: "task \(number)", old: old.rawValue, new: state.rawValue,
                timeline: "Task \(number) \(state.rawValue.replacingOccurrences(of: "_", with: " ")): \(task.title)",
                category: "task")
            result = task
        }
        return try stored(result)
    }

    // MARK: - Evidence

    /// Stores `content` as evidence, content-addressed by SHA-256, with the first link of its chain of custody.
    public func addEvidence(
        _ key: IncidentKey, content: Data, fileName: String, description: String?, by actor: String
    ) async throws -> IncidentEvidence {
        guard content.count <= Self.maximumEvidenceSize else {
            throw CoreReconError.invalidInput(
                location: fileName,
                reason: "\(content.count) bytes is over the \(Self.maximumEvidenceSize / 1_048_576) MB evidence limit; "
                    + "keep large captures in your evidence store and add a manifest with their hashes.")
        }
        let hash = Self.sha256(content)
        var stored: IncidentEvidence?
        try await modify(key, by: actor) { incident, store, log in
            if let existing = try await store.evidence(of: incident.id).first(where: { $0.sha256 == hash }) {
                throw CoreReconError.conflict(
                    "\(incident.key) already holds this content as evidence \(existing.id) (\(existing.fileName)).")
            }
            try await store.storeBlob(sha256: hash, content: content)
            let item = try await store.add(
                evidence: IncidentEvidence(
                    id: 0, sha256: hash, size: Int64(content.count), fileName: fileName, description: description,
                    addedBy: actor, addedAt: log.at),
                to: incident.id)
            try await store.add(
                custody: CustodyEntry(action: "added", actor: actor, at: log.at, detail: "sha256 \(hash)"),
                to: item.id)
            log.record(
                "evidence.add", field: "evidence", new: "\(item.id) \(fileName) sha256:\(hash)",
                timeline: "Evidence \(item.id) added: \(fileName) (\(content.count) bytes, sha256 \(hash.prefix(12))…)",
                category: "evidence")
            stored = item
        }
        return try self.stored(stored)
    }

    /// The outcome of re-hashing stored evidence.
    public struct Verification: Sendable, Equatable, Codable {
        public var evidence: IncidentEvidence
        /// The hash of the content as stored now; nil when the content is gone.
        public var actualSHA256: String?
        public var isIntact: Bool { actualSHA256 == evidence.sha256 }

        public init(evidence: IncidentEvidence, actualSHA256: String?) {
            self.evidence = evidence
            self.actualSHA256 = actualSHA256
        }

        enum CodingKeys: String, CodingKey { case evidence, actualSHA256, intact }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            evidence = try container.decode(IncidentEvidence.self, forKey: .evidence)
            actualSHA256 = try container.decodeIfPresent(String.self, forKey: .actualSHA256)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(evidence, forKey: .evidence)
            try container.encode(actualSHA256, forKey: .actualSHA256)
            try container.encode(isIntact, forKey: .intact)
        }
    }

    /// Re-hashes the stored content of evidence `id` and records the check in its chain of custody.
    public func verifyEvidence(_ key: IncidentKey, evidence id: Int64, by actor: String) async throws -> Verification {
        let at = now()
        return try await repository.write { store in
            let incident = try await Self.require(key, in: store)
            let item = try await Self.requireEvidence(id, of: incident, in: store)
            let actual = try await store.evidenceContent(sha256: item.sha256).map(Self.sha256)
            let result = Verification(evidence: item, actualSHA256: actual)
            try await store.add(
                custody: CustodyEntry(
                    action: result.isIntact ? "verified" : "verification_failed", actor: actor, at: at,
                    detail: actual.map { "sha256 \($0)" } ?? "content missing"),
                to: id)
            try await store.append(audit: [
                AuditEvent(
                    at: at, actor: actor, action: "incident.evidence.verify", target: "incident:\(incident.key)",
                    summary: AuditSummary(after: [
                        "evidence": "\(id)", "result": result.isIntact ? "intact" : "altered",
                    ]))
            ])
            return result
        }
    }

    /// The content of evidence `id`, checked against its hash, with the export recorded in its chain of custody.
    public func exportEvidence(_ key: IncidentKey, evidence id: Int64, destination: String, by actor: String)
        async throws -> (IncidentEvidence, Data)
    {
        let at = now()
        return try await repository.write { store in
            let incident = try await Self.require(key, in: store)
            let item = try await Self.requireEvidence(id, of: incident, in: store)
            guard let content = try await store.evidenceContent(sha256: item.sha256) else {
                throw CoreReconError.failed("the content of evidence \(id) is missing from the database.")
            }
            let actual = Self.sha256(content)
            guard actual == item.sha256 else {
                throw CoreReconError.failed(
                    "evidence \(id) does not match its recorded hash (recorded \(item.sha256), now \(actual)); "
                        + "it was altered in the database. Nothing was exported.")
            }
            try await store.add(
                custody: CustodyEntry(action: "exported", actor: actor, at: at, detail: destination), to: id)
            try await store.append(audit: [
                AuditEvent(
                    at: at, actor: actor, action: "incident.evidence.export", target: "incident:\(incident.key)",
                    summary: AuditSummary(after: ["evidence": "\(id)", "destination": destination]))
            ])
            return (item, content)
        }
    }

    public static func sha256(_ data: Data) -> String {
        Hex.encode(SHA256.hash(data: data))
    }

    // MARK: - Changing, with history

    /// The value a ``modify(_:by:_:)`` body set; it always sets one when the transaction commits.
    private func stored<Value>(_ value: Value?) throws -> Value {
        guard let value else { throw CoreReconError.failed("the change was not stored; try again.") }
        return value
    }

    /// Reads incident `key` for update, lets `body` change it and add entries, then writes the incident, the
    /// field-level history of what changed, and timeline entries, in one transaction.
    @discardableResult
    func modify(
        _ key: IncidentKey, by actor: String,
        _ body: (inout Incident, any IncidentStore, inout ChangeLog) async throws -> Void
    ) async throws -> Incident {
        let at = now()
        let (incident, changed) = try await repository.write { store in
            var incident = try await Self.require(key, in: store, forUpdate: true)
            let before = incident
            var log = ChangeLog(actor: actor, at: at)
            try await body(&incident, store, &log)
            log.diff(before, incident)
            if incident != before || !log.history.isEmpty {
                incident.updatedAt = at
                try await store.save(incident)
                log.events.append(.incident(IncidentEvent(kind: .updated, incident: incident)))
            }
            try await log.write(to: incident, in: store)
            return (incident, !log.events.isEmpty)
        }
        if changed { changes.changed() }
        return incident
    }
}

/// The history and timeline entries one change writes.
struct ChangeLog {
    let actor: String
    let at: Date
    var history: [IncidentHistoryEntry] = []
    var timeline: [TimelineEntry] = []
    /// What the audit log calls the change (`close`, `escalate`); else the action of its first history entry.
    var operation: String?
    /// The stream events of the change, written last, in the same transaction.
    var events: [ChangeEvent] = []

    init(actor: String, at: Date) {
        self.actor = actor
        self.at = at
    }

    mutating func record(
        _ action: String, field: String?, old: String? = nil, new: String? = nil, timeline message: String?,
        category: String?, at eventTime: Date? = nil
    ) {
        history.append(
            IncidentHistoryEntry(at: at, actor: actor, action: action, field: field, oldValue: old, newValue: new))
        if let message {
            timeline.append(
                TimelineEntry(
                    at: eventTime ?? at, category: category, message: message, actor: actor, kind: "change",
                    recordedAt: at))
        }
    }

    mutating func note(_ message: String, category: String?, at eventTime: Date? = nil) {
        timeline.append(
            TimelineEntry(
                at: eventTime ?? at, category: category, message: message, actor: actor, kind: "note", recordedAt: at))
        history.append(IncidentHistoryEntry(at: at, actor: actor, action: "note", field: nil, newValue: message))
    }

    /// History for every tracked field that differs, and timeline entries for the ones investigators follow.
    mutating func diff(_ before: Incident, _ after: Incident) {
        let old = Dictionary(uniqueKeysWithValues: before.trackedFields.map { ($0.0, $0.1) })
        for (field, value) in after.trackedFields where old[field] ?? nil != value {
            let previous = old[field] ?? nil
            var message: String?
            switch field {
            case "state": message = "State: \(previous ?? "-") → \(value ?? "-")"
            case "assignee": message = value.map { "Assigned to \($0)" } ?? "Unassigned"
            case "severity": message = "Severity: \(previous ?? "-") → \(value ?? "-")"
            case "resolution": message = value.map { "Resolved as \($0)" }
            case "title": message = "Renamed: \(value ?? "")"
            default: message = nil
            }
            let category: String? =
                switch field {
                case "state", "resolution": "state"
                case "assignee": "assignment"
                default: "update"
                }
            record("update", field: field, old: previous, new: value, timeline: message, category: category)
        }
    }

    /// Writes the history, the timeline entries and the audit row of the change.
    func write(to incident: Incident, in store: any IncidentStore) async throws {
        if !history.isEmpty { try await store.add(history: history, to: incident.id) }
        for entry in timeline { try await store.add(timeline: entry, to: incident.id) }
        if let event = auditEvent(for: incident) { try await store.append(audit: [event]) }
        try await store.append(events: events, at: at)
    }

    /// The audit row: `incident.<operation>` (else the first history action) with every field's before and after.
    func auditEvent(for incident: Incident) -> AuditEvent? {
        guard let first = history.first else { return nil }
        var summary = AuditSummary()
        for entry in history {
            summary.record(entry.field ?? entry.action, old: entry.oldValue, new: entry.newValue)
        }
        return AuditEvent(
            at: at, actor: actor, action: "incident.\(operation ?? first.action)", target: "incident:\(incident.key)",
            summary: summary)
    }
}
