import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

/// `corerecon user`: people who sign in to the API.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage API users (OAuth2 password sign-in).",
        discussion: """
            Roles: admin (everything), lead (triage, incidents, ingest), analyst (triage, incidents), viewer (read \
            only), ingest (webhooks and POST /ingest only). Passwords are hashed with bcrypt; give them on a \
            terminal prompt or with --password-stdin, never as an argument.
            """,
        subcommands: [Add.self, List.self, Disable.self, Enable.self, Passwd.self]
    )

    static let columns: [Column<User>] = [
        Column("name") { $0.name }, Column("role") { $0.role.rawValue },
        Column("status") { $0.isDisabled ? "disabled" : "active" },
        Column("created", time: { $0.createdAt }),
    ]

    /// Reads a password from stdin (first line) or asks for it twice on the terminal without echo.
    static func readPassword(fromStdin: Bool) throws -> String {
        if fromStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw CoreReconError.invalidInput(location: "stdin", reason: "no password on the first line.")
            }
            return line
        }
        try requirePasswordSource(fromStdin: false)
        guard let first = getpass("Password: ").map({ String(cString: $0) }),
            let second = getpass("Again: ").map({ String(cString: $0) })
        else { throw CoreReconError.failed("cannot read the password.") }
        guard first == second else {
            throw CoreReconError.invalidInput(location: "password", reason: "the two differ.")
        }
        return first
    }

    /// Without --password-stdin the password is asked for on the terminal; without a terminal that cannot work.
    /// Checked in `validate()`, so the usage printed with the error is the subcommand's.
    static func requirePasswordSource(fromStdin: Bool) throws {
        guard fromStdin || Terminal.isTerminal(.standardInput) else {
            throw ValidationError("stdin is not a terminal: pass --password-stdin and pipe the password in.")
        }
    }
}

/// `--role` for users and keys.
func parseRole(_ text: String) throws -> Role {
    guard let role = Role(rawValue: text) else {
        throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
    }
    return role
}

extension UserCommand {
    struct Add: RemoteCapableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a user.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name.") var name: String
        @Option(help: ArgumentHelp("admin, lead, analyst, viewer or ingest.", valueName: "role")) var role: String
        @Flag(help: "Read the password from the first line of stdin.") var passwordStdin = false
        @OptionGroup var actor: ActorOption

        func validate() throws {
            _ = try parseRole(role)
            try UserCommand.requirePasswordSource(fromStdin: passwordStdin)
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let password = try UserCommand.readPassword(fromStdin: passwordStdin)
            let user = try await services.accounts.addUser(
                name: name, role: try parseRole(role), password: password, by: try services.actor(actor.actor))
            try output.render([user], columns: UserCommand.columns)
        }
    }

    struct List: RemoteCapableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List users.")
        @OptionGroup var global: GlobalOptions

        func run(with services: any CommandServices, output: Output) async throws {
            try output.render(
                try await services.accounts.users(), columns: UserCommand.columns, emptyMessage: "No users.")
        }
    }

    struct Disable: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Disable a user: no more sign-ins, and every refresh token of theirs is revoked.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name.") var name: String
        @OptionGroup var actor: ActorOption

        func run(with services: any CommandServices, output: Output) async throws {
            try await services.accounts.setDisabled(name, true, by: try services.actor(actor.actor))
            notice("Disabled \(name).")
        }
    }

    struct Enable: RemoteCapableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a disabled user.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name.") var name: String
        @OptionGroup var actor: ActorOption

        func run(with services: any CommandServices, output: Output) async throws {
            try await services.accounts.setDisabled(name, false, by: try services.actor(actor.actor))
            notice("Enabled \(name).")
        }
    }

    struct Passwd: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "passwd",
            abstract: "Set a user's password (signs them out everywhere).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name.") var name: String
        @Flag(help: "Read the password from the first line of stdin.") var passwordStdin = false
        @OptionGroup var actor: ActorOption

        func validate() throws { try UserCommand.requirePasswordSource(fromStdin: passwordStdin) }

        func run(with services: any CommandServices, output: Output) async throws {
            try await services.accounts.setPassword(
                name, try UserCommand.readPassword(fromStdin: passwordStdin), by: try services.actor(actor.actor))
            notice("Password of \(name) changed.")
        }
    }
}

/// `corerecon token`: API keys for SIEMs, CI jobs and scripts.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage API keys (sent as `Authorization: Bearer KEY`).",
        discussion: """
            `token create` prints the key once, on stdout; only its SHA-256 is stored. Give SIEM webhooks and \
            CI jobs keys with the ingest role.
            """,
        subcommands: [Create.self, List.self, Revoke.self]
    )
}

extension TokenCommand {
    struct Create: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create an API key and print it once.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "A name for the key (the SIEM or job that uses it).") var name: String
        @Option(help: ArgumentHelp("admin, lead, analyst, viewer or ingest.", valueName: "role")) var role: String
        @Option(help: ArgumentHelp("Lifetime: 90d, 12h, ... (default: no expiry).", valueName: "duration"))
        var expires: String?
        @OptionGroup var actor: ActorOption

        func validate() throws {
            _ = try parseRole(role)
            if let expires, AppConfig.parseDuration(expires) == nil {
                throw ValidationError("--expires must be a duration such as 90d or 12h.")
            }
        }

        func run(with services: any CommandServices, output: Output) async throws {
            let (secret, key) = try await services.accounts.createAPIKey(
                name: name, role: try parseRole(role), expiresIn: expires.flatMap(AppConfig.parseDuration),
                createdBy: try services.actor(actor.actor))
            if global.format.isForPeople {
                print(secret)
                notice(
                    "Store this key now: it is not shown again. Expires: \(key.expiresAt.map(ISO8601Format.forPeople) ?? "never")."
                )
            } else {
                struct Created: Encodable {
                    var key: String
                    var name: String
                    var role: String
                    var expiresAt: Date?
                }
                output.writeJSON(
                    Created(key: secret, name: key.name, role: key.role.rawValue, expiresAt: key.expiresAt))
            }
        }
    }

    struct List: RemoteCapableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List API keys (never the keys themselves).")
        @OptionGroup var global: GlobalOptions

        func run(with services: any CommandServices, output: Output) async throws {
            try output.render(
                try await services.accounts.apiKeys(),
                columns: [
                    Column("name") { $0.name }, Column("role") { $0.role.rawValue }, Column("key") { $0.prefix + "…" },
                    Column("status") { key in
                        key.revokedAt != nil ? "revoked" : (key.isUsable(at: Date()) ? "active" : "expired")
                    },
                    Column("expires", time: { $0.expiresAt }), Column("last used", time: { $0.lastUsedAt }),
                    Column("created by") { $0.createdBy },
                ], emptyMessage: "No API keys.")
        }
    }

    struct Revoke: RemoteCapableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an API key by name.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key's name.") var name: String
        @OptionGroup var actor: ActorOption

        func run(with services: any CommandServices, output: Output) async throws {
            try await services.accounts.revokeAPIKey(named: name, by: try services.actor(actor.actor))
            notice("Revoked \(name).")
        }
    }
}
