import CoreRecon
import Foundation
import SQLKit

extension PlaybookService {
    /// What one pass of the runner did.
    public struct Pass: Sendable, Equatable {
        public var queued = 0
        public var finished: [Int64] = []
        public var waiting = 0
    }

    /// One pass: queue runs for new events and due schedules, then carry out every run that can go now (queued,
    /// waiting with its timer passed, or abandoned by a runner whose lease lapsed), at most `limit`.
    ///
    /// `takeEvents: false` leaves the events to a later pass: a runner none of whose playbooks reacts to events
    /// moves the cursor on its timer, not on every pass a change wakes.
    public func runPending(limit: Int = 100, takeEvents: Bool = true) async throws -> Pass {
        var pass = Pass()
        pass.queued = try await (takeEvents ? enqueueEvents() : 0) + enqueueSchedules()
        for _ in 0..<limit {
            guard let run = try await claim() else { break }
            let outcome = try await execute(run)
            if outcome.status == .waiting { pass.waiting += 1 } else { pass.finished.append(outcome.id) }
        }
        return pass
    }

    /// Takes the oldest run that can go now, with a lease; nil when there is none.
    func claim(id: Int64? = nil) async throws -> PlaybookRun? {
        let at = now()
        if id == nil {
            // A read first: with nothing to do, a pass takes no write lock.
            let due = try await database.read { sql in
                try await sql.raw(
                    """
                    SELECT id FROM playbook_runs WHERE status = 'queued'
                        OR (status = 'waiting' AND wake_at <= \(bind: at.milliseconds))
                        OR (status = 'running' AND lease_until < \(bind: at.milliseconds))
                    LIMIT 1
                    """
                ).first() != nil
            }
            guard due else { return nil }
        }
        return try await database.transaction { sql in
            var query: SQLQueryString = """
                SELECT id FROM playbook_runs WHERE (status = 'queued'
                    OR (status = 'waiting' AND wake_at <= \(bind: at.milliseconds))
                    OR (status = 'running' AND lease_until < \(bind: at.milliseconds)))
                """
            if let id { query.appendInterpolation(" AND id = \(bind: id)" as SQLQueryString) }
            query.appendLiteral(" ORDER BY id LIMIT 1")
            if backend == .postgres { query.appendLiteral(" FOR UPDATE SKIP LOCKED") }
            guard let id = try await sql.raw(query).first(decodingColumn: "id", as: Int64.self) else { return nil }
            let firstStart =
                try await sql.raw("SELECT started_at FROM playbook_runs WHERE id = \(bind: id)").first(
                    decodingColumn: "started_at", as: Int64?.self) == .some(nil)
            let run = try await sql.raw(
                """
                UPDATE playbook_runs SET status = 'running', lease_owner = \(bind: owner),
                    lease_until = \(bind: at.addingTimeInterval(self.lease).milliseconds),
                    started_at = COALESCE(started_at, \(bind: at.milliseconds)), wake_at = NULL
                WHERE id = \(bind: id)
                RETURNING \(unsafeRaw: PlaybookRun.columns)
                """
            ).first().map(PlaybookRun.init(row:))
            if firstStart, let run { try await announce(run, "started", on: sql) }
            return run
        }
    }

    /// Writes a `playbook.run.<what>` event (the stream's `playbooks` channel) in the caller's transaction.
    func announce(_ run: PlaybookRun, _ what: String, on sql: any SQLDatabase) async throws {
        _ = try await EventLog.append(
            [
                StoredEvent(
                    at: now(), type: "playbook.run.\(what)", channel: "playbooks", severity: nil,
                    source: run.playbook, assignee: nil, payload: run.json.jsonString)
            ], on: sql, backend: backend)
    }

    /// The run as stored, read in the caller's transaction.
    func storedRun(_ id: Int64, on sql: any SQLDatabase) async throws -> PlaybookRun? {
        try await sql.raw("SELECT \(unsafeRaw: PlaybookRun.columns) FROM playbook_runs WHERE id = \(bind: id)").first()
            .map(PlaybookRun.init(row:))
    }

    /// Claims run `id` and carries it out now (`playbook run`); nil when another runner has it.
    public func runNow(_ id: Int64) async throws -> PlaybookRun? {
        guard let run = try await claim(id: id) else { return nil }
        return try await execute(run)
    }

    /// How a step ended.
    enum Outcome {
        case succeeded(JSONValue)
        case failed(String)
        case waiting(until: Date)
        case skipped
    }

    /// A step asks the run to pause until a time (`wait`, or a called playbook that waits).
    struct WaitRequest: Error {
        var until: Date
    }

    /// The run lost its lease (another runner took it) or was cancelled: stop without writing more.
    struct Abandoned: Error {}

    /// Carries out a claimed run from where it stands, and returns it as it ended (finished, or waiting).
    func execute(_ run: PlaybookRun) async throws -> PlaybookRun {
        guard let playbook = library.playbooks[run.playbook] else {
            try await finish(run.id, status: .failed, error: "no playbook named '\(run.playbook)' is loaded any more")
            return try await self.run(run.id).run
        }
        do {
            try await withHeartbeat(run.id) { try await carryOut(run, playbook) }
        } catch is Abandoned {
            logger.notice("Playbook run left to another runner", metadata: ["run": "\(run.id)"])
            if Task.isCancelled {
                // Stopping: let the next runner take the run at once instead of after the lease.
                try? await database.transaction { sql in
                    try await sql.raw(
                        """
                        UPDATE playbook_runs SET lease_until = 0 WHERE id = \(bind: run.id)
                        AND lease_owner = \(bind: owner) AND status = 'running'
                        """
                    ).run()
                }
                throw CancellationError()
            }
        }
        return try await self.run(run.id).run
    }

    /// Runs `body` while renewing the run's lease every third of it. The renewal is stopped and awaited before
    /// this returns: one still in flight would hold the run's row (PostgreSQL locks the row an `UPDATE` waited
    /// for even when it then matches nothing), and the next runner's claim would skip the run.
    private func withHeartbeat(_ runID: Int64, _ body: () async throws -> Void) async throws {
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(self.lease / 3))
                if Task.isCancelled { break }
                _ = try? await renewLease(runID)
            }
        }
        do {
            try await body()
        } catch {
            heartbeat.cancel()
            await heartbeat.value
            throw error
        }
        heartbeat.cancel()
        await heartbeat.value
    }

    private func carryOut(_ run: PlaybookRun, _ playbook: Playbook) async throws {
        if run.version != playbook.version {
            try await database.transaction { sql in
                try await sql.raw(
                    "UPDATE playbook_runs SET version = \(bind: playbook.version) WHERE id = \(bind: run.id)"
                ).run()
            }
        }
        let records = try await self.run(run.id).steps
        var scope = PlaybookExpression.Scope(values: [:], now: now())
        for member in run.context.members ?? [] { scope.values[member.key] = member.value }
        scope.values["inputs"] = scope.values["inputs"] ?? .object([])
        scope.values["run"] = .object([
            JSONMember("id", .int(run.id)), JSONMember("actor", .string(run.actor)),
            JSONMember("trigger", .string(run.trigger)),
        ])
        scope.values["playbook"] = .object([
            JSONMember("name", .string(playbook.name)), JSONMember("version", .string(playbook.version)),
        ])
        let secrets = playbook.secretNames.sorted().compactMap { name in environment[name].map { (name, $0) } }
        scope.values["secrets"] = .object(secrets.map { JSONMember($0.0, .string($0.1)) })
        let masking = Masking(secrets: secrets.map(\.1))
        var steps: [JSONMember] = []
        let actor = "playbook:\(playbook.name)"
        for (position, step) in playbook.steps.enumerated() {
            scope.values["steps"] = .object(steps)
            scope.now = now()
            try await checkStillOurs(run.id)
            let outcome = try await perform(
                step, at: position, of: run, scope: scope, records: records, masking: masking, actor: actor)
            switch outcome {
            case .succeeded(let outputs):
                steps.append(JSONMember(step.id, Self.withOutcome(outputs, "succeeded")))
            case .skipped:
                steps.append(JSONMember(step.id, .object([JSONMember("outcome", .string("skipped"))])))
            case .waiting(let until):
                try await pause(run.id, until: until)
                return
            case .failed(let message):
                if step.continueOnError {
                    steps.append(
                        JSONMember(
                            step.id,
                            .object([JSONMember("outcome", .string("failed")), JSONMember("error", .string(message))])))
                    continue
                }
                try await finish(run.id, status: .failed, error: "step \(step.id) (\(step.uses)): \(message)")
                try await recordOnTarget(run, playbook, outcome: "failed at step \(step.id)", actor: actor)
                return
            }
        }
        try await finish(run.id, status: .succeeded, error: nil)
        try await recordOnTarget(run, playbook, outcome: "succeeded", actor: actor)
    }

    /// A step's outputs as later steps read them, with `outcome`: succeeded, failed or skipped (as GitHub
    /// Actions' `steps.X.outcome`; an action's own `status` output stays its own).
    static func withOutcome(_ outputs: JSONValue, _ outcome: String) -> JSONValue {
        guard case .object(var members) = outputs else {
            return .object([JSONMember("outcome", .string(outcome)), JSONMember("value", outputs)])
        }
        members.removeAll { $0.key == "outcome" }
        members.append(JSONMember("outcome", .string(outcome)))
        return .object(members)
    }

    /// A step, or each iteration of a `for_each` step, from where the records leave it.
    private func perform(
        _ step: Playbook.Step, at position: Int, of run: PlaybookRun, scope: PlaybookExpression.Scope,
        records: [PlaybookStepRecord], masking: Masking, actor: String
    ) async throws -> Outcome {
        func record(_ iteration: Int) -> PlaybookStepRecord? {
            records.first { $0.position == position && $0.iteration == iteration }
        }
        if let whole = record(-1) {
            switch whole.status {
            case .succeeded: return .succeeded(whole.outputs ?? .object([]))
            case .skipped: return .skipped
            case .failed: return .failed(whole.error ?? "failed")
            case .running, .waiting: break
            }
        }
        guard let action = PlaybookAction.byName[step.uses] else {
            return try await conclude(step, position, -1, run, .failed("unknown action '\(step.uses)'"), masking)
        }
        if let condition = step.condition {
            let holds: Bool
            do {
                holds = PlaybookExpression.truthy(try condition.evaluate(in: scope))
            } catch {
                return try await conclude(step, position, -1, run, .failed("if: \(error.message)"), masking)
            }
            if !holds { return try await conclude(step, position, -1, run, .skipped, masking) }
        }
        guard let forEach = step.forEach else {
            let outcome = try await attempt(
                step, action, position, -1, run, scope, record(-1), masking: masking, actor: actor)
            if case .waiting = outcome { return outcome }
            return try await conclude(step, position, -1, run, outcome, masking, written: true)
        }
        let items: [JSONValue]
        do {
            let value = try forEach.evaluate(in: scope)
            switch value {
            case .array(let list): items = list
            case .null: items = []
            default: items = [value]
            }
        } catch {
            return try await conclude(step, position, -1, run, .failed("for_each: \(error.message)"), masking)
        }
        guard items.count <= 1_000 else {
            return try await conclude(
                step, position, -1, run, .failed("for_each: \(items.count) items; at most 1000"), masking)
        }
        var results: [JSONValue] = []
        for (index, item) in items.enumerated() {
            var inner = scope
            inner.values["item"] = item
            inner.values["index"] = .int(index)
            let outcome = try await attempt(
                step, action, position, index, run, inner, record(index), masking: masking, actor: actor)
            switch outcome {
            case .succeeded(let outputs): results.append(outputs)
            case .waiting: return outcome
            case .skipped: results.append(.null)
            case .failed(let message):
                return try await conclude(step, position, -1, run, .failed("item \(index): \(message)"), masking)
            }
        }
        return try await conclude(
            step, position, -1, run,
            .succeeded(.object([JSONMember("results", .array(results)), JSONMember("count", .int(results.count))])),
            masking)
    }

    /// One iteration (or the step itself, iteration -1): resolve inputs, write the step as running, run it with
    /// its timeout and retries, and write how it ended.
    private func attempt(
        _ step: Playbook.Step, _ action: PlaybookAction, _ position: Int, _ iteration: Int, _ run: PlaybookRun,
        _ scope: PlaybookExpression.Scope, _ existing: PlaybookStepRecord?, masking: Masking, actor: String
    ) async throws -> Outcome {
        var attempts = existing?.attempts ?? 0
        switch existing?.status {
        case .succeeded?: return .succeeded(existing?.outputs ?? .object([]))
        case .skipped?: return .skipped
        case .failed? where iteration >= 0: return .failed(existing?.error ?? "failed")
        case .waiting?:
            let until = existing?.outputs?.members?.first { $0.key == "until" }?.value
            if let until = until.flatMap({ TimestampParser.date(from: $0) }), until > now() {
                return .waiting(until: until)
            }
            if action.name == "wait" {
                let outcome = Outcome.succeeded(existing?.outputs ?? .object([]))
                try await write(
                    step, position, iteration, run.id, status: .succeeded, attempts: attempts,
                    inputs: existing?.inputs, outputs: existing?.outputs, error: nil, masking: masking)
                return outcome
            }
        case .running? where !action.repeatsOnResume:
            let message =
                "interrupted: the runner stopped while this step ran; \(action.name) is not repeated because it may "
                + "have taken effect"
            try await write(
                step, position, iteration, run.id, status: .failed, attempts: attempts,
                inputs: existing?.inputs, outputs: nil, error: message, masking: masking)
            return .failed(message)
        default: break
        }
        var inputs = JSONValue.object([])
        do {
            inputs = try PlaybookValue.object(step.with).resolve(in: scope)
        } catch {
            try await write(
                step, position, iteration, run.id, status: .failed, attempts: attempts, inputs: nil,
                outputs: nil, error: error.message, masking: masking)
            return .failed(error.message)
        }
        var backoff = step.retry.backoff
        while true {
            attempts += 1
            try await write(
                step, position, iteration, run.id, status: .running, attempts: attempts, inputs: inputs,
                outputs: nil, error: nil, masking: masking)
            do {
                let context = ActionContext(
                    run: run, stepID: step.id, position: position, iteration: iteration, actor: actor,
                    timeout: step.timeout ?? .seconds(300))
                let resolved = inputs
                let outputs = try await withTimeout(step.timeout ?? .seconds(300)) {
                    try await self.act(action, inputs: resolved, context: context)
                }
                try await write(
                    step, position, iteration, run.id, status: .succeeded, attempts: attempts,
                    inputs: inputs, outputs: outputs, error: nil, masking: masking)
                return .succeeded(outputs)
            } catch let request as WaitRequest {
                let outputs = JSONValue.object([JSONMember("until", .string(ISO8601Format.string(from: request.until)))]
                )
                try await write(
                    step, position, iteration, run.id, status: .waiting, attempts: attempts,
                    inputs: inputs, outputs: outputs, error: nil, masking: masking)
                return .waiting(until: request.until)
            } catch is Abandoned {
                throw Abandoned()
            } catch  where Task.isCancelled {
                // The runner is stopping (serve's shutdown): the step stays running, for the next runner to resume
                // by its effect, as after a crash.
                throw Abandoned()
            } catch {
                let message = masking.mask(Self.describe(error))
                if attempts <= step.retry.count {
                    logger.info(
                        "Playbook step failed; retrying",
                        metadata: ["run": "\(run.id)", "step": "\(step.id)", "error": "\(message)"])
                    try await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(300))
                    continue
                }
                try await write(
                    step, position, iteration, run.id, status: .failed, attempts: attempts,
                    inputs: inputs, outputs: nil, error: message, masking: masking)
                return .failed(message)
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? CoreReconError { return error.description }
        return "\(error)"
    }

    /// Writes the step as a whole (iteration -1) as it ended, unless `written` (a single step's own row).
    private func conclude(
        _ step: Playbook.Step, _ position: Int, _ iteration: Int, _ run: PlaybookRun, _ outcome: Outcome,
        _ masking: Masking, written: Bool = false
    ) async throws -> Outcome {
        if !written {
            switch outcome {
            case .succeeded(let outputs):
                try await write(
                    step, position, iteration, run.id, status: .succeeded, attempts: 1, inputs: nil,
                    outputs: outputs, error: nil, masking: masking)
            case .skipped:
                try await write(
                    step, position, iteration, run.id, status: .skipped, attempts: 0, inputs: nil,
                    outputs: nil, error: nil, masking: masking)
            case .failed(let message):
                try await write(
                    step, position, iteration, run.id, status: .failed, attempts: 1, inputs: nil,
                    outputs: nil, error: message, masking: masking)
            case .waiting: break
            }
        }
        return outcome
    }

    /// Upserts a step's row, only while this runner holds the run.
    private func write(
        _ step: Playbook.Step, _ position: Int, _ iteration: Int, _ runID: Int64, status: PlaybookStepRecord.Status,
        attempts: Int, inputs: JSONValue?, outputs: JSONValue?, error: String?, masking: Masking
    ) async throws {
        let at = now()
        try await database.transaction { sql in
            try await requireLease(runID, on: sql)
            let finished = status == .running || status == .waiting ? nil : at.milliseconds
            try await sql.raw(
                """
                INSERT INTO playbook_steps (run_id, position, iteration, step_id, action, status, attempts, inputs,
                    outputs, error, started_at, finished_at)
                VALUES (\(bind: runID), \(bind: position), \(bind: iteration), \(bind: step.id), \(bind: step.uses),
                    \(bind: status.rawValue), \(bind: attempts),
                    \(inputs.map { backend.json(masking.mask($0).jsonString) } ?? "NULL"),
                    \(outputs.map { backend.json(masking.mask($0).jsonString) } ?? "NULL"),
                    \(bind: error.map(masking.mask)), \(bind: at.milliseconds), \(bind: finished))
                ON CONFLICT (run_id, position, iteration) DO UPDATE SET status = excluded.status,
                    attempts = excluded.attempts, inputs = COALESCE(excluded.inputs, playbook_steps.inputs),
                    outputs = excluded.outputs, error = excluded.error, finished_at = excluded.finished_at,
                    started_at = CASE WHEN excluded.status = 'running' THEN excluded.started_at
                        ELSE playbook_steps.started_at END
                """
            ).run()
            try await sql.raw(
                """
                UPDATE playbook_runs SET lease_until = \(bind: at.addingTimeInterval(self.lease).milliseconds)
                WHERE id = \(bind: runID)
                """
            ).run()
        }
    }

    private func requireLease(_ runID: Int64, on sql: any SQLDatabase) async throws {
        let row = try await sql.raw(
            "SELECT status, lease_owner FROM playbook_runs WHERE id = \(bind: runID)\(unsafeRaw: backend.lockForUpdate)"
        ).first()
        let status = try row?.decode(column: "status", as: String.self)
        let holder = try row?.decode(column: "lease_owner", as: String?.self)
        guard status == "running", holder == owner else { throw Abandoned() }
    }

    private func checkStillOurs(_ runID: Int64) async throws {
        try await database.read { sql in
            let row = try await sql.raw(
                "SELECT status, lease_owner FROM playbook_runs WHERE id = \(bind: runID)"
            ).first()
            let status = try row?.decode(column: "status", as: String.self)
            let holder = try row?.decode(column: "lease_owner", as: String?.self)
            guard status == "running", holder == owner else { throw Abandoned() }
        }
    }

    func renewLease(_ runID: Int64) async throws {
        try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE playbook_runs SET lease_until = \(bind: now().addingTimeInterval(self.lease).milliseconds)
                WHERE id = \(bind: runID) AND lease_owner = \(bind: owner) AND status = 'running'
                """
            ).run()
        }
    }

    private func pause(_ runID: Int64, until: Date) async throws {
        try await database.transaction { sql in
            try await requireLease(runID, on: sql)
            try await sql.raw(
                """
                UPDATE playbook_runs SET status = 'waiting', wake_at = \(bind: until.milliseconds), lease_owner = NULL,
                    lease_until = NULL
                WHERE id = \(bind: runID)
                """
            ).run()
            if let run = try await storedRun(runID, on: sql) { try await announce(run, "waiting", on: sql) }
        }
        services.changes.changed()
    }

    func finish(_ runID: Int64, status: PlaybookRun.Status, error: String?) async throws {
        try await database.transaction { sql in
            let updated = try await sql.raw(
                """
                UPDATE playbook_runs SET status = \(bind: status.rawValue), error = \(bind: error),
                    finished_at = \(bind: now().milliseconds), lease_owner = NULL, lease_until = NULL, wake_at = NULL
                WHERE id = \(bind: runID) AND status IN ('running', 'queued')
                RETURNING id
                """
            ).all()
            if !updated.isEmpty, let run = try await storedRun(runID, on: sql) {
                try await announce(run, status.rawValue, on: sql)
            }
        }
        services.changes.changed()
    }

    /// The alert's history, or the incident's timeline, says which playbook ran on it and how it ended. The
    /// alert's line writes no event (playbooks react to alert events; this must not start another run).
    private func recordOnTarget(_ run: PlaybookRun, _ playbook: Playbook, outcome: String, actor: String) async throws {
        let message = "Playbook \(playbook.name) run \(run.id) \(outcome)"
        if run.targetType == "alert", let id = run.targetID.flatMap({ Int64($0) }) {
            let entry = AlertHistoryEntry(alertID: id, at: now(), actor: actor, action: "playbook", message: message)
            try? await database.transaction { sql in
                guard try await sql.raw("SELECT id FROM alerts WHERE id = \(bind: id)").first() != nil else { return }
                try await SQLAlertRepository.insertHistory(entry, on: sql)
            }
            return
        }
        guard run.targetType == "incident", let id = run.targetID else { return }
        let incidents = services.incidents
        guard let key = try? incidents.key(id) else { return }
        try? await incidents.addNote(key, at: nil, category: "playbook", message: message, by: actor)
    }

    /// Runs `body`, cancelled after `timeout`.
    func withTimeout<Result: Sendable>(
        _ timeout: Duration, _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else {
                throw CoreReconError.failed("timed out after \(Self.describe(duration: timeout))")
            }
            return result
        }
    }

    static func describe(duration: Duration) -> String {
        let seconds = Int(duration.seconds)
        if seconds % 3_600 == 0 && seconds > 0 { return "\(seconds / 3_600)h" }
        if seconds % 60 == 0 && seconds > 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}

/// Keeps secrets out of what is recorded: each value read through `secrets.NAME` is replaced by `***`.
struct Masking: Sendable {
    let secrets: [String]

    init(secrets: [String]) {
        self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    func mask(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    func mask(_ value: JSONValue) -> JSONValue {
        guard !secrets.isEmpty else { return value }
        switch value {
        case .string(let text): return .string(mask(text))
        case .array(let items): return .array(items.map(mask))
        case .object(let members): return .object(members.map { JSONMember(mask($0.key), mask($0.value)) })
        default: return value
        }
    }
}
