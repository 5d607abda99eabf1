import CoreRecon
import Foundation
import Testing

@Suite("Playbook expressions")
struct PlaybookExpressionTests {
    static let alert: JSONValue = .object([
        JSONMember("id", .int(42)), JSONMember("title", .string("SSH Brute Force from 203.0.113.9")),
        JSONMember("severity", .string("high")), JSONMember("severityId", .int(4)),
        JSONMember("techniques", .array([.string("T1110"), .string("T1078")])),
        JSONMember(
            "observables",
            .object([JSONMember("src_ip", .string("203.0.113.9")), JSONMember("ip", .array([.string("203.0.113.9")]))])),
        JSONMember("assignee", .null),
    ])

    static let scope = PlaybookExpression.Scope(
        values: [
            "alert": alert,
            "steps": .object([
                JSONMember(
                    "related", .object([JSONMember("count", .int(5)), JSONMember("ids", .array([.int(7), .int(9)]))]))
            ]),
        ], now: Date(timeIntervalSince1970: 1_800_000_000))

    static func value(_ text: String) throws -> JSONValue {
        try PlaybookExpression.parse(text).evaluate(in: scope)
    }

    @Test(
        "Conditions of the kind playbooks use evaluate as a SOC analyst reads them",
        arguments: [
            (#"alert.severity >= "high" && "T1110" in alert.techniques"#, true),
            (#"alert.severity > "high""#, false),
            (#"alert.severity >= "medium""#, true),
            (#""critical" > "high" && "low" < "medium" && "info" < "low""#, true),
            (#"alert.severity >= 4 && alert.severityId == 4"#, true),
            ("steps.related.count >= 5", true),
            ("steps.related.count >= 5 && !(alert.id in steps.related.ids)", true),
            ("9 in steps.related.ids && 8 not in steps.related.ids", true),
            (#"contains(lower(alert.title), "brute force")"#, true),
            (#"startsWith(alert.title, "SSH") && endsWith(alert.title, ".9")"#, true),
            (#"cidrMatch(alert.observables.src_ip, "203.0.113.0/24")"#, true),
            (#"cidrMatch(alert.observables.src_ip, "10.0.0.0/8")"#, false),
            ("alert.assignee", false), ("alert.missing.deeper", false), ("!alert.assignee", true),
            ("len(alert.techniques) == 2 && alert.techniques[0] == 'T1110' && alert.techniques[-1] == 'T1078'", true),
            ("1 + 2 * 3 == 7", false),  // no `*`: see the error test
            ("duration('1h') == 3600 && duration('90s') == 90", true),
            ("now() - duration('1d') < now()", true),
            ("time('2027-06-01T00:00:00Z') > now() && time('2026-06-01T00:00:00Z') < now()", true),
            ("'it''s' == \"it's\"", true),
            (#"default(alert.assignee, "nobody") == "nobody""#, true),
            (#"join(["a", "b"], "+") == "a+b""#, true),
            ("[1, 2] + [3] == [1, 2, 3]", true),
            ("alert.observables.ip == [\"203.0.113.9\"]", true),
            ("null == alert.assignee && true != false", true),
            ("1 < 2 < 3", false),
        ] as [(String, Bool)])
    func conditions(text: String, expected: Bool) throws {
        if text.contains("*") {
            #expect(throws: PlaybookExpression.ParseError.self) { try PlaybookExpression.parse(text) }
            return
        }
        #expect(PlaybookExpression.truthy(try Self.value(text)) == expected, "\(text)")
    }

    @Test("Templates keep an expression's type when alone and make text otherwise")
    func templates() throws {
        let list = try PlaybookTemplate("${{ steps.related.ids + [alert.id] }}").evaluate(in: Self.scope)
        #expect(list == .array([.int(7), .int(9), .int(42)]))
        let text = try PlaybookTemplate("Block ${{ alert.observables.src_ip }} (${{ steps.related.count }} alerts)")
            .evaluate(in: Self.scope)
        #expect(text == .string("Block 203.0.113.9 (5 alerts)"))
        let braces = try PlaybookTemplate("${{ '}}' + alert.severity }}").evaluate(in: Self.scope)
        #expect(braces == .string("}}high"))
        #expect(try PlaybookTemplate("no expression").isConstant)
        #expect(throws: PlaybookTemplate.ParseError.self) { try PlaybookTemplate("open ${{ alert.id") }
    }

    @Test(
        "Bad expressions fail with the offset of the problem",
        arguments: [
            ("alert.severity >== 'high'", 17), ("alert.", 6), ("(1 + 2", 6), ("'open", 0), ("x = 1", 2),
            ("unknownFunction(1)", 0), ("len(1, 2)", 0), ("a in", 4), ("[1, 2", 5), ("1 2", 2),
        ] as [(String, Int)])
    func parseErrors(text: String, offset: Int) {
        do {
            _ = try PlaybookExpression.parse(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.offset == offset, "\(text): \(error.message)")
        }
    }

    @Test("Evaluation errors name what went wrong; unknown roots are errors, missing fields null")
    func evaluationErrors() throws {
        #expect(throws: PlaybookExpression.EvaluationError.self) { try Self.value("nothing.here") }
        #expect(throws: PlaybookExpression.EvaluationError.self) { try Self.value("alert.techniques - 1") }
        #expect(throws: PlaybookExpression.EvaluationError.self) { try Self.value("cidrMatch('1.2.3.4', 'nope')") }
        #expect(throws: PlaybookExpression.EvaluationError.self) { try Self.value("duration('soon')") }
        #expect(try Self.value("alert.nothing") == .null)
    }

    @Test("A read of a field the context left out is recorded, so the caller can load it and evaluate again")
    func misses() throws {
        let misses = PlaybookExpression.Misses()
        var scope = PlaybookExpression.Scope(
            values: ["alert": .object([JSONMember("severity", .string("low"))])], now: Date(), misses: misses)
        // Short-circuit: the observables are never read.
        _ = try PlaybookExpression.parse(#"alert.severity >= "high" && alert.observables.src_ip == "x""#)
            .evaluate(in: scope)
        #expect(!misses.contains("alert.observables"))
        _ = try PlaybookExpression.parse(#"alert.severity == "low" && alert.observables.src_ip == "x""#)
            .evaluate(in: scope)
        #expect(misses.contains("alert.observables"))
        scope.misses = nil
        #expect(try PlaybookExpression.parse("alert.observables").evaluate(in: scope) == .null)
    }

    /// A small generator: integers in arithmetic and comparisons evaluate as Swift computes them.
    @Test("Arithmetic and comparisons agree with Swift on random integers (property)")
    func arithmeticProperty() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let numbers = (0..<4).map { _ in Int.random(in: 0...1_000, using: &generator) }
            let signs = (0..<3).map { _ in Bool.random(using: &generator) }
            var text = "\(numbers[0])"
            var expected = numbers[0]
            for index in 0..<3 {
                text += signs[index] ? " + \(numbers[index + 1])" : " - \(numbers[index + 1])"
                expected += signs[index] ? numbers[index + 1] : -numbers[index + 1]
            }
            #expect(try Self.value(text) == .int(expected), "\(text)")
            let (a, b) = (numbers[0], numbers[1])
            #expect(try Self.value("\(a) < \(b)") == .bool(a < b))
            #expect(try Self.value("\(a) >= \(b) == !(\(a) < \(b))") == .bool(true))
            #expect(try Self.value("\(a) == \(b) || \(a) != \(b)") == .bool(true))
            #expect(try Self.value("-\(a) + \(a)") == .int(0))
        }
    }

    @Test("Random text never crashes the parser and deep nesting is refused, not recursed into (property)")
    func hostileText() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab1 .,()[]'\"!=<>&|+-in$\\{}")
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...40, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            if let expression = try? PlaybookExpression.parse(text) {
                _ = try? expression.evaluate(in: Self.scope)
            }
            _ = try? PlaybookTemplate("${{ " + text + " }}")
        }
        #expect(throws: PlaybookExpression.ParseError.self) {
            try PlaybookExpression.parse(String(repeating: "(", count: 10_000) + "1")
        }
        #expect(throws: PlaybookExpression.ParseError.self) {
            try PlaybookExpression.parse(String(repeating: "!", count: 10_000) + "1")
        }
        #expect(throws: PlaybookExpression.ParseError.self) {
            try PlaybookExpression.parse(String(repeating: "[", count: 10_000))
        }
    }

    @Test("Five-field cron schedules are due on the minutes they name, in UTC")
    func cron() throws {
        let schedule = try CronSchedule("*/15 8-18 * * mon-fri")
        func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
        #expect(schedule.isDue(date("2026-12-07T08:15:00Z")))  // Monday
        #expect(!schedule.isDue(date("2026-12-07T08:16:00Z")))
        #expect(!schedule.isDue(date("2026-12-06T08:15:00Z")))  // Sunday
        #expect(!schedule.isDue(date("2026-12-07T19:00:00Z")))
        // Both day fields restricted: either matches (Vixie cron).
        let either = try CronSchedule("0 0 1 * sun")
        #expect(either.isDue(date("2026-12-06T00:00:00Z")))  // a Sunday
        #expect(either.isDue(date("2026-12-01T00:00:00Z")))  // the 1st
        #expect(!either.isDue(date("2026-12-02T00:00:00Z")))
        for bad in ["* * * *", "60 * * * *", "*/0 * * * *", "5-1 * * * *", "* * * foo *"] {
            #expect(throws: CronSchedule.ParseError.self) { try CronSchedule(bad) }
        }
    }
}
