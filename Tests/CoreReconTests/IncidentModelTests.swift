import Foundation
import Testing

@testable import CoreRecon

@Suite("Incident model")
struct IncidentModelTests {
    @Test("Incident ids print with four digits and parse in long and short form")
    func keys() throws {
        #expect(IncidentKey(year: 2026, number: 1).description == "IR-2026-0001")
        #expect(IncidentKey(year: 2026, number: 12345).description == "IR-2026-12345")
        #expect(try IncidentKey(parsing: "IR-2025-0042", currentYear: 2026) == IncidentKey(year: 2025, number: 42))
        #expect(try IncidentKey(parsing: "ir-0007", currentYear: 2026) == IncidentKey(year: 2026, number: 7))
        // A short form is a number in this year, even one that looks like a year.
        #expect(try IncidentKey(parsing: "IR-2026", currentYear: 2026) == IncidentKey(year: 2026, number: 2026))
        for bad in ["IR-", "2026-0001", "IR-26-0001", "IR-2026-0000", "IR-2026-x1", "INC-0001", ""] {
            #expect(throws: CoreReconError.self) { try IncidentKey(parsing: bad, currentYear: 2026) }
        }
    }

    @Test("Lifecycle: forward skips, back to investigating from later stages, closed only by close")
    func lifecycle() {
        #expect(IncidentState.new.allowedNext == [.triage, .investigating, .contained, .eradicated, .recovered])
        #expect(IncidentState.contained.allowedNext == [.eradicated, .recovered, .investigating])
        #expect(IncidentState.investigating.allowedNext == [.contained, .eradicated, .recovered])
        #expect(IncidentState.closed.allowedNext == [.investigating])
        #expect(!IncidentState.allCases.contains { $0.allowedNext.contains(.closed) })
    }

    @Test(
        "Observable types are detected from the value",
        arguments: [
            ("192.168.1.10", ObservableType.ipv4), ("2001:db8::1", .ipv6), ("::ffff:10.0.0.1", .ipv6),
            ("10.0.0.0/8", .cidr), ("2001:db8::/32", .cidr), ("evil.example.com", .domain),
            ("https://evil.example.com/a?b=c", .url), ("hxxp://x.example/", .url), ("j.doe@example.com", .email),
            ("d41d8cd98f00b204e9800998ecf8427e", .md5), ("da39a3ee5e6b4b0d3255bfef95601890afd80709", .sha1),
            ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", .sha256), ("WKS-042", .hostname),
            ("DC01", .hostname), ("CORP\\jdoe", .user), ("jdoe", .user), ("/tmp/x.sh", .filePath),
            ("C:\\Windows\\Temp\\a.exe", .filePath), ("999.1.1.1", .user),
        ])
    func detection(value: String, type: ObservableType) {
        #expect(ObservableType.detect(value) == type, "\(value)")
    }

    @Test("Canonical forms make the same observable equal; wrong shapes are named")
    func canonical() {
        #expect(ObservableType.domain.canonical(" Evil.Example.COM ") == "evil.example.com")
        #expect(ObservableType.ipv4.canonical("010.000.000.001") == "10.0.0.1")
        #expect(ObservableType.md5.canonical("D41D8CD98F00B204E9800998ECF8427E") == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(ObservableType.ipv4.problem(with: "10.0.0.256") != nil)
        #expect(ObservableType.sha256.problem(with: "abc") != nil)
        #expect(ObservableType.email.problem(with: "a@b.example") == nil)
        #expect(TLP(name: "TLP:AMBER+STRICT") == .amberStrict)
        #expect(TLP(name: "white") == .clear)
    }

    @Test("Percentiles interpolate between closest ranks")
    func percentiles() {
        let stats = IncidentMetrics.DurationStats([10, 20, 30, 40, 100])
        #expect(stats.count == 5)
        #expect(stats.meanSeconds == 40)
        #expect(stats.medianSeconds == 30)
        #expect(stats.p90Seconds == 76)  // 40 + 0.6 × 60
        #expect(IncidentMetrics.DurationStats([]).meanSeconds == nil)
    }

    @Test("Round robin continues after the last auto-assignee; least open picks the idlest, ties by order")
    func assignment() {
        let robin = IncidentSettings(assignment: .roundRobin, analysts: ["ann", "bob", "cy"])
        #expect(robin.chooseAssignee(lastAutoAssignee: nil, openCounts: [:]) == "ann")
        #expect(robin.chooseAssignee(lastAutoAssignee: "bob", openCounts: [:]) == "cy")
        #expect(robin.chooseAssignee(lastAutoAssignee: "cy", openCounts: [:]) == "ann")
        #expect(robin.chooseAssignee(lastAutoAssignee: "gone", openCounts: [:]) == "ann")
        let least = IncidentSettings(assignment: .leastOpen, analysts: ["ann", "bob", "cy"])
        #expect(least.chooseAssignee(lastAutoAssignee: nil, openCounts: ["ann": 2, "bob": 1, "cy": 1]) == "bob")
        #expect(IncidentSettings().chooseAssignee(lastAutoAssignee: nil, openCounts: [:]) == nil)
    }

    @Test("Playbooks parse; mistakes name the file and line")
    func playbooks() throws {
        let template = try TaskTemplates.parse(
            """
            type: phishing
            name: Phishing response
            tasks:
              - title: Collect the message
                phase: triage
              - Block the sender
            """, path: "p.yaml")
        #expect(template.type == "phishing")
        #expect(template.tasks.map(\.title) == ["Collect the message", "Block the sender"])
        #expect(template.tasks[0].phase == "triage")

        func failure(_ text: String) -> String {
            do {
                _ = try TaskTemplates.parse(text, path: "p.yaml")
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(
            failure("type: x\ntasks:\n  - title: a\n  - phase: triage\n").hasPrefix("p.yaml:4: task 2 has no title"))
        #expect(
            failure("type: x\ntasks:\n  - title: a\n    phase: lunch\n").contains(
                "p.yaml:4: task 1: unknown phase 'lunch'"))
        #expect(failure("name: x\ntasks: [a]\n").contains("no `type`"))
        #expect(failure("type: x\ntask: [a]\n").contains("p.yaml:2: unknown key 'task'"))
    }

    @Test("Markdown report names techniques and escapes table cells")
    func report() {
        let at = Date(timeIntervalSince1970: 1_795_000_000)
        var incident = Incident(
            id: 1, key: IncidentKey(year: 2026, number: 3), title: "Phish | CFO", severity: .high, createdBy: "ann",
            createdAt: at, updatedAt: at)
        incident.acknowledgedAt = at + 300
        incident.closedAt = at + 7_500
        let detail = IncidentDetail(
            incident: incident, alerts: [], observables: [],
            techniques: [IncidentTechnique(techniqueID: "T1566.001", tactic: "initial-access", origin: "manual")],
            tasks: [], evidence: [], timeline: [])
        let markdown = IncidentReport(detail: detail, generatedAt: at) { ATTACKCatalog.embedded.technique($0)?.name }
            .markdown
        #expect(markdown.hasPrefix("# IR-2026-0003: Phish | CFO\n"))
        #expect(markdown.contains("| T1566.001 | Spearphishing Attachment | initial-access |"))
        #expect(markdown.contains("| Time to acknowledge | 5m 00s |"))
        #expect(markdown.contains("| Time to resolve | 2h 05m |"))
    }
}
