import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

/// `corerecon notify`: notification channels and the outbox.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Notification channels, the outbox, dead letters.",
        discussion: """
            Channels (notify.channels in the config file: webhook, slack, teams, email, syslog) are named once; \
            rules (notify.rules) route events to them: sla.breached, sla.at_risk, alert.created, alert.updated, \
            alert.ioc_matched, incident.created, incident.updated (state changes), with conditions (minSeverity, \
            source, tactic) and throttling (at most one message per key per interval; the rest are summarised).

            Each notification is written to an outbox in the same transaction as the event that caused it, \
            delivered after commit, and retried with exponential backoff; after notify.maxAttempts it is a dead \
            letter (`notify list --failed`, `notify retry ID`). `serve`, `sla sweep` and `notify flush` deliver. \
            Over the API (an admin's), the server's channels send: `notify test` and `flush` happen there.
            """,
        subcommands: [Channels.self, Test.self, List.self, Retry.self, Flush.self]
    )
}

extension NotifyCommand {
    struct Channels: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "channels",
            abstract: "List the channels with their last success and failure.")
        @OptionGroup var global: GlobalOptions

        func run(with services: any CommandServices, output: Output) async throws {
            try output.render(
                try await services.notificationOperations.channels(),
                columns: [
                    Column("name") { $0.name }, Column("type") { $0.type },
                    Column("target", maxWidth: 40) { $0.target },
                    Column("pending") { "\($0.pending)" }, Column("failed") { "\($0.failed)" },
                    Column("last success", time: { $0.lastSuccess }), Column("last failure", time: { $0.lastFailure }),
                    Column("last error", maxWidth: 50) { $0.lastError ?? "-" },
                ], emptyMessage: "No notification channels; define them under notify.channels in the config file.")
        }
    }

    struct Test: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Send a test message to a channel now and print the receiver's answer.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The channel name.") var channel: String

        func run(with services: any CommandServices, output: Output) async throws {
            let answer = try await services.notificationOperations.test(channel)
            if global.format.isForPeople {
                print("\(channel): \(answer)")
            } else {
                struct Result: Encodable {
                    var channel: String
                    var answer: String
                }
                output.writeJSON(Result(channel: channel, answer: answer))
            }
        }
    }

    struct List: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List notifications, newest first.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Only dead letters (every attempt failed).") var failed = false
        @Flag(help: "Only those waiting for delivery or a retry.") var pending = false
        @Option(help: "Only this channel.") var channel: String?
        @Option(help: "Most notifications to list.") var limit = 50

        func validate() throws {
            guard !(failed && pending) else { throw ValidationError("--failed and --pending exclude each other.") }
            guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be 1...100000.") }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let state = failed ? "failed" : pending ? "pending" : nil
            try output.render(
                try await services.notificationOperations.list(state: state, channel: channel, limit: limit),
                columns: [
                    Column("id") { "\($0.id)" }, Column("channel") { $0.channel }, Column("event") { $0.eventType },
                    Column("state") { $0.state }, Column("attempts") { "\($0.attempts)" },
                    Column("created", time: { $0.createdAt }),
                    Column("subject", maxWidth: 60) { $0.subject },
                    Column("last error / answer", maxWidth: 50) { $0.lastError ?? $0.response ?? "-" },
                ], emptyMessage: failed ? "No dead letters." : "No notifications.")
        }
    }

    struct Retry: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry",
            abstract: "Queue dead letters again for a new round of attempts, and deliver what is due.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("Notification ids, or - to read them from stdin.", valueName: "id"))
        var ids: [String]

        func run(with services: any CommandServices, output: Output) async throws {
            var numbers: [Int64] = []
            var texts: [String] = []
            for id in ids {
                if id == "-" {
                    while let line = readLine() {
                        let trimmed = line.trimmingCharacters(in: .whitespaces)
                        if !trimmed.isEmpty { texts.append(trimmed) }
                    }
                } else {
                    texts.append(id)
                }
            }
            for text in texts {
                guard let number = Int64(text) else {
                    throw CoreReconError.invalidInput(location: "id", reason: "'\(text)' is not a notification id.")
                }
                numbers.append(number)
            }
            let report = try await services.notificationOperations.retry(numbers)
            notice(
                "\(numbers.count) queued again; \(report.delivered) delivered, \(report.retrying) to retry, \(report.failed) failed"
            )
        }
    }

    struct Flush: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "flush",
            abstract: "Route new events and deliver every due notification now (for cron without `serve`).",
            discussion: """
                Prints how many notifications were queued, delivered, left to retry and failed for good; exits 1 \
                when one became a dead letter (see `notify list --failed`).
                """)
        @OptionGroup var global: GlobalOptions

        func run(with services: any CommandServices, output: Output) async throws {
            let (queued, report) = try await services.notificationOperations.flush()
            if global.format.isForPeople {
                print(
                    "\(queued) queued, \(report.delivered) delivered, \(report.retrying) to retry, \(report.failed) failed"
                )
            } else {
                struct Result: Encodable {
                    var queued: Int
                    var delivered: Int
                    var retrying: Int
                    var failed: Int
                }
                output.writeJSON(
                    Result(
                        queued: queued, delivered: report.delivered, retrying: report.retrying, failed: report.failed))
            }
            if report.failed > 0 { throw ExitCode(1) }
        }
    }
}
