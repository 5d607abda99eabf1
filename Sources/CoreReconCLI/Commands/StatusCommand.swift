import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

/// `corerecon status`: which side the commands would work against here, and whether it answers.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Say whether commands here work on a database or over a server's API, and whether it answers.",
        discussion: """
            For a server: its address and what chose it (--server, CORERECON_SERVER, a context or server.url), \
            the corerecon and API version it runs, whether it is ready (GET /readyz, exit 69 when it is not or \
            does not answer), and who the commands act as (the stored sign-in and when its access token \
            expires, or CORERECON_TOKEN). For a database: its location and what chose it (`migrate status` \
            tells its schema).
            """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var members: [JSONMember] = []
        var answers = true
        do {
            let config = try global.loadConfig()
            if let (target, origin) = try global.remoteTarget(config: config) {
                members += [
                    JSONMember("mode", .string("server")), JSONMember("server", .string(target.server)),
                    JSONMember("chosenBy", .string(origin)),
                ]
                if let caFile = target.caFile { members.append(JSONMember("caFile", .string(caFile))) }
                if let client = target.clientCertificate {
                    members.append(JSONMember("clientCertificate", .string(client.certificate)))
                }
                let store = CredentialStore(environment: environment)
                if target.token != nil {
                    members.append(JSONMember("credentials", .string("CORERECON_TOKEN")))
                } else if let credential = try store.credential(for: target.server) {
                    members += [
                        JSONMember("credentials", .string(store.path)), JSONMember("user", .string(credential.user)),
                        JSONMember("role", .string(credential.role)),
                        JSONMember("accessTokenExpires", .string(ISO8601Format.string(from: credential.expiresAt))),
                    ]
                } else {
                    members.append(JSONMember("credentials", .null))
                }
                do {
                    let response = try await APIClient.with(target, store: store, notice: { Terminal.printError($0) }) {
                        client in try await client.send(.GET, "/readyz", signed: false, accepting: [503])
                    }
                    members += [
                        JSONMember(
                            "serverVersion", .string(response.headers.first(name: APIClient.versionHeader) ?? "unknown")
                        ),
                        JSONMember(
                            "apiVersion", .string(response.headers.first(name: APIClient.apiVersionHeader) ?? "unknown")
                        ),
                        JSONMember("ready", .bool(response.status == 200)),
                    ]
                    answers = response.status == 200
                } catch let error as CoreReconError {
                    members += [JSONMember("ready", .bool(false)), JSONMember("error", .string("\(error)"))]
                    answers = false
                }
            } else {
                members += [
                    JSONMember("mode", .string("database")),
                    JSONMember("database", .string(config.database.description)),
                    JSONMember("chosenBy", .string(Self.databaseOrigin(global, config, environment))),
                ]
            }
        } catch let error as CoreReconError {
            Terminal.printError("error: \(error)")
            throw ExitCode(error.exitCode)
        }
        if global.format.isForPeople {
            for member in members {
                print("\(member.key): \(member.value.text ?? (member.value.isNull ? "none" : member.value.jsonString))")
            }
        } else {
            print(JSONValue.object(members).jsonString)
        }
        if !answers { throw ExitCode(69) }
    }

    static func databaseOrigin(_ global: GlobalOptions, _ config: AppConfig, _ environment: [String: String]) -> String
    {
        if global.databaseURL != nil { return "--database-url" }
        if let url = environment["CORERECON_DATABASE_URL"], !url.isEmpty { return "CORERECON_DATABASE_URL" }
        return config.isDefaultDatabase ? "the default" : "database.url"
    }
}
