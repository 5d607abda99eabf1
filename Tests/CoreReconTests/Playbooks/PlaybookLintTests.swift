import CoreRecon
import CoreReconTestSupport
import Foundation
import Testing

@Suite("Playbook files and lint")
struct PlaybookLintTests {
    static func issues(_ text: String, allowExec: Bool = false) -> [PlaybookIssue] {
        let (playbook, problems) = Playbook.parse(text, path: "p.yaml")
        return problems + (playbook.map { PlaybookLint.check($0, allowExec: allowExec) } ?? [])
    }

    @Test("The issue's own example reads as written, `${{ }}` inside flow mappings included")
    func flowMappings() throws {
        let text = """
            name: brute-force-containment
            on:
              alert.created:
                if: alert.severity >= "high" && "T1110" in alert.techniques
            concurrency: ${{ alert.observables.src_ip }}
            steps:
              - id: related
                uses: alert.related
                with: { alert: ${{ alert.id }}, window: 1h }
              - id: incident
                if: steps.related.count >= 5
                uses: incident.create
                with: { title: "SSH brute force from ${{ alert.observables.src_ip }}", severity: high, type: brute_force,
                        alerts: ${{ steps.related.ids + [alert.id] }} }
              - uses: incident.task.add
                with: { incident: ${{ steps.incident.id }}, title: Block source at the edge }
            """
        let (playbook, problems) = Playbook.parse(text, path: "p.yaml")
        #expect(problems.isEmpty, "\(problems)")
        let parsed = try #require(playbook)
        #expect(PlaybookLint.check(parsed, allowExec: false).isEmpty)
        #expect(parsed.steps.map(\.id) == ["related", "incident", "step-3"])
        let alerts = parsed.steps[1].with.first { $0.0 == "alerts" }?.1
        guard case .template(let template, let line, _)? = alerts else {
            Issue.record("alerts is not a template: \(String(describing: alerts))")
            return
        }
        #expect(line == 14)
        #expect(template.source == "${{ steps.related.ids + [alert.id] }}")
        #expect(parsed.steps[0].with.first { $0.0 == "window" }?.1 == .constant(.string("1h")))
    }

    @Test("Every problem is reported with its line and column, errors and warnings apart")
    func problems() {
        let found = Self.issues(
            """
            name: bad one
            on:
              alert.create:
              alert.created:
                if: alert.severity >== "high"
            steps:
              - id: a
                uses: alert.relate
              - uses: alert.comment
                with:
                  alert: ${{ steps.b.id }}
                  txt: hi
              - id: b
                uses: exec
                with: { command: [ls] }
              - id: b
                uses: wait
                with: { duration: soon }
              - uses: alert.comment
                with: { alert: ${{ incident.id + nothing }}, text: x }
            """)
        func has(_ line: Int, _ column: Int?, _ fragment: String, _ level: PlaybookIssue.Level = .error) -> Bool {
            found.contains {
                $0.line == line && (column == nil || $0.column == column) && $0.message.contains(fragment)
                    && $0.level == level
            }
        }
        #expect(has(1, 7, "name 'bad one'"), "\(found)")
        #expect(has(3, 3, "unknown trigger 'alert.create'"))
        #expect(has(5, 26, "unexpected character '='"))
        #expect(has(7, nil, "unknown action 'alert.relate'"))
        #expect(has(11, nil, "steps.b is read before step b runs"))
        #expect(has(9, nil, "has no input 'txt'"))
        #expect(has(9, nil, "needs input 'text'"))
        #expect(has(13, nil, "exec is off", .warning))
        #expect(has(16, nil, "two steps have id 'b'"))
        #expect(has(16, nil, "'soon' is not a duration"))
        #expect(has(20, nil, "unknown name 'nothing'"))
        #expect(has(20, nil, "'incident' is null here", .warning))
        #expect(!has(13, nil, "exec is off", .error))
        #expect(
            Self.issues("name: x\non: manual\nsteps:\n  - uses: exec\n    with: { command: [ls] }", allowExec: true)
                .isEmpty)
        let yaml = Self.issues("name: x\non: [manual\nsteps: []")
        #expect(yaml.count == 1 && yaml[0].message.hasPrefix("not valid YAML") && yaml[0].line >= 2, "\(yaml)")
    }

    @Test("Calls between playbooks must name a loaded one and must not cycle")
    func calls() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        func write(_ name: String, calls: String) throws {
            try """
            name: \(name)
            on: manual
            steps:
              - uses: playbook.call
                with: { playbook: \(calls) }
            """.write(toFile: "\(directory.path)/\(name).yaml", atomically: true, encoding: .utf8)
        }
        try write("a", calls: "b")
        try write("b", calls: "c")
        try write("c", calls: "a")
        try write("d", calls: "nowhere")
        let library = PlaybookLibrary.load(directory: directory.path, allowExec: false)
        #expect(library.issues.filter { $0.message.contains("cycle") }.count == 3, "\(library.issues)")
        #expect(library.issues.contains { $0.message.contains("a → b → c → a") })
        #expect(library.issues.contains { $0.message.contains("'nowhere', which is not among the playbooks") })
        #expect(library.playbooks.isEmpty)
    }

    @Test("The example playbooks lint clean")
    func examples() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/playbooks").path
        let library = PlaybookLibrary.load(directory: directory, allowExec: false)
        #expect(library.issues.isEmpty, "\(library.issues)")
        #expect(
            library.sorted.map(\.name) == [
                "brute-force-containment", "phishing-triage", "ransomware-escalation", "sla-breach-escalation",
            ])
    }
}
