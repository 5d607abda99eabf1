import CoreRecon
import Foundation
import Testing

@Suite("Business calendars and SLA configuration")
struct BusinessCalendarTests {
    // swift-format-ignore: NeverForceUnwrap
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    static func office(holidays: Set<String> = []) -> BusinessCalendar {
        BusinessCalendar(
            name: "office", timeZone: berlin, workingDays: [2, 3, 4, 5, 6], opens: 9 * 60, closes: 17 * 60,
            holidays: holidays)
    }

    /// A local wall-clock time in Berlin.
    // swift-format-ignore: NeverForceUnwrap
    static func local(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = berlin
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    @Test("A 4-hour goal started Friday 16:00 ends Monday 12:00; nights and weekends do not count")
    func weekend() {
        let calendar = Self.office()
        let start = Self.local("2026-12-04 16:00")  // a Friday
        #expect(calendar.adding(4 * 3_600, to: start) == Self.local("2026-12-07 12:00"))
        #expect(calendar.workingSeconds(from: start, to: Self.local("2026-12-07 12:00")) == 4 * 3_600)
        // Started outside working hours: the clock begins at the next opening.
        #expect(calendar.adding(3_600, to: Self.local("2026-12-05 10:00")) == Self.local("2026-12-07 10:00"))
        #expect(calendar.adding(3_600, to: Self.local("2026-12-07 07:30")) == Self.local("2026-12-07 10:00"))
    }

    @Test("Working hours keep their wall-clock times across both daylight-saving changes")
    func daylightSaving() {
        let calendar = Self.office()
        // Spring forward in the night to Sunday 2026-03-29: Friday 16:00 + 2 h is Monday 10:00 local (CEST).
        let spring = calendar.adding(2 * 3_600, to: Self.local("2026-03-27 16:00"))
        #expect(spring == Self.local("2026-03-30 10:00"))
        #expect(ISO8601Format.string(from: spring) == "2026-03-30T08:00:00.000Z")
        // Fall back in the night to Sunday 2026-10-25: Friday 16:00 + 2 h is Monday 10:00 local (CET).
        let autumn = calendar.adding(2 * 3_600, to: Self.local("2026-10-23 16:00"))
        #expect(ISO8601Format.string(from: autumn) == "2026-10-26T09:00:00.000Z")
        // A 24x7 goal across the change counts real elapsed time: the 23-hour Sunday is 23 hours.
        let always = BusinessCalendar(
            name: "berlin-24x7", timeZone: Self.berlin, workingDays: Set(1...7), opens: 0, closes: 1_440,
            holidays: ["2026-12-25"])
        #expect(
            always.workingSeconds(from: Self.local("2026-03-29 00:00"), to: Self.local("2026-03-30 00:00")) == 23
                * 3_600)
        #expect(
            always.workingSeconds(from: Self.local("2026-10-25 00:00"), to: Self.local("2026-10-26 00:00")) == 25
                * 3_600)
    }

    @Test("Holidays are skipped whole, and working time between two moments is the inverse of adding")
    func holidays() {
        let calendar = Self.office(holidays: ["2026-12-24", "2026-12-25"])
        // Wednesday 23rd, 16:00 + 3 h: one hour that day, then Thursday and Friday are holidays, Monday 11:00.
        let end = calendar.adding(3 * 3_600, to: Self.local("2026-12-23 16:00"))
        #expect(end == Self.local("2026-12-28 11:00"))
        #expect(calendar.workingSeconds(from: Self.local("2026-12-23 16:00"), to: end) == 3 * 3_600)
        #expect(calendar.workingSeconds(from: end, to: Self.local("2026-12-23 16:00")) == -3 * 3_600)
    }

    @Test("iCalendar holidays: all-day events, multi-day events, yearly rules; errors name the file and line")
    func iCalendar() throws {
        let text = """
            BEGIN:VCALENDAR\r
            VERSION:2.0\r
            BEGIN:VEVENT\r
            SUMMARY:Christmas\r
            DTSTART;VALUE=DATE:20261224\r
            DTEND;VALUE=DATE:20261227\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            SUMMARY:New Year\r
            DTSTART;VALUE=DATE:20270101\r
            RRULE:FREQ=YEARLY;COUNT=3\r
            END:VEVENT\r
            END:VCALENDAR\r

            """
        let days = try ICalendarHolidays.parse(text, location: "holidays.ics")
        #expect(days == ["2026-12-24", "2026-12-25", "2026-12-26", "2027-01-01", "2028-01-01", "2029-01-01"])
        #expect(
            throws: CoreReconError.invalidInput(location: "h.ics:3", reason: "DTSTART 'soon' is not a date (YYYYMMDD).")
        ) {
            try ICalendarHolidays.parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:soon\nEND:VEVENT\n", location: "h.ics")
        }
        #expect(throws: CoreReconError.self) { try ICalendarHolidays.parse("not a calendar", location: "h.ics") }
    }

    static func load(_ yaml: String, files: [String: String] = [:]) throws -> AppConfig {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, content) in files {
            try content.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        try yaml.write(toFile: directory + "/config.yaml", atomically: true, encoding: .utf8)
        return try AppConfig.load(
            AppConfig.Sources(environment: [:], configPath: directory + "/config.yaml", currentDirectory: directory))
    }

    @Test("Policies, calendars and channels are read from the config file; the first matching policy applies")
    func configuration() throws {
        let config = try Self.load(
            """
            sla:
              atRisk: 75%
              calendars:
                office:
                  timeZone: Europe/Berlin
                  days: [mon, tue, wed, thu, fri]
                  hours: "08:30-18:00"
                  holidays: [2026-12-31, holidays.ics]
              policies:
                - name: critical
                  target: alert
                  severity: [critical]
                  acknowledge: 15m
                  resolve: 4h
                  onBreach: {raiseSeverity: critical, reassign: [ana, ben], escalate: true, notify: [soc]}
                - name: ransomware
                  target: incident
                  type: ransomware
                  acknowledge: 30m
                  contain: 2h
                  calendar: office
            notify:
              channels:
                soc: {type: slack, urlEnv: SLACK_URL}
              rules:
                - on: [sla.breached, alert.created]
                  minSeverity: high
                  channels: [soc]
                  throttle: 10m
                  throttleKey: source
                - on: alert.created
                  tactic: [Credential Access, TA0002, TA0108]
                  channels: [soc]
            """,
            files: [
                "holidays.ics":
                    "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261225\nEND:VEVENT\nEND:VCALENDAR\n"
            ])
        #expect(config.sla.atRiskShare == 0.75)
        #expect(config.sla.calendars["office"]?.holidays == ["2026-12-31", "2026-12-25"])
        #expect(config.sla.calendars["office"]?.opens == 510)
        let critical = config.sla.policy(for: .alert, severity: .critical, source: "elastic", type: nil)
        #expect(critical?.name == "critical" && critical?.goals[.acknowledge] == 900)
        #expect(critical?.onBreach.nextAssignee(after: "ana") == "ben")
        #expect(critical?.onBreach.nextAssignee(after: "ben") == "ana")
        #expect(critical?.onBreach.nextAssignee(after: nil) == "ana")
        #expect(config.sla.policy(for: .alert, severity: .high, source: nil, type: nil) == nil)
        #expect(
            config.sla.policy(for: .incident, severity: .low, source: nil, type: "ransomware")?.goals[.contain] == 7_200
        )
        #expect(config.notify.rules.first?.throttle == .seconds(600))
        #expect(config.notify.rules.last?.tactics == ["credential access", "ta0002", "ta0108"])
        #expect(config.notify.channels["soc"]?.url == .environment("SLACK_URL"))
    }

    @Test(
        "A bad SLA or notification setting is refused naming the file, line and setting",
        arguments: [
            (
                "sla:\n  policies:\n    - target: alert\n      acknowledge: soon\n",
                ":4: sla.policies[1].acknowledge: 'soon' is not a duration"
            ),
            ("sla:\n  policies:\n    - target: alert\n", ":3: sla.policies[1]: a policy needs at least one goal"),
            (
                "sla:\n  calendars:\n    office:\n      timeZone: Mars/Olympus\n",
                ":4: sla.calendars.office.timeZone: 'Mars/Olympus' is not an IANA time zone"
            ),
            (
                "sla:\n  policies:\n    - target: alert\n      resolve: 1h\n      calendar: office\n",
                "no calendar named 'office'"
            ),
            ("sla:\n  policies:\n    - target: alert\n      contain: 1h\n", "alerts are not contained"),
            ("sla:\n  polices: []\n", "unknown setting 'polices'"),
            ("notify:\n  rules:\n    - on: alert.created\n      channels: [nowhere]\n", "no channel named 'nowhere'"),
            (
                "notify:\n  channels:\n    x: {type: pager}\n",
                "`type:` must be one of webhook, slack, teams, email, syslog"
            ),
            (
                "sla:\n  policies:\n    - target: alert\n      resolve: 1h\n      onBreach: {notify: [nowhere]}\n",
                "notifies 'nowhere'"
            ),
            (
                "notify:\n  channels:\n    x: {type: slack, urlEnv: X}\n  rules:\n    - on: alert.created\n"
                    + "      tactic: [credential-acess]\n      channels: [x]\n",
                ":6: notify.rules[1].tactic: 'credential-acess' is not an ATT&CK tactic"
            ),
        ])
    func badSettings(yaml: String, expected: String) throws {
        do {
            _ = try Self.load(yaml)
            Issue.record("accepted: \(yaml)")
        } catch let error as CoreReconError {
            guard case .configuration(let message) = error else {
                Issue.record("not a configuration error: \(error)")
                return
            }
            #expect(message.contains(expected), "\(message)")
            #expect(message.contains("config.yaml"), "\(message)")
        }
    }
}
