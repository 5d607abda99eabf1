import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Foundation
import Testing

@Suite("Playbook runner")
struct PlaybookRunnerTests {
    static func library(_ texts: String...) throws -> PlaybookLibrary {
        var playbooks: [Playbook] = []
        for (index, text) in texts.enumerated() {
            let (playbook, issues) = Playbook.parse(text, path: "test-\(index).yaml")
            let errors =
                issues.filter { $0.level == .error }
                + (playbook.map { PlaybookLint.check($0, allowExec: false) } ?? [])
                .filter { $0.level == .error }
            #expect(errors.isEmpty, "\(errors)")
            if let playbook { playbooks.append(playbook) }
        }
        return PlaybookLibrary(playbooks: playbooks)
    }

    static let escalate = """
        name: escalate-high
        on:
          alert.created:
            if: alert.severity >= "high"
        steps:
          - uses: alert.comment
            with:
              alert: ${{ alert.id }}
              text: "seen by ${{ playbook.name }} from ${{ alert.observables.src_ip }}"
          - id: incident
            uses: incident.create
            with: { title: "Escalated: ${{ alert.title }}", alerts: ${{ [alert.id] }}, severity: high }
          - id: tasks
            uses: incident.task.add
            for_each: ${{ ["Block the source", "Check the host"] }}
            with: { incident: "${{ steps.incident.id }}", title: "${{ item }} (${{ index + 1 }})" }
        """

    @Test(
        "Each event starts one run per playbook even with two runners at once; steps run once and in order",
        arguments: TestDatabases.backends)
    func eventsBecomeRunsOnce(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in try await Self.eventsBody(services) }
    }

    static func eventsBody(_ services: AppServices) async throws {
        let library = try library(escalate)
        // Two high alerts and a low one.
        let ids = try await SLATests.ingest(
            [SLATests.eve(flow: 1), SLATests.eve(flow: 2, source: "198.51.100.7"), SLATests.eve(flow: 3, priority: 3)],
            into: services)
        #expect(ids.count == 3)
        let first = services.playbooks(library)
        let second = services.playbooks(library)
        async let a = first.runPending()
        async let b = second.runPending()
        let passes = try await [a, b]
        #expect(passes.map(\.queued).reduce(0, +) == 2)
        #expect(passes.flatMap(\.finished).count == 2)
        let runs = try await first.runs(playbook: nil, status: nil, target: nil, limit: 10)
        #expect(runs.count == 2)
        #expect(runs.allSatisfy { $0.status == .succeeded && $0.actor == "playbook:escalate-high" }, "\(runs)")
        #expect(Set(runs.compactMap(\.targetID)) == Set(ids.prefix(2).map { "\($0)" }))
        // One incident per alert, each with the two tasks of the loop, numbered by index.
        let incidents = try await services.incidents.list(IncidentQuery())
        #expect(incidents.count == 2)
        for incident in incidents {
            let tasks = try await services.incidents.tasks(incident.key).map(\.title).sorted()
            #expect(tasks == ["Block the source (1)", "Check the host (2)"])
        }
        // One comment per alert, with the observable the expression read.
        for id in ids.prefix(2) {
            let comments = try await services.alerts.history(id).filter { $0.action == "comment" }
            #expect(comments.count == 1)
            #expect(comments.first?.actor == "playbook:escalate-high")
            #expect(comments.first?.message?.hasPrefix("seen by escalate-high from ") == true)
            #expect(comments.first?.message?.hasSuffix("from ") == false)
            // The run itself is on the alert's history, after the changes it made.
            let history = try await services.alerts.history(id)
            #expect(history.last?.action == "playbook" && history.last?.actor == "playbook:escalate-high")
            #expect(history.last?.message?.hasSuffix("succeeded") == true, "\(history)")
        }
        // A run shows its steps: the loop's iterations and the step as a whole.
        let (_, steps) = try await first.run(runs[0].id)
        #expect(steps.filter { $0.iteration == -1 }.map(\.stepID) == ["step-1", "incident", "tasks"])
        #expect(steps.filter { $0.stepID == "tasks" && $0.iteration >= 0 }.count == 2)
        // Each run is on the stream's playbooks channel: started, then succeeded.
        let events = try await EventLog(database: services.database).events(after: 0, limit: 10_000)
            .filter { $0.channel == "playbooks" }
        #expect(
            events.map(\.type).sorted() == [
                "playbook.run.started", "playbook.run.started", "playbook.run.succeeded", "playbook.run.succeeded",
            ])
        #expect(events.first?.message.contains(#""run":{"id":"#) == true)
        // Nothing new: the next passes queue nothing.
        let again = try await second.runPending()
        #expect(again.queued == 0 && again.finished.isEmpty)
        // A switched-off playbook does not react; switched on, it reacts to what comes after.
        try await first.setEnabled("escalate-high", false, by: "ana")
        _ = try await SLATests.ingest([SLATests.eve(flow: 4)], into: services)
        #expect(try await first.runPending().queued == 0)
        try await first.setEnabled("escalate-high", true, by: "ana")
        _ = try await SLATests.ingest([SLATests.eve(flow: 5)], into: services)
        #expect(try await first.runPending().queued == 1)
    }

    @Test(
        "A runner with no playbook that reacts to events passes them over: one loaded later starts from then",
        arguments: TestDatabases.backends)
    func eventsPassedOver(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in
            let manualOnly = services.playbooks(try Self.library(Self.waiting))
            let escalating = services.playbooks(try Self.library(Self.escalate))
            #expect(!manualOnly.reactsToEvents && escalating.reactsToEvents)
            _ = try await SLATests.ingest([SLATests.eve(flow: 1)], into: services)
            #expect(try await manualOnly.runPending().queued == 0)
            #expect(try await escalating.runPending().queued == 0, "the event before it was loaded is passed over")
            // A pass that leaves the events (one a change woke) does not move the cursor.
            let ids = try await SLATests.ingest([SLATests.eve(flow: 2, source: "198.51.100.7")], into: services)
            #expect(ids.count == 2)
            #expect(try await manualOnly.runPending(takeEvents: false).queued == 0)
            #expect(try await escalating.runPending().queued == 1)
            let runs = try await escalating.runs(playbook: "escalate-high", status: nil, target: nil, limit: 10)
            #expect(runs.map(\.targetID) == [ids.last.map { "\($0)" }])
            // Nothing new: the passed-over cursor stays where the reacting runner left it.
            #expect(try await manualOnly.runPending().queued == 0)
            #expect(try await escalating.runPending().queued == 0)
        }
    }

    static let waiting = """
        name: wait-then-comment
        on: manual
        inputs:
          note: { required: true }
        steps:
          - uses: alert.comment
            with: { alert: "${{ alert.id }}", text: "before ${{ inputs.note }}" }
          - uses: wait
            with: { duration: 10m }
          - uses: alert.comment
            with: { alert: "${{ alert.id }}", text: after }
        """

    @Test(
        "A wait is a timer in the database: the run waits without a process, and a new runner resumes it after the last finished step",
        arguments: TestDatabases.backends)
    func waitIsDurable(backend: DatabaseBackend) async throws {
        let clock = TestClock()
        try await TestDatabases.withServices(backend, now: clock.closure) { services in
            try await Self.waitBody(services, clock)
        }
    }

    static func waitBody(_ services: AppServices, _ clock: TestClock) async throws {
        let library = try library(waiting)
        let ids = try await SLATests.ingest([SLATests.eve(flow: 1)], into: services)
        let runner = services.playbooks(library)
        await #expect(throws: CoreReconError.self) {
            _ = try await runner.start("wait-then-comment", target: .alert(ids[0]), inputs: [:], actor: "ana")
        }
        let run = try await runner.start(
            "wait-then-comment", target: .alert(ids[0]), inputs: ["note": .string("x")], actor: "ana")
        let paused = try await runner.runNow(run.id)
        #expect(paused?.status == .waiting)
        #expect(paused?.wakeAt == clock.now.addingTimeInterval(600))
        // Not yet due: nothing happens.
        clock.advance(300)
        #expect(try await runner.runPending().finished.isEmpty)
        // Due: another runner (a restarted process) resumes it; the first comment is not repeated.
        clock.advance(301)
        let restarted = services.playbooks(library)
        #expect(try await restarted.runPending().finished == [run.id])
        #expect(try await restarted.run(run.id).run.status == .succeeded)
        let comments = try await services.alerts.history(ids[0]).filter { $0.action == "comment" }.compactMap(\.message)
        #expect(comments == ["before x", "after"])
    }

    static func http(_ url: String) -> String {
        """
        name: call-soar
        on: manual
        steps:
          - id: post
            uses: http.request
            retry: { count: 2, backoff: 100ms }
            with:
              url: \(url)
              headers: { Authorization: "Bearer ${{ secrets.PB_TEST_TOKEN }}" }
              json: { alert: "${{ alert.id }}", title: "${{ alert.title }}" }
          - uses: alert.comment
            if: steps.post.outcome == "succeeded" && steps.post.body == "ok"
            with: { alert: "${{ alert.id }}", text: "sent: ${{ steps.post.status }}" }
        """
    }

    @Test(
        "http.request reaches a real server, retries a 500, and the secret it sends is never recorded",
        arguments: TestDatabases.backends)
    func httpRequest(backend: DatabaseBackend) async throws {
        let web = try RecordingWebServer(failures: 1)
        defer { web.stop() }
        try await TestDatabases.withServices(backend) { services in try await Self.httpBody(services, web) }
    }

    static func httpBody(_ services: AppServices, _ web: RecordingWebServer) async throws {
        let library = try library(http(web.url("/soar")))
        let ids = try await SLATests.ingest([SLATests.eve(flow: 1)], into: services)
        let secret = "tok-\(UUID().uuidString)"
        let runner = PlaybookService(services: services, library: library, environment: ["PB_TEST_TOKEN": secret])
        let run = try await runner.start("call-soar", target: .alert(ids[0]), inputs: [:], actor: "ana")
        let finished = try await runner.runNow(run.id)
        #expect(finished?.status == .succeeded, "\(String(describing: finished))")
        let requests = web.requests
        #expect(requests.count == 2)
        #expect(requests.last?.headers["authorization"] == "Bearer \(secret)")
        #expect(try JSONParser.parse(requests.last?.body ?? "")[key: "alert"]?.text == "\(ids[0])")
        let (_, steps) = try await runner.run(run.id)
        let post = steps.first { $0.stepID == "post" }
        #expect(post?.attempts == 2)
        #expect(post?.inputs?.jsonString.contains(secret) == false)
        #expect(post?.inputs?.jsonString.contains("Bearer ***") == true)
        let comments = try await services.alerts.history(ids[0]).filter { $0.action == "comment" }.compactMap(\.message)
        #expect(comments == ["sent: 200"])
    }

    static let keyed = """
        name: per-source
        on:
          alert.created:
        concurrency: ${{ alert.observables.src_ip }}
        steps:
          - uses: wait
            with: { duration: 1h }
        """

    @Test(
        "Events with the key of a run still going join it; cancel stops a run, retry resumes a failed one",
        arguments: TestDatabases.backends)
    func concurrencyCancelRetry(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in try await Self.concurrencyBody(services) }
    }

    static func concurrencyBody(_ services: AppServices) async throws {
        let runner = services.playbooks(try library(keyed))
        _ = try await SLATests.ingest(
            [SLATests.eve(flow: 1), SLATests.eve(flow: 2), SLATests.eve(flow: 3, source: "192.0.2.44")], into: services)
        let pass = try await runner.runPending()
        #expect(pass.queued == 2)
        let runs = try await runner.runs(playbook: "per-source", status: nil, target: nil, limit: 10)
        #expect(runs.map(\.status).sorted { $0.rawValue < $1.rawValue } == [.joined, .waiting, .waiting])
        let joined = try #require(runs.first { $0.status == .joined })
        #expect(joined.joinedRun != nil && joined.concurrencyKey == "203.0.113.9")
        // Cancel a waiting run; a finished run cannot be cancelled again.
        let waiting = try #require(runs.first { $0.status == .waiting })
        #expect(try await runner.cancel(waiting.id, actor: "ana").status == .cancelled)
        await #expect(throws: CoreReconError.self) { _ = try await runner.cancel(waiting.id, actor: "ana") }
        // Retry resumes it (here: the wait starts again).
        #expect(try await runner.retry(waiting.id, actor: "ana").status == .queued)
        #expect(try await runner.runNow(waiting.id)?.status == .waiting)
    }

    static let failing = """
        name: fails-then-goes-on
        on: manual
        steps:
          - id: bad
            uses: incident.set
            with: { incident: IR-1999-0001, state: triage }
            on_error: continue
          - uses: alert.comment
            if: steps.bad.outcome == "failed"
            with: { alert: "${{ alert.id }}", text: "bad step: ${{ steps.bad.error }}" }
          - uses: alert.close
            with: { alert: "${{ alert.id }}", reason: not_a_reason }
        """

    @Test(
        "on_error: continue goes on with the error readable; a failing step fails the run, named",
        arguments: TestDatabases.backends)
    func errors(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend) { services in try await Self.errorsBody(services) }
    }

    static func errorsBody(_ services: AppServices) async throws {
        let runner = services.playbooks(try library(failing))
        let ids = try await SLATests.ingest([SLATests.eve(flow: 1)], into: services)
        let run = try await runner.start("fails-then-goes-on", target: .alert(ids[0]), inputs: [:], actor: "ana")
        let finished = try #require(try await runner.runNow(run.id))
        #expect(finished.status == .failed)
        #expect(finished.error?.hasPrefix("step step-3 (alert.close): ") == true, "\(finished.error ?? "")")
        #expect(finished.error?.contains("not_a_reason") == true)
        let comments = try await services.alerts.history(ids[0]).filter { $0.action == "comment" }.compactMap(\.message)
        #expect(comments.count == 1 && comments[0].contains("IR-1999-0001"), "\(comments)")
        #expect(try await services.alerts.alert(ids[0]).status == .new)
    }

    static let scheduled = """
        name: every-five
        on:
          schedule: "*/5 * * * *"
        steps:
          - uses: wait
            with: { duration: 1s }
        """

    @Test("A schedule queues one run per due minute, once, whichever runner looks", arguments: TestDatabases.backends)
    func schedule(backend: DatabaseBackend) async throws {
        // The test clock starts 40 s into a minute one past a multiple of five.
        let clock = TestClock()
        try await TestDatabases.withServices(backend, now: clock.closure) { services in
            try await Self.scheduleBody(services, clock)
        }
    }

    static func scheduleBody(_ services: AppServices, _ clock: TestClock) async throws {
        let library = try library(scheduled)
        let first = services.playbooks(library)
        let second = services.playbooks(library)
        #expect(try await first.enqueueSchedules() == 0)
        clock.advance(60 * 7)
        #expect(try await first.enqueueSchedules() + second.enqueueSchedules() == 1)
        clock.advance(60 * 5)
        #expect(try await second.enqueueSchedules() == 1)
        #expect(try await first.enqueueSchedules() == 0)
        let runs = try await first.runs(playbook: "every-five", status: nil, target: nil, limit: 10)
        #expect(runs.map(\.trigger) == ["schedule", "schedule"])
    }

    @Test(
        "The example SLA-breach playbook runs on a real breach: a timeline note, the incident moved on",
        arguments: TestDatabases.backends)
    func slaBreach(backend: DatabaseBackend) async throws {
        try await SLATests.withClock(backend) { services, clock in try await Self.slaBody(services, clock) }
    }

    static func slaBody(_ services: AppServices, _ clock: TestClock) async throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/playbooks/sla-breach-escalation.yaml").path
        let library = PlaybookLibrary.load(files: [file], allowExec: false)
        #expect(library.issues.isEmpty, "\(library.issues)")
        let runner = services.playbooks(library)
        let incident = try await services.incidents.create(
            IncidentService.NewIncident(title: "Intrusion", severity: .high), by: "ana")
        // The incident policy's acknowledge goal is 30 minutes: past it, the sweep records a breach.
        clock.advance(1_801)
        let outcome = try await services.evaluateSLAs(deliver: false)
        #expect(outcome.records.contains { $0.kind == .breached })
        let pass = try await runner.runPending()
        #expect(pass.finished.count == 1, "\(pass)")
        let run = try await runner.run(try #require(pass.finished.first)).run
        // The notify step names a channel this configuration does not have: it fails and the run goes on.
        #expect(run.status == .succeeded, "\(run)")
        #expect(run.targetID == incident.key.description)
        let timeline = try await services.incidents.timeline(incident.key)
        #expect(
            timeline.contains { $0.message.hasPrefix("SLA breached: acknowledge (policy incidents") }, "\(timeline)")
        #expect(timeline.contains { $0.message.contains("Playbook sla-breach-escalation run \(run.id) succeeded") })
        #expect(try await services.incidents.incident(incident.key).state == .investigating)
        let (_, steps) = try await runner.run(run.id)
        #expect(steps.last?.status == .failed && steps.last?.error?.contains("oncall-slack") == true)
    }

    static let caller = """
        name: caller
        on: manual
        steps:
          - id: intel
            uses: ioc.add
            with: { value: "evil[.]example", tags: [phishing], confidence: 90 }
          - id: child
            uses: playbook.call
            with: { playbook: contain, inputs: { domain: "${{ steps.intel.value }}" } }
          - id: echo
            uses: exec
            with: { command: [echo, "${{ steps.child.steps.found.found }}"] }
        """
    static let callee = """
        name: contain
        on: manual
        inputs:
          domain: { required: true }
        steps:
          - id: found
            uses: ioc.lookup
            with: { value: "${{ inputs.domain }}" }
          - id: incident
            uses: incident.create
            with: { title: "Phishing domain ${{ inputs.domain }}", severity: high }
          - uses: incident.observable.add
            with: { incident: "${{ steps.incident.id }}", value: "${{ inputs.domain }}", ioc: true }
          - uses: incident.map
            with: { incident: "${{ steps.incident.id }}", technique: T1566.002 }
          - uses: incident.timeline.add
            with: { incident: "${{ steps.incident.id }}", text: "Domain ${{ inputs.domain }} seen in intel" }
        """

    @Test(
        "ioc.add, ioc.lookup, playbook.call with inputs, incident steps and exec (only when allowed)",
        arguments: TestDatabases.backends)
    func actions(backend: DatabaseBackend) async throws {
        try await TestDatabases.withServices(backend, configure: { $0.playbooksAllowExec = true }) { services in
            try await Self.actionsBody(services, allowed: true)
        }
        try await TestDatabases.withServices(backend) { services in
            try await Self.actionsBody(services, allowed: false)
        }
    }

    static func actionsBody(_ services: AppServices, allowed: Bool) async throws {
        let runner = services.playbooks(try library(caller, callee))
        let run = try await runner.start("caller", target: nil, inputs: [:], actor: "ana")
        let finished = try #require(try await runner.runNow(run.id))
        let (_, steps) = try await runner.run(run.id)
        // The indicator was added refanged, and the called playbook found it.
        #expect(steps.first { $0.stepID == "intel" }?.outputs?[key: "value"]?.text == "evil.example")
        let child = steps.first { $0.stepID == "child" }?.outputs
        #expect(child?[key: "status"]?.text == "succeeded", "\(steps)")
        let incidents = try await services.incidents.list(IncidentQuery())
        #expect(incidents.count == 1)
        let key = try #require(incidents.first?.key)
        #expect(try await services.incidents.observables(key).map(\.value) == ["evil.example"])
        #expect(try await services.incidents.detail(key).techniques.map(\.techniqueID).contains("T1566.002"))
        #expect(
            try await services.incidents.timeline(key).contains { $0.message == "Domain evil.example seen in intel" })
        let children = try await runner.runs(playbook: "contain", status: nil, target: nil, limit: 10)
        #expect(children.count == 1 && children.first?.parentRun == run.id)
        if allowed {
            #expect(finished.status == .succeeded, "\(finished)")
            #expect(steps.first { $0.stepID == "echo" }?.outputs?[key: "stdout"]?.text == "true\n")
        } else {
            #expect(finished.status == .failed)
            #expect(finished.error?.contains("playbooks.allowExec") == true, "\(finished)")
        }
    }
}
