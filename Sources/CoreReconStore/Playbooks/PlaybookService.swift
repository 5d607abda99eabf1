import CoreRecon
import Foundation
import Logging
import SQLKit

/// Runs response playbooks: turns events (and schedules, and people) into runs, exactly once per playbook and
/// event, and carries runs out step by step, durably.
///
/// The runner's cursor over the events table is a row of `playbook_state`, read for update: two runners (two
/// servers, or a server and a cron `playbook run-pending`) never both take an event, and an event written while
/// no runner was up is taken when one starts (within the events' retention, a day). A run is claimed with a
/// lease; a runner that dies leaves its run to another once the lease lapses, which resumes after the last step
/// that finished.
public struct PlaybookService: Sendable {
    let services: AppServices
    public let library: PlaybookLibrary
    /// Who holds the leases this runner takes: host, process and a random part.
    let owner: String
    let environment: [String: String]

    /// How long a claimed run stays this runner's without a heartbeat (`playbooks.lease`).
    var lease: TimeInterval { services.config.playbooksLease.seconds }
    static let eventBatch = 500
    /// The runner's row in `playbook_state`.
    static let cursorName = "events"
    /// More runs than this for one target in ten minutes, and the playbook is looping on its own changes.
    static let loopLimit = 20

    public init(services: AppServices, library: PlaybookLibrary, environment: [String: String]) {
        self.services = services
        self.library = library
        self.environment = environment
        owner =
            "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):"
            + UUID().uuidString.prefix(8)
    }

    var database: Database { services.database }
    var backend: DatabaseBackend { services.database.backend }
    var logger: Logger { services.logger }
    func now() -> Date { services.now() }

    // MARK: - Switches

    /// Playbooks switched off with `playbook disable`; the others are on.
    public func disabled() async throws -> Set<String> {
        try await database.read { sql in
            Set(
                try await sql.raw("SELECT playbook FROM playbook_switches WHERE enabled = 0").all().map {
                    try $0.decode(column: "playbook", as: String.self)
                })
        }
    }

    public func setEnabled(_ name: String, _ enabled: Bool, by actor: String) async throws {
        guard library.playbooks[name] != nil else { throw notLoadedError(name) }
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO playbook_switches (playbook, enabled, changed_at, changed_by)
                VALUES (\(bind: name), \(bind: enabled ? 1 : 0), \(bind: now().milliseconds), \(bind: actor))
                ON CONFLICT (playbook) DO UPDATE SET enabled = excluded.enabled, changed_at = excluded.changed_at,
                    changed_by = excluded.changed_by
                """
            ).run()
            try await SQLAuditLog.append(
                [
                    AuditEvent(
                        at: now(), actor: actor, action: enabled ? "playbook.enable" : "playbook.disable",
                        target: "playbook:\(name)", summary: AuditSummary(after: ["enabled": "\(enabled)"]))
                ], on: sql, backend: backend)
        }
    }

    /// The error for a playbook that is not loaded, naming those that are and the files left out.
    public func notLoadedError(_ name: String) -> CoreReconError {
        PlaybookCatalog.notLoadedError(name, loaded: library.sorted.map(\.name), issues: library.issues)
    }

    public func summaries() async throws -> [PlaybookSummary] {
        let off = try await disabled()
        let last = try await database.read { sql in
            var runs: [String: PlaybookRun] = [:]
            for row in try await sql.raw(
                """
                SELECT \(unsafeRaw: PlaybookRun.columns) FROM playbook_runs
                WHERE id IN (SELECT MAX(id) FROM playbook_runs WHERE status <> 'joined' GROUP BY playbook)
                """
            ).all() {
                let run = try PlaybookRun(row: row)
                runs[run.playbook] = run
            }
            return runs
        }
        return library.sorted.map {
            PlaybookSummary(playbook: $0, enabled: !off.contains($0.name), lastRun: last[$0.name])
        }
    }

    // MARK: - From events to runs

    /// Turns events written since the last call into queued runs of the enabled playbooks whose trigger and
    /// condition match; returns how many runs were queued.
    @discardableResult
    public func enqueueEvents() async throws -> Int {
        guard reactsToEvents else {
            try await passEvents()
            return 0
        }
        // A read first: with no new event, a pass takes no write lock (on SQLite it would queue behind ingest).
        guard try await eventsAhead() else { return 0 }
        var queued = 0
        while true {
            let (count, more) = try await enqueueBatch()
            queued += count
            if !more { return queued }
        }
    }

    /// Whether a loaded playbook has an event trigger; without one, events are passed over unread.
    public var reactsToEvents: Bool {
        library.playbooks.values.contains { playbook in
            playbook.triggers.contains { Playbook.eventTriggers.contains($0.event) }
        }
    }

    /// With no playbook that reacts to events, moves the cursor to the newest event without reading the events,
    /// so that a playbook loaded later starts from then rather than from the day of events the table keeps. A
    /// read first: with no new event, no write lock.
    private func passEvents() async throws {
        guard try await eventsAhead() else { return }
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO playbook_state (name, cursor)
                VALUES ('events', (SELECT COALESCE(MAX(id), 0) FROM events)) ON CONFLICT (name) DO NOTHING
                """
            ).run()
            try await sql.raw(
                """
                UPDATE playbook_state SET cursor = (SELECT COALESCE(MAX(id), 0) FROM events)
                WHERE name = 'events' AND cursor < (SELECT COALESCE(MAX(id), 0) FROM events)
                """
            ).run()
        }
    }

    /// Whether the events table holds an event after the cursor (or the cursor has no row yet).
    private func eventsAhead() async throws -> Bool {
        try await database.read { sql in
            let cursor = try await sql.raw("SELECT cursor FROM playbook_state WHERE name = 'events'").first(
                decodingColumn: "cursor", as: Int64.self)
            let newest =
                try await sql.raw("SELECT MAX(id) AS newest FROM events").first(
                    decodingColumn: "newest", as: Int64?.self) ?? nil
            return cursor == nil || (newest ?? 0) > (cursor ?? 0)
        }
    }

    /// A run an event would start, decided before the write transaction.
    struct Candidate {
        var playbook: Playbook
        var event: StoredEvent
        var context: [JSONMember]
        var status: PlaybookRun.Status
        var error: String?
        var concurrencyKey: String?
        var target: (type: String, id: String)?
    }

    /// One batch of events: read them and evaluate every trigger's condition on a read connection, then, in a
    /// short write transaction that holds the cursor, record the runs and move the cursor, unless another runner
    /// moved it meanwhile (then the batch is read again from there). The write lock is never held while
    /// conditions are evaluated, so ingest beside the runner does not wait on it.
    private func enqueueBatch() async throws -> (Int, Bool) {
        let (cursor, events, candidates) = try await database.read { sql in
            let cursor =
                try await sql.raw("SELECT cursor FROM playbook_state WHERE name = 'events'").first(
                    decodingColumn: "cursor", as: Int64.self)
            guard let cursor else { return (Int64?.none, [StoredEvent](), [Candidate]()) }
            let events = try await EventLog.events(after: cursor, limit: Self.eventBatch, on: sql)
            let off = Set(
                try await sql.raw("SELECT playbook FROM playbook_switches WHERE enabled = 0").all().map {
                    try $0.decode(column: "playbook", as: String.self)
                })
            let active = library.sorted.filter { !off.contains($0.name) }
            var candidates: [Candidate] = []
            for event in events {
                let matching = active.filter { $0.trigger(for: event.type) != nil }
                guard !matching.isEmpty else { continue }
                // An alert's observables cost a read and a parse of its OCSF record: they are loaded only for
                // a condition that reads them, or a run whose steps will.
                let inputs = JSONMember("inputs", .object([]))
                let context =
                    try await Self.context(of: event, needsObservables: false, database: database, on: sql) + [inputs]
                var full: [JSONMember]?
                for playbook in matching {
                    let misses = PlaybookExpression.Misses()
                    var candidate = evaluate(playbook, event: event, context: context, misses: misses)
                    if event.channel == "alerts",
                        misses.contains("alert.observables")
                            || (candidate != nil && playbook.reads("alert", "observables"))
                    {
                        if full == nil {
                            full =
                                try await Self.context(of: event, needsObservables: true, database: database, on: sql)
                                + [inputs]
                        }
                        candidate = evaluate(playbook, event: event, context: full ?? context, misses: nil)
                    }
                    if let candidate { candidates.append(candidate) }
                }
            }
            return (Optional(cursor), events, candidates)
        }
        guard let last = events.last else {
            if cursor == nil {
                // A database from before the cursor's row: start it at the newest event.
                try await database.transaction { sql in
                    try await sql.raw(
                        """
                        INSERT INTO playbook_state (name, cursor)
                        VALUES ('events', (SELECT COALESCE(MAX(id), 0) FROM events)) ON CONFLICT (name) DO NOTHING
                        """
                    ).run()
                }
            }
            return (0, false)
        }
        return try await database.transaction { sql in
            let current = try await sql.raw(
                "SELECT cursor FROM playbook_state WHERE name = 'events'\(unsafeRaw: backend.lockForUpdate)"
            ).first(decodingColumn: "cursor", as: Int64.self)
            // Another runner took these events: read on from where it left the cursor.
            guard current == cursor else { return (0, true) }
            var queued = 0
            for candidate in candidates where try await record(candidate, on: sql)?.status == .queued {
                queued += 1
            }
            try await sql.raw("UPDATE playbook_state SET cursor = \(bind: last.id) WHERE name = 'events'").run()
            return (queued, events.count == Self.eventBatch)
        }
    }

    /// The context of an event: `event` and the `alert` or `incident` it carries.
    static func context(
        of event: StoredEvent, needsObservables: Bool, database: Database, on sql: any SQLDatabase
    ) async throws
        -> [JSONMember]
    {
        var members: [JSONMember] = [
            JSONMember(
                "event",
                .object([
                    JSONMember("id", .int(event.id)), JSONMember("type", .string(event.type)),
                    JSONMember("at", .string(ISO8601Format.string(from: event.at))),
                ]))
        ]
        // The payload is the alert or incident itself (the stream's message wraps it).
        let key = event.channel == "alerts" ? "alert" : event.channel == "incidents" ? "incident" : nil
        if let key, var value = try? JSONParser.parse(event.payload) {
            if key == "alert", needsObservables, let id = value.members?.first(where: { $0.key == "id" })?.value.int {
                let ocsf = try await database.alertDocument(id: Int64(id), on: sql)
                let parsed = ocsf.flatMap { try? JSONParser.parse($0) } ?? .object([])
                value = PlaybookContext.alert(value, observables: PlaybookContext.observables(ocsf: parsed))
            }
            members.append(JSONMember(key, value))
        }
        return members
    }

    /// The run `playbook` would start for an event, or nil when its condition does not hold. A condition or
    /// concurrency key that fails to evaluate is a failed run, so that it shows in `playbook runs --status failed`.
    private func evaluate(
        _ playbook: Playbook, event: StoredEvent, context: [JSONMember], misses: PlaybookExpression.Misses?
    ) -> Candidate? {
        let scope = PlaybookExpression.Scope(
            values: Dictionary(context.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }),
            now: now(), misses: misses)
        var candidate = Candidate(
            playbook: playbook, event: event, context: context, status: .queued, target: Self.target(of: context))
        if let condition = playbook.trigger(for: event.type)?.condition {
            do {
                guard PlaybookExpression.truthy(try condition.evaluate(in: scope)) else { return nil }
            } catch {
                candidate.status = .failed
                candidate.error = "the condition of on.\(event.type) failed: \(error.message)"
                return candidate
            }
        }
        if let concurrency = playbook.concurrency {
            do {
                let text = PlaybookExpression.text(try concurrency.evaluate(in: scope))
                candidate.concurrencyKey = text.isEmpty ? nil : String(text.prefix(500))
            } catch {
                candidate.status = .failed
                candidate.error = "the concurrency key failed: \(error.message)"
            }
        }
        return candidate
    }

    /// Records a candidate run in the caller's transaction, after the loop guard: a playbook that reacts to its
    /// own changes is stopped at ``loopLimit`` runs for one target in ten minutes.
    private func record(_ candidate: Candidate, on sql: any SQLDatabase) async throws
        -> (id: Int64, status: PlaybookRun.Status)?
    {
        var candidate = candidate
        let playbook = candidate.playbook
        if candidate.status == .queued, let target = candidate.target {
            let since = now().addingTimeInterval(-600).milliseconds
            let recent =
                try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM playbook_runs WHERE target_type = \(bind: target.type)
                    AND target_id = \(bind: target.id) AND playbook = \(bind: playbook.name)
                    AND created_at >= \(bind: since) AND status <> 'joined'
                    """
                ).first(decodingColumn: "n", as: Int.self) ?? 0
            if recent >= Self.loopLimit {
                candidate.status = .failed
                candidate.error =
                    "not run: \(recent) runs for \(target.type) \(target.id) in ten minutes; the playbook seems to "
                    + "react to its own changes (narrow its trigger's `if:`)"
            }
        }
        let event = candidate.event
        return try await insertRun(
            playbook, trigger: event.type, triggerKey: "event:\(event.id)", eventID: event.id,
            target: candidate.target, concurrencyKey: candidate.concurrencyKey, status: candidate.status,
            error: candidate.error, context: .object(candidate.context), actor: "playbook:\(playbook.name)",
            parent: nil, on: sql)
    }

    static func target(of context: [JSONMember]) -> (type: String, id: String)? {
        for member in context where member.key == "alert" || member.key == "incident" {
            if let id = member.value.members?.first(where: { $0.key == "id" })?.value.text, id != "0" {
                return (member.key, id)
            }
        }
        return nil
    }

    /// Inserts a run unless (playbook, trigger key) has one; a run whose concurrency key has a run still going
    /// joins that one. Returns the new run's id.
    func insertRun(
        _ playbook: Playbook, trigger: String, triggerKey: String, eventID: Int64?,
        target: (type: String, id: String)?, concurrencyKey: String?, status: PlaybookRun.Status, error: String?,
        context: JSONValue, actor: String, parent: Int64?, on sql: any SQLDatabase
    ) async throws -> (id: Int64, status: PlaybookRun.Status)? {
        var status = status
        var joined: Int64?
        if status == .queued, let concurrencyKey {
            joined =
                try await sql.raw(
                    """
                    SELECT MIN(id) AS id FROM playbook_runs WHERE playbook = \(bind: playbook.name)
                    AND concurrency_key = \(bind: concurrencyKey) AND status IN ('queued', 'running', 'waiting')
                    """
                ).first(decodingColumn: "id", as: Int64?.self) ?? nil
            if joined != nil { status = .joined }
        }
        let at = now().milliseconds
        return try await sql.raw(
            """
            INSERT INTO playbook_runs (playbook, version, trigger, trigger_key, event_id, target_type, target_id,
                concurrency_key, status, context, actor, error, joined_run, parent_run, created_at, finished_at)
            VALUES (\(bind: playbook.name), \(bind: playbook.version), \(bind: trigger), \(bind: triggerKey),
                \(bind: eventID), \(bind: target?.type), \(bind: target?.id), \(bind: concurrencyKey),
                \(bind: status.rawValue), \(backend.json(context.jsonString)), \(bind: actor), \(bind: error),
                \(bind: joined), \(bind: parent), \(bind: at), \(bind: status.isFinished ? at : nil))
            ON CONFLICT (playbook, trigger_key) DO NOTHING
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self).map { ($0, status) }
    }

    /// Queues a run of each enabled `schedule` playbook for every due minute since the last check (at most the
    /// last hour: a runner that was down does not replay a day of minutes).
    @discardableResult
    public func enqueueSchedules() async throws -> Int {
        let scheduled = library.sorted.filter { $0.trigger(for: "schedule")?.cron != nil }
        guard !scheduled.isEmpty else { return 0 }
        let minute = Int64(now().timeIntervalSince1970 / 60)
        // Once a minute at most: with every schedule's cursor at this minute, a pass only reads.
        let behind = try await database.read { sql in
            let names = scheduled.map { "schedule:\($0.name)" }
            let current = try await sql.raw(
                "SELECT COUNT(*) AS n FROM playbook_state WHERE name IN (\(binds: names)) AND cursor >= \(bind: minute)"
            ).first(decodingColumn: "n", as: Int.self)
            return (current ?? 0) < names.count
        }
        guard behind else { return 0 }
        let off = try await disabled()
        var queued = 0
        for playbook in scheduled {
            guard let cron = playbook.trigger(for: "schedule")?.cron else { continue }
            // A switched-off playbook's minutes pass too, so switching it on does not replay them.
            let isOn = !off.contains(playbook.name)
            queued += try await database.transaction { sql in
                let name = "schedule:\(playbook.name)"
                try await sql.raw(
                    "INSERT INTO playbook_state (name, cursor) VALUES (\(bind: name), \(bind: minute - 1)) ON CONFLICT (name) DO NOTHING"
                ).run()
                let last =
                    try await sql.raw(
                        "SELECT cursor FROM playbook_state WHERE name = \(bind: name)\(unsafeRaw: backend.lockForUpdate)"
                    ).first(decodingColumn: "cursor", as: Int64.self) ?? minute - 1
                var count = 0
                var next = max(last + 1, minute - 59)
                while next <= minute {
                    let start = Date(timeIntervalSince1970: TimeInterval(next * 60))
                    if isOn, cron.isDue(start) {
                        let context: JSONValue = .object([
                            JSONMember(
                                "event",
                                .object([
                                    JSONMember("type", .string("schedule")),
                                    JSONMember("at", .string(ISO8601Format.string(from: start))),
                                ])),
                            JSONMember("inputs", defaults(of: playbook, given: [:])),
                        ])
                        if try await insertRun(
                            playbook, trigger: "schedule", triggerKey: "schedule:\(next)", eventID: nil, target: nil,
                            concurrencyKey: nil, status: .queued, error: nil, context: context,
                            actor: "playbook:\(playbook.name)", parent: nil, on: sql)?.status == .queued
                        {
                            count += 1
                        }
                    }
                    next += 1
                }
                try await sql.raw("UPDATE playbook_state SET cursor = \(bind: minute) WHERE name = \(bind: name)").run()
                return count
            }
        }
        return queued
    }

    /// The inputs of a run: those given, then defaults.
    func defaults(of playbook: Playbook, given: [String: JSONValue]) -> JSONValue {
        var members = given.sorted { $0.key < $1.key }.map { JSONMember($0.key, $0.value) }
        for input in playbook.inputs where given[input.name] == nil {
            members.append(JSONMember(input.name, input.defaultValue ?? .null))
        }
        return .object(members)
    }

    // MARK: - Started by a person

    /// What a manual run is about.
    public enum Target: Sendable {
        case alert(Alert.ID)
        case incident(String)
    }

    /// Queues a manual run of `name` about `target`, with `inputs` (checked against the playbook's).
    public func start(_ name: String, target: Target?, inputs: [String: JSONValue], actor: String) async throws
        -> PlaybookRun
    {
        guard let playbook = library.playbooks[name] else { throw notLoadedError(name) }
        for input in playbook.inputs where input.required && inputs[input.name] == nil {
            throw CoreReconError.invalidInput(
                location: "--input",
                reason: "\(name) needs input '\(input.name)'\(input.description.map { " (\($0))" } ?? "").")
        }
        if !playbook.inputs.isEmpty {
            for key in inputs.keys where !playbook.inputs.contains(where: { $0.name == key }) {
                throw CoreReconError.invalidInput(
                    location: "--input",
                    reason:
                        "\(name) has no input '\(key)'; its inputs: \(playbook.inputs.map(\.name).joined(separator: ", "))."
                )
            }
        }
        var context: [JSONMember] = [
            JSONMember(
                "event",
                .object([
                    JSONMember("type", .string("manual")), JSONMember("actor", .string(actor)),
                    JSONMember("at", .string(ISO8601Format.string(from: now()))),
                ])),
            JSONMember("inputs", defaults(of: playbook, given: inputs)),
        ]
        var targetPair: (type: String, id: String)?
        if let target {
            let (member, pair) = try await targetContext(target)
            context.append(member)
            targetPair = pair
        }
        var concurrencyKey: String?
        if let template = playbook.concurrency {
            let scope = PlaybookExpression.Scope(
                values: Dictionary(context.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }),
                now: now())
            let text = PlaybookExpression.text(try template.evaluate(in: scope))
            concurrencyKey = text.isEmpty ? nil : String(text.prefix(500))
        }
        let id = try await database.transaction { sql in
            let id = try await insertRun(
                playbook, trigger: "manual", triggerKey: "manual:\(UUID().uuidString)", eventID: nil,
                target: targetPair,
                concurrencyKey: concurrencyKey, status: .queued, error: nil, context: .object(context), actor: actor,
                parent: nil, on: sql)
            try await SQLAuditLog.append(
                [
                    AuditEvent(
                        at: now(), actor: actor, action: "playbook.run", target: "playbook:\(name)",
                        summary: AuditSummary(after: ["run": "\(id?.id ?? 0)"]))
                ], on: sql, backend: backend)
            return id?.id
        }
        guard let id else { throw CoreReconError.failed("the run was not recorded; try again.") }
        return try await run(id).run
    }

    /// The `alert` or `incident` of a run about `target`, as stored now.
    public func targetContext(_ target: Target) async throws -> (JSONMember, (type: String, id: String)) {
        switch target {
        case .alert(let id):
            let alert = try await services.alerts.alert(id)
            let ocsf = try? JSONParser.parse(try await services.alerts.ocsf(id))
            let value = PlaybookContext.alert(
                alert.jsonObject(), observables: PlaybookContext.observables(ocsf: ocsf ?? .object([])))
            return (JSONMember("alert", value), ("alert", "\(id)"))
        case .incident(let reference):
            let incidents = services.incidents
            let incident = try await incidents.incident(try incidents.key(reference))
            let json = try JSONParser.parse(
                String(decoding: try StoredEvent.encoder.encode(incident), as: UTF8.self))
            return (JSONMember("incident", json), ("incident", incident.key.description))
        }
    }

    // MARK: - Reading

    public func runs(playbook: String?, status: PlaybookRun.Status?, target: Target?, limit: Int) async throws
        -> [PlaybookRun]
    {
        try await database.read { sql in
            var query: SQLQueryString = "SELECT \(unsafeRaw: PlaybookRun.columns) FROM playbook_runs WHERE 1 = 1"
            if let playbook { query.appendInterpolation(" AND playbook = \(bind: playbook)" as SQLQueryString) }
            if let status { query.appendInterpolation(" AND status = \(bind: status.rawValue)" as SQLQueryString) }
            switch target {
            case .alert(let id):
                query.appendInterpolation(
                    " AND target_type = 'alert' AND target_id = \(bind: "\(id)")" as SQLQueryString)
            case .incident(let key):
                query.appendInterpolation(
                    " AND target_type = 'incident' AND target_id = \(bind: key.uppercased())" as SQLQueryString)
            case nil: break
            }
            query.appendInterpolation(" ORDER BY id DESC LIMIT \(unsafeRaw: String(limit))" as SQLQueryString)
            return try await sql.raw(query).all().map(PlaybookRun.init(row:))
        }
    }

    public func run(_ id: Int64) async throws -> (run: PlaybookRun, steps: [PlaybookStepRecord]) {
        try await database.read { sql in
            guard
                let row = try await sql.raw(
                    "SELECT \(unsafeRaw: PlaybookRun.columns) FROM playbook_runs WHERE id = \(bind: id)"
                ).first()
            else { throw CoreReconError.notFound(kind: "playbook run", id: "\(id)") }
            let steps = try await sql.raw(
                "SELECT * FROM playbook_steps WHERE run_id = \(bind: id) ORDER BY position, iteration"
            ).all().map(PlaybookStepRecord.init(row:))
            return (try PlaybookRun(row: row), steps)
        }
    }

    // MARK: - Control

    /// Cancels a run that has not finished: it stops before its next step.
    public func cancel(_ id: Int64, actor: String) async throws -> PlaybookRun {
        try await control(id, actor: actor, action: "cancel") { status, sql in
            guard !status.isFinished else {
                throw CoreReconError.conflict("run \(id) is \(status.rawValue) already; only unfinished runs cancel.")
            }
            try await sql.raw(
                """
                UPDATE playbook_runs SET status = 'cancelled', finished_at = \(bind: now().milliseconds),
                    error = \(bind: "cancelled by \(actor)"), lease_owner = NULL, lease_until = NULL
                WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    /// Queues a failed or cancelled run again: it resumes at the step that did not finish; the steps that
    /// succeeded are not repeated.
    public func retry(_ id: Int64, actor: String) async throws -> PlaybookRun {
        try await control(id, actor: actor, action: "retry") { status, sql in
            guard status == .failed || status == .cancelled else {
                throw CoreReconError.conflict("run \(id) is \(status.rawValue); only failed or cancelled runs retry.")
            }
            try await sql.raw(
                "DELETE FROM playbook_steps WHERE run_id = \(bind: id) AND status NOT IN ('succeeded', 'skipped')"
            ).run()
            try await sql.raw(
                """
                UPDATE playbook_runs SET status = 'queued', error = NULL, finished_at = NULL, wake_at = NULL,
                    lease_owner = NULL, lease_until = NULL
                WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    /// A person's change to run `id`, in one transaction with the run read for update, an audit row
    /// (`playbook.run.ACTION`) and, for a cancellation, the stream event.
    private func control(
        _ id: Int64, actor: String, action: String,
        _ change: (PlaybookRun.Status, any SQLDatabase) async throws -> Void
    ) async throws -> PlaybookRun {
        try await database.transaction { sql in
            guard
                let status = try await sql.raw(
                    "SELECT status FROM playbook_runs WHERE id = \(bind: id)\(unsafeRaw: backend.lockForUpdate)"
                ).first(decodingColumn: "status", as: String.self).flatMap(PlaybookRun.Status.init(rawValue:))
            else { throw CoreReconError.notFound(kind: "playbook run", id: "\(id)") }
            try await change(status, sql)
            try await SQLAuditLog.append(
                [
                    AuditEvent(
                        at: now(), actor: actor, action: "playbook.run.\(action)", target: "playbook-run:\(id)",
                        summary: AuditSummary(before: ["status": status.rawValue]))
                ],
                on: sql, backend: backend)
            if action == "cancel", let run = try await storedRun(id, on: sql) {
                try await announce(run, "cancelled", on: sql)
            }
        }
        services.changes.changed()
        return try await run(id).run
    }
}
