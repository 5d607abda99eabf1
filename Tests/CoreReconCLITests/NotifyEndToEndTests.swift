import CoreRecon
import CoreReconStore
import CoreReconTestSupport
import Crypto
import Foundation
import Testing

@Suite("SLA sweeps and notifications end to end, with real receivers")
struct NotifyEndToEndTests {
    static let secret = "hook-secret-0123456789"
    static let smtpReason: Comment =
        "aiosmtpd is not installed (python3 -m pip install --user aiosmtpd): mail delivery was not tested"
    /// Under CI a missing server is a failure, not a skip.
    static let canRunSMTP = SMTPTestServer.isAvailable || ProcessInfo.processInfo.environment["CI"] != nil

    /// Three high-severity Suricata alerts (priority 1) and one low one.
    static let alerts =
        (1...4).map { flow in
            #"{"timestamp":"2026-11-20T10:00:00.000000+0000","flow_id":\#(flow),"event_type":"alert","src_ip":"203.0.113.\#(flow)","src_port":4904,"dest_ip":"10.0.0.5","dest_port":22,"proto":"TCP","alert":{"signature_id":\#(2_100_000 + flow),"signature":"SSH brute force \#(flow)","category":"Attempted Administrator Privilege Gain","severity":\#(flow == 4 ? 3 : 1)}}"#
        }.joined(separator: "\n") + "\n"

    static func config(web: RecordingWebServer, extra: String = "") -> String {
        """
        sla:
          interval: 1s
          policies:
            - name: urgent
              target: alert
              severity: [high, critical]
              acknowledge: 2s
              resolve: 1h
              onBreach:
                notify: [hook]
        notify:
          retryDelay: 1s
          maxAttempts: 5
          channels:
            hook:
              type: webhook
              url: \(web.url("/hook"))
              secretEnv: HOOK_SECRET
            slack:
              type: slack
              urlEnv: SLACK_URL
            teams:
              type: teams
              url: \(web.url("/teams"))
          rules:
            - name: breaches
              on: [sla.breached]
              minSeverity: high
              channels: [slack, teams]
        \(extra)
        """
    }

    @Test(
        "Two sweeps and a server at once: one breach record and one notification per breach and channel; a receiver that fails twice gets each exactly once",
        .timeLimit(.minutes(5)), arguments: TestDatabases.backends)
    func sweepsBesideServer(backend: DatabaseBackend) async throws {
        try await TestDatabases.withEmptyDatabase(backend) { config in
            try await Self.sweepsBesideServer(databaseURL: TestDatabases.url(config))
        }
    }

    static func sweepsBesideServer(databaseURL: String) async throws {
        let web = try RecordingWebServer(failures: 2)
        defer { web.stop() }
        let cli = try CoreReconProcess(environment: [
            "CORERECON_DATABASE_URL": databaseURL, "CORERECON_DATABASE_AUTO_MIGRATE": "true",
            "CORERECON_JWT_SECRET": String(repeating: "k", count: 40), "HOOK_SECRET": secret,
            "SLACK_URL": web.url("/slack"),
        ])
        defer { cli.remove() }
        let configPath = cli.home.path + "/corerecon.yaml"
        try Self.config(web: web).write(toFile: configPath, atomically: true, encoding: .utf8)
        let ingest = try await offPool { try cli.run(["ingest", "--config", configPath, "-"], input: alerts) }
        #expect(ingest.exitCode == 0, "\(ingest.stderr)")
        let status = try await offPool { try cli.run(["sla", "status", "--config", configPath, "--format", "json"]) }
        #expect(try JSONParser.parse(status.stdout).arrayValue?.count == 6, "\(status.stdout)")

        let (server, _, _, _) = try cli.startServer(["--config", configPath])
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        try await Task.sleep(for: .milliseconds(2_200))
        async let first = offPool { try cli.run(["sla", "sweep", "--config", configPath, "--format", "json"]) }
        async let second = offPool { try cli.run(["sla", "sweep", "--config", configPath, "--format", "json"]) }
        let sweeps = try await [first, second]
        for sweep in sweeps { #expect([0, 3].contains(sweep.exitCode), "\(sweep.stderr)") }
        let recorded = try sweeps.flatMap { try JSONParser.parse($0.stdout).arrayValue ?? [] }

        // Wait for every delivery: 3 breaches × 3 channels; two first attempts at each path fail.
        let deadline = Date() + 60
        func delivered() -> [RecordingWebServer.Request] { web.requests.filter { $0.status == 200 } }
        while delivered().count < 9 && Date() < deadline { try await Task.sleep(for: .milliseconds(200)) }
        try await Task.sleep(for: .seconds(3))  // time for a duplicate to show up, if there were one
        let ok = delivered()
        #expect(ok.count == 9, "\(web.requests.map { "\($0.path) \($0.status)" })")
        for path in ["/hook", "/slack", "/teams"] {
            let here = ok.filter { $0.path == path }
            #expect(here.count == 3, "\(path): \(here.count) accepted")
            #expect(Set(here.compactMap { $0.headers["x-corerecon-delivery"] }).count == 3)
            #expect(web.requests.filter { $0.path == path && $0.status == 500 }.count == 2)
        }
        // The sweeps and the server recorded the three breaches between them, once each.
        let breachedBySweeps = recorded.filter { $0[key: "record"]?.text == "breached" }.count
        #expect(breachedBySweeps <= 3)
        let history = try await offPool {
            try (1...3).map { try cli.run(["alert", "history", "\($0)", "--config", configPath, "--format", "json"]) }
        }
        for entry in history {
            let actions = (try JSONParser.parse(entry.stdout).arrayValue ?? []).compactMap { $0[key: "action"]?.text }
            #expect(actions.filter { $0 == "sla.breached" }.count == 1, "\(actions)")
        }
        let dead = try await offPool { try cli.run(["notify", "list", "--failed", "--config", configPath]) }
        #expect(dead.stdout.isEmpty, "\(dead.stdout)")

        // The webhook is signed as CoreRecon's own webhooks are: t=UNIX,v1=HMAC-SHA256(secret, "t.body").
        for request in ok where request.path == "/hook" {
            let header = try #require(request.headers["x-corerecon-signature"])
            let parts = Dictionary(
                uniqueKeysWithValues: header.split(separator: ",").map {
                    let pair = $0.split(separator: "=", maxSplits: 1)
                    return (String(pair[0]), String(pair[1]))
                })
            let mac = HMAC<SHA256>.authenticationCode(
                for: Array(((parts["t"] ?? "") + "." + request.body).utf8),
                using: SymmetricKey(data: Array(secret.utf8)))
            #expect(parts["v1"] == Hex.encode(mac))
            let body = try JSONParser.parse(request.body)
            #expect(body[key: "type"]?.text == "sla.breached")
            #expect(body[key: "event"]?[key: "alert"]?[key: "sla"]?[key: "metric"]?.text == "acknowledge")
        }
        // Slack: Block Kit with a header, a section of fields and a fallback text.
        for request in ok where request.path == "/slack" {
            let body = try JSONParser.parse(request.body)
            #expect(body[key: "text"]?.text?.contains("SLA breached") == true)
            let blocks = body[key: "blocks"]?.arrayValue ?? []
            #expect(blocks.compactMap { $0[key: "type"]?.text } == ["header", "section", "context"])
            #expect(blocks[0][key: "text"]?[key: "type"]?.text == "plain_text")
            #expect((blocks[0][key: "text"]?[key: "text"]?.text?.count ?? 999) <= 150)
            let fields = blocks[1][key: "fields"]?.arrayValue ?? []
            #expect(!fields.isEmpty && fields.count <= 10)
            #expect(fields.allSatisfy { $0[key: "type"]?.text == "mrkdwn" })
        }
        // Teams: a message with one Adaptive Card attachment.
        for request in ok where request.path == "/teams" {
            let body = try JSONParser.parse(request.body)
            #expect(body[key: "type"]?.text == "message")
            let attachment = body[key: "attachments"]?.arrayValue?.first
            #expect(attachment?[key: "contentType"]?.text == "application/vnd.microsoft.card.adaptive")
            let card = attachment?[key: "content"]
            #expect(card?[key: "type"]?.text == "AdaptiveCard" && card?[key: "version"]?.text == "1.4")
            #expect(card?[key: "body"]?.arrayValue?.compactMap { $0[key: "type"]?.text } == ["TextBlock", "FactSet"])
        }
    }

    @Test(
        "Mail over implicit TLS (smtps://) with AUTH PLAIN, and over STARTTLS with AUTH LOGIN; the password from a file",
        .timeLimit(.minutes(3)), .enabled(if: canRunSMTP, smtpReason))
    func mailMechanisms() async throws {
        // Started off the cooperative pool: each waits, blocking, for its server to listen.
        let implicit = try await offPool { try SMTPTestServer(implicitTLS: true, excluding: ["LOGIN"]) }
        defer { implicit.stop() }
        let starttls = try await offPool { try SMTPTestServer(excluding: ["PLAIN"]) }
        defer { starttls.stop() }
        let cli = try CoreReconProcess()
        defer { cli.remove() }
        let secret = cli.home.path + "/smtp-password"
        try "\(SMTPTestServer.password)\n".write(toFile: secret, atomically: true, encoding: .utf8)
        let configPath = cli.home.path + "/corerecon.yaml"
        try """
        notify:
          channels:
            smtps:
              type: email
              smtp: smtps://127.0.0.1:\(implicit.port)
              username: \(SMTPTestServer.user)
              passwordFile: \(secret)
              caFile: \(implicit.certificate)
              from: corerecon@soc.example
              to: oncall@soc.example
            starttls:
              type: email
              smtp: smtp://127.0.0.1:\(starttls.port)
              starttls: true
              username: \(SMTPTestServer.user)
              passwordFile: \(secret)
              caFile: \(starttls.certificate)
              from: corerecon@soc.example
              to: oncall@soc.example
            plaintext:
              type: email
              smtp: smtp://127.0.0.1:\(implicit.port)
              username: \(SMTPTestServer.user)
              passwordFile: \(secret)
              from: corerecon@soc.example
              to: oncall@soc.example
              timeout: 2s
        """.write(toFile: configPath, atomically: true, encoding: .utf8)

        for (channel, server, mechanism) in [("smtps", implicit, "PLAIN"), ("starttls", starttls, "LOGIN")] {
            let test = try await offPool { try cli.run(["notify", "test", channel, "--config", configPath]) }
            #expect(test.exitCode == 0 && test.stdout.contains("SMTP 250"), "\(channel): \(test.stdout) \(test.stderr)")
            let mails = server.messages
            #expect(mails.count == 1, "\(channel)")
            #expect(mails.first?.user == SMTPTestServer.user && mails.first?.mechanism == mechanism, "\(channel)")
            #expect(mails.first?.text.contains("Subject: [CoreRecon]") == true)
            #expect(!test.stdout.contains(SMTPTestServer.password) && !test.stderr.contains(SMTPTestServer.password))
        }
        // Plain SMTP to a port that speaks TLS from the first byte fails, in words, and sends nothing.
        let wrong = try await offPool { try cli.run(["notify", "test", "plaintext", "--config", configPath]) }
        #expect(wrong.exitCode == 69 && wrong.stderr.contains("plaintext: SMTP"), "\(wrong.stderr)")
        #expect(implicit.messages.count == 1)
    }

    @Test(
        "Mail over SMTP with STARTTLS and AUTH (aiosmtpd), syslog over UDP and TCP, and a dead letter retried",
        .timeLimit(.minutes(3)), .enabled(if: canRunSMTP, smtpReason))
    func channels() async throws {
        let smtp = try await offPool { try SMTPTestServer() }
        defer { smtp.stop() }
        let syslog = try await offPool { try SyslogListener() }
        defer { syslog.stop() }
        let web = try RecordingWebServer(failures: 1_000)
        defer { web.stop() }
        let cli = try CoreReconProcess(environment: ["SMTP_PASSWORD": SMTPTestServer.password])
        defer { cli.remove() }
        let configPath = cli.home.path + "/corerecon.yaml"
        try """
        notify:
          maxAttempts: 2
          retryDelay: 1s
          channels:
            mail:
              type: email
              smtp: smtp://127.0.0.1:\(smtp.port)
              starttls: true
              username: \(SMTPTestServer.user)
              passwordEnv: SMTP_PASSWORD
              caFile: \(smtp.certificate)
              from: corerecon@soc.example
              to: [oncall@soc.example, lead@soc.example]
            wrongpass:
              type: email
              smtp: smtp://127.0.0.1:\(smtp.port)
              username: \(SMTPTestServer.user)
              password: not-it
              caFile: \(smtp.certificate)
              from: corerecon@soc.example
              to: oncall@soc.example
            udp: {type: syslog, address: "udp://127.0.0.1:\(syslog.port)"}
            tcp: {type: syslog, address: "tcp://127.0.0.1:\(syslog.port)"}
            tls: {type: syslog, address: "tls://localhost:\(syslog.tlsPort)", caFile: "\(syslog.certificate)"}
            untrusted: {type: syslog, address: "tls://localhost:\(syslog.tlsPort)"}
            down: {type: webhook, url: "\(web.url("/down"))"}
          rules:
            - on: alert.created
              minSeverity: high
              channels: [mail, udp, tcp, down]
              throttle: 1h
        """.write(toFile: configPath, atomically: true, encoding: .utf8)

        let test = try await offPool { try cli.run(["notify", "test", "mail", "--config", configPath]) }
        #expect(test.exitCode == 0, "\(test.stderr)")
        #expect(test.stdout.contains("SMTP 250"), "\(test.stdout)")
        let refused = try await offPool { try cli.run(["notify", "test", "wrongpass", "--config", configPath]) }
        #expect(refused.exitCode == 69 && refused.stderr.contains("wrongpass: SMTP 535"), "\(refused.stderr)")

        // Four alerts, three of them high: the throttle lets one message a channel through.
        let ingest = try await offPool { try cli.run(["ingest", "--config", configPath, "-"], input: Self.alerts) }
        #expect(ingest.exitCode == 0, "\(ingest.stderr)")
        var flush = try await offPool { try cli.run(["notify", "flush", "--config", configPath, "--format", "json"]) }
        #expect(try JSONParser.parse(flush.stdout)[key: "delivered"]?.int == 3, "\(flush.stdout) \(flush.stderr)")
        let mails = smtp.messages
        #expect(mails.count == 2, "the test message and one alert")
        let mail = try #require(mails.last)
        #expect(mail.user == SMTPTestServer.user && ["PLAIN", "LOGIN"].contains(mail.mechanism), "\(mail.mechanism)")
        #expect(mail.text.contains("Subject: [CoreRecon] New alert"))
        #expect(mail.text.contains("To: oncall@soc.example, lead@soc.example"))
        #expect(mail.text.contains("multipart/alternative") && mail.text.contains("text/html"))
        // TLS (RFC 5425): the listener's certificate trusted through caFile; without it the handshake fails.
        let tls = try await offPool { try cli.run(["notify", "test", "tls", "--config", configPath]) }
        #expect(tls.exitCode == 0 && tls.stdout.contains("sent over tls"), "\(tls.stdout) \(tls.stderr)")
        let untrusted = try await offPool { try cli.run(["notify", "test", "untrusted", "--config", configPath]) }
        #expect(untrusted.exitCode == 69, "\(untrusted.stdout) \(untrusted.stderr)")
        var lines = syslog.messages
        let waitForTLS = Date() + 5
        while !lines.contains(where: { $0.hasPrefix("tls <") }) && Date() < waitForTLS {
            try await Task.sleep(for: .milliseconds(100))
            lines = syslog.messages
        }
        #expect(lines.filter { $0.hasPrefix("tls <") }.count == 1, "\(lines)")
        #expect(lines.filter { $0.hasPrefix("udp <") }.count == 1 && lines.filter { $0.hasPrefix("tcp <") }.count == 1)
        // RFC 5424: <PRI>1 TIMESTAMP HOST APP - MSGID [SD] MSG; authpriv (10) × 8 + error (3) for high.
        let udp = lines.first { $0.hasPrefix("udp <") } ?? ""
        #expect(udp.contains("<83>1 ") && udp.contains("corerecon - alert.created [corerecon@32473"), "\(udp)")

        // The webhook never accepts: after maxAttempts it is a dead letter, which `notify retry` queues again.
        try await Task.sleep(for: .milliseconds(1_200))
        flush = try await offPool { try cli.run(["notify", "flush", "--config", configPath, "--format", "json"]) }
        let failedNow = try JSONParser.parse(flush.stdout)[key: "failed"]?.int
        #expect(flush.exitCode == 1 && failedNow == 1, "\(flush.stdout)")
        let failed = try await offPool {
            try cli.run(["notify", "list", "--failed", "--config", configPath, "--format", "json"])
        }
        let letters = try JSONParser.parse(failed.stdout).arrayValue ?? []
        #expect(letters.count == 1 && letters.first?[key: "channel"]?.text == "down")
        #expect(letters.first?[key: "attempts"]?.int == 2)
        let id = try #require(letters.first?[key: "id"]?.int)
        let retry = try await offPool { try cli.run(["notify", "retry", "\(id)", "--config", configPath]) }
        #expect(retry.exitCode == 0, "\(retry.stderr)")
        #expect(web.requests.filter { $0.path == "/down" }.count == 3)
        let channels = try await offPool {
            try cli.run(["notify", "channels", "--config", configPath, "--format", "json"])
        }
        let down = (try JSONParser.parse(channels.stdout).arrayValue ?? []).first { $0[key: "name"]?.text == "down" }
        #expect(down?[key: "lastError"]?.text?.contains("HTTP 500") == true)
        let mailChannel = (try JSONParser.parse(channels.stdout).arrayValue ?? []).first {
            $0[key: "name"]?.text == "mail"
        }
        #expect(mailChannel?[key: "lastSuccess"]?.text != nil, "\(channels.stdout)")
        #expect(!channels.stdout.contains("not-it"), "a secret was printed")
    }

    @Test(
        "A notification outlives a killed server: queued while the receiver is down, delivered once by the next flush",
        .timeLimit(.minutes(4)))
    func killedServer() async throws {
        let port = try LoopbackPort.free()
        let cli = try CoreReconProcess(environment: ["CORERECON_JWT_SECRET": String(repeating: "k", count: 40)])
        defer { cli.remove() }
        let configPath = cli.home.path + "/corerecon.yaml"
        try """
        notify:
          retryDelay: 1s
          channels:
            hook: {type: webhook, url: "http://127.0.0.1:\(port)/hook", timeout: 1s}
          rules:
            - {on: [alert.created], minSeverity: high, channels: [hook]}
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
        let migrated = try await offPool { try cli.run(["migrate", "--config", configPath, "-q"]) }
        #expect(migrated.exitCode == 0, "\(migrated.stderr)")
        let (server, _, _, _) = try cli.startServer(["--config", configPath])
        let ingest = try await offPool {
            try cli.run(["ingest", "--config", configPath, "-"], input: Self.alerts.components(separatedBy: "\n")[0])
        }
        #expect(ingest.exitCode == 0, "\(ingest.stderr)")
        // The server routes the event and fails to deliver: nothing listens.
        var attempts = 0
        let deadline = Date() + 30
        while attempts == 0 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(200))
            let list = try await offPool {
                try cli.run(["notify", "list", "--config", configPath, "--format", "json"])
            }
            attempts = (try? JSONParser.parse(list.stdout))?.arrayValue?.first?[key: "attempts"]?.int ?? 0
        }
        #expect(attempts >= 1)
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()

        let web = try RecordingWebServer(port: port)
        defer { web.stop() }
        // Flushes until the retry time the server set has come: then exactly one delivery. A server killed in the
        // middle of an attempt leaves the notification claimed until the claim expires (twice the channel's
        // timeout plus 30 s, so that no two processes send it at once): 32 s here, hence the 45-s bound.
        var delivered = 0
        var lastFlush = ""
        let retryDeadline = Date() + 45
        while delivered == 0 && Date() < retryDeadline {
            let flush = try await offPool {
                try cli.run(["notify", "flush", "--config", configPath, "--format", "json"])
            }
            lastFlush = "exit \(flush.exitCode): \(flush.stdout) \(flush.stderr)"
            delivered = (try? JSONParser.parse(flush.stdout))?[key: "delivered"]?.int ?? 0
            if delivered == 0 { try await Task.sleep(for: .milliseconds(500)) }
        }
        #expect(delivered == 1, "the last flush: \(lastFlush)")
        let again = try await offPool { try cli.run(["notify", "flush", "--config", configPath, "--format", "json"]) }
        #expect(try JSONParser.parse(again.stdout)[key: "delivered"]?.int == 0)
        #expect(web.requests.count == 1)
        #expect(try JSONParser.parse(web.requests.first?.body ?? "")[key: "type"]?.text == "alert.created")
    }
}
