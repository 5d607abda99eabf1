import CoreRecon
import Foundation
import NIOHTTP1

/// `corerecon playbook` over the API: `/api/v1/playbooks` and `/api/v1/playbook-runs`. The playbooks are the
/// server's, and so is the runner that carries runs out: a run started here is followed until it ends.
public struct RemotePlaybooks: PlaybookOperations {
    let client: APIClient

    public init(client: APIClient) { self.client = client }

    func path(_ name: String, _ suffix: String = "") -> String {
        "/api/v1/playbooks/\(APIClient.pathSegment(name))\(suffix)"
    }

    public func catalog() async throws -> PlaybookCatalog {
        try await client.read(.GET, "/api/v1/playbooks", as: "a list of playbooks") { answer in
            guard let playbooks = answer[key: "playbooks"]?.arrayValue?.map(PlaybookOverview.init(json:)),
                let issues = answer[key: "issues"]?.arrayValue?.map(PlaybookIssue.init(json:)),
                !playbooks.contains(where: { $0 == nil }), !issues.contains(where: { $0 == nil })
            else { return nil }
            return PlaybookCatalog(
                playbooks: playbooks.compactMap { $0 }, issues: issues.compactMap { $0 },
                directory: answer[key: "directory"]?.text)
        }
    }

    public func setEnabled(_ name: String, _ enabled: Bool, by actor: String) async throws {
        _ = try await client.send(.POST, path(name, enabled ? "/enable" : "/disable"), idempotent: true)
    }

    public func test(_ request: PlaybookTestRequest) async throws -> PlaybookTestReport {
        var members: [JSONMember] = []
        var name = request.playbook
        if request.namesFile {
            // The file is this machine's: read and checked here, so that its errors name it as a local test would;
            // the server checks it again against its own settings (exec steps) and dry-runs it.
            let (parsed, issues) = Playbook.load(path: request.playbook)
            name = try Playbook.checked(parsed, issues: issues, file: request.playbook, allowExec: true).name
            let content = String(
                decoding: FileManager.default.contents(atPath: request.playbook) ?? Data(), as: UTF8.self)
            members += [JSONMember("content", .string(content)), JSONMember("file", .string(request.playbook))]
        }
        switch request.subject {
        case .event(let text, let file):
            let event: JSONValue
            do {
                event = try JSONParser.parse(text)
            } catch {
                throw CoreReconError.invalidInput(location: file, reason: "not JSON: \(error)")
            }
            members += [JSONMember("event", event), JSONMember("eventFile", .string(file))]
        case .alert(let id): members.append(JSONMember("alert", .int(id)))
        case .incident(let key): members.append(JSONMember("incident", .string(key)))
        case .none: break
        }
        if let type = request.type { members.append(JSONMember("type", .string(type))) }
        if !request.inputs.isEmpty {
            members.append(
                JSONMember("inputs", .object(request.inputs.sorted { $0.key < $1.key }.map { JSONMember($0, $1) })))
        }
        return try await client.read(
            .POST, path(name, "/test"), body: .object(members), as: "a dry run", PlaybookTestReport.init(json:))
    }

    public func start(
        _ name: String, target: PlaybookService.Target?, inputs: [String: JSONValue], actor: String, queue: Bool
    ) async throws -> (run: PlaybookRun, steps: [PlaybookStepRecord]) {
        var members: [JSONMember] = []
        switch target {
        case .alert(let id): members.append(JSONMember("alert", .int(id)))
        case .incident(let key): members.append(JSONMember("incident", .string(key)))
        case nil: break
        }
        if !inputs.isEmpty {
            members.append(JSONMember("inputs", .object(inputs.sorted { $0.key < $1.key }.map { JSONMember($0, $1) })))
        }
        let run = try await client.read(
            .POST, path(name, "/run"), body: .object(members), as: "a playbook run", PlaybookRun.init(json:))
        return queue ? try await self.run(run.id) : try await settled(run.id)
    }

    public func run(_ id: Int64) async throws -> (run: PlaybookRun, steps: [PlaybookStepRecord]) {
        try await client.read(.GET, "/api/v1/playbook-runs/\(id)", as: "a playbook run") { answer in
            guard let run = PlaybookRun(json: answer), let steps = answer[key: "steps"]?.arrayValue else { return nil }
            let records = steps.map { PlaybookStepRecord(json: $0, runID: id) }
            guard !records.contains(where: { $0 == nil }) else { return nil }
            return (run, records.compactMap { $0 })
        }
    }

    /// The run once the server's runner has finished it, or left it waiting on a `wait` step.
    func settled(_ id: Int64) async throws -> (run: PlaybookRun, steps: [PlaybookStepRecord]) {
        var pause = Duration.milliseconds(25)
        while true {
            let answer = try await run(id)
            if answer.run.status.isFinished || answer.run.status == .waiting { return answer }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(1))
        }
    }

    public func cancel(_ id: Int64, actor: String) async throws -> PlaybookRun {
        try await client.read(
            .POST, "/api/v1/playbook-runs/\(id)/cancel", as: "a playbook run", PlaybookRun.init(json:))
    }

    public func retry(_ id: Int64, actor: String, queue: Bool) async throws -> (
        run: PlaybookRun, steps: [PlaybookStepRecord]
    ) {
        let run = try await client.read(
            .POST, "/api/v1/playbook-runs/\(id)/retry", as: "a playbook run", PlaybookRun.init(json:))
        return queue ? try await self.run(run.id) : try await settled(run.id)
    }

    public func runs(playbook: String?, status: PlaybookRun.Status?, target: PlaybookService.Target?, limit: Int)
        async throws -> [PlaybookRun]
    {
        var query: [(String, String)] = [("limit", String(limit))]
        if let playbook { query.append(("playbook", playbook)) }
        if let status { query.append(("status", status.rawValue)) }
        switch target {
        case .alert(let id): query.append(("alert", String(id)))
        case .incident(let key): query.append(("incident", key))
        case nil: break
        }
        return try await client.items("/api/v1/playbook-runs", query, PlaybookRun.init(json:))
    }
}
