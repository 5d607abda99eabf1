import ArgumentParser
import CoreRecon
import CoreReconStore
import Foundation

/// `corerecon login`: signs in to a server with a password and keeps the tokens for the commands that follow.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in to a corerecon server; later commands work over its API.",
        discussion: """
            Asks the server for tokens with the OAuth2 password grant (POST /api/v1/auth/token) and keeps them \
            in $XDG_CONFIG_HOME/corerecon/credentials.yaml (mode 0600; a file others may read is refused). The \
            access token is renewed with the refresh token shortly before it expires and once when the server \
            refuses it. The password is asked on the terminal, or read from stdin with --password-stdin. The \
            server is --server, else CORERECON_SERVER, else the current context, else server.url. \
            CORERECON_TOKEN (an API key or access token) is used instead of a sign-in, for CI.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The user to sign in as (default: the login name, or CORERECON_USER).") var user: String?
    @Flag(help: "Read the password from the first line of stdin instead of asking.") var passwordStdin = false

    func run() async throws {
        do {
            let config = try global.loadConfig()
            guard let (target, _) = try global.remoteTarget(config: config) else {
                throw CoreReconError.configuration(
                    "name the server: corerecon login --server https://soc.example:8443 (or `corerecon context use`)")
            }
            let name = Actor.resolve(user)
            let password = try readPassword(user: name, server: target.server)
            let store = CredentialStore(environment: ProcessInfo.processInfo.environment)
            var unsigned = target
            unsigned.token = nil
            let credential = try await APIClient.with(unsigned, store: store, notice: { Terminal.printError($0) }) {
                client in try await client.signIn(user: name, password: password)
            }
            try store.save(credential, for: target.server)
            if !global.quiet {
                Terminal.printError("signed in to \(target.server) as \(credential.user) (role \(credential.role))")
            }
        } catch let error as CoreReconError {
            Terminal.printError("error: \(error)")
            throw ExitCode(error.exitCode)
        }
    }

    func readPassword(user: String, server: String) throws(CoreReconError) -> String {
        if passwordStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw .invalidInput(location: "stdin", reason: "no password on the first line")
            }
            return line
        }
        guard Terminal.isTerminal(.standardInput) else {
            throw .configuration("stdin is not a terminal: give the password with --password-stdin")
        }
        Terminal.printError("Password for \(user) at \(server): ", newline: false)
        var settings = termios()
        tcgetattr(STDIN_FILENO, &settings)
        var silent = settings
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        let line = readLine(strippingNewline: true)
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        Terminal.printError("")
        guard let line, !line.isEmpty else { throw .invalidInput(location: nil, reason: "no password given") }
        return line
    }
}

/// `corerecon logout`: revokes the sign-in on the server and forgets it here.
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Sign out of a corerecon server: revoke the sign-in there and delete its tokens here.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        do {
            let config = try global.loadConfig()
            guard let (target, _) = try global.remoteTarget(config: config) else {
                throw CoreReconError.configuration("name the server: corerecon logout --server URL")
            }
            let store = CredentialStore(environment: ProcessInfo.processInfo.environment)
            guard let credential = try store.credential(for: target.server) else {
                if !global.quiet { Terminal.printError("not signed in to \(target.server)") }
                return
            }
            do {
                var unsigned = target
                unsigned.token = nil
                try await APIClient.with(unsigned, store: store, notice: { Terminal.printError($0) }) { client in
                    try await client.revoke(refreshToken: credential.refreshToken)
                }
            } catch let error as CoreReconError {
                // The tokens go from this machine either way; the refresh token then expires on the server.
                Terminal.printError("warning: the server did not revoke the sign-in: \(error)")
            }
            try store.save(nil, for: target.server)
            if !global.quiet { Terminal.printError("signed out of \(target.server)") }
        } catch let error as CoreReconError {
            Terminal.printError("error: \(error)")
            throw ExitCode(error.exitCode)
        }
    }
}

/// `corerecon context`: named servers to switch between.
struct ContextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "Name servers and choose the one commands work against (as kubectl contexts).",
        discussion: """
            Contexts live in $XDG_CONFIG_HOME/corerecon/contexts.yaml. With a current context, every command but \
            serve, migrate and the local-only ones works over that server's API, unless --server, \
            --database-url, CORERECON_SERVER or CORERECON_DATABASE_URL says otherwise. `context use --none` goes \
            back to the database.
            """,
        subcommands: [Add.self, Use.self, List.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add (or replace) a named server.")
        @Argument(help: "The context's name.") var name: String
        @Option(help: ArgumentHelp("The server's address.", valueName: "url")) var server: String
        @Option(
            name: .customLong("ca-file"), help: ArgumentHelp("PEM certificates to trust for it.", valueName: "path"),
            completion: .file(extensions: ["pem", "crt"]))
        var caFile: String?
        @Option(
            name: .customLong("client-cert"),
            help: ArgumentHelp("PEM client certificate, for a server that asks for one.", valueName: "path"),
            completion: .file(extensions: ["pem", "crt"]))
        var clientCertificate: String?
        @Option(
            name: .customLong("client-key"), help: ArgumentHelp("PEM private key of --client-cert.", valueName: "path"),
            completion: .file(extensions: ["pem", "key"]))
        var clientKey: String?
        @Flag(help: "Make it the current context too.") var use = false

        func validate() throws {
            guard (clientCertificate == nil) == (clientKey == nil) else {
                throw ValidationError("--client-cert and --client-key go together.")
            }
        }

        func run() async throws {
            try ContextCommand.edit { file throws(CoreReconError) in
                let target = try RemoteTarget(server: server, caFile: caFile)
                // Stored as absolute paths: the context is used from any directory.
                func absolute(_ path: String?) -> String? {
                    path.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
                }
                file.contexts[name] = .init(
                    server: target.server, caFile: absolute(caFile), clientCert: absolute(clientCertificate),
                    clientKey: absolute(clientKey))
                if use { file.current = name }
            }
        }
    }

    struct Use: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "use", abstract: "Choose the context commands work against.")
        @Argument(help: "The context's name.") var name: String?
        @Flag(help: "No context: commands use the database.") var none = false

        func validate() throws {
            guard (name != nil) != none else { throw ValidationError("give a context's name or --none") }
        }

        func run() async throws {
            try ContextCommand.edit { file throws(CoreReconError) in
                if let name {
                    guard file.contexts[name] != nil else {
                        throw .notFound(kind: "context", id: name)
                    }
                }
                file.current = name
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the contexts; * marks the current one.")
        @Option(help: "Output format: table, json.") var format: OutputFormat = .table

        func run() async throws {
            let file: ContextStore.File
            do {
                file = try ContextStore(environment: ProcessInfo.processInfo.environment).load()
            } catch {
                Terminal.printError("error: \(error)")
                throw ExitCode(error.exitCode)
            }
            let names = file.contexts.keys
            if format.isForPeople {
                guard !names.isEmpty else {
                    Terminal.printError("No contexts; add one with `corerecon context add NAME --server URL`.")
                    return
                }
                for (name, context) in file.contexts.sorted(by: { $0.key < $1.key }) {
                    print("\(name == file.current ? "*" : " ") \(name)\t\(context.server)")
                }
            } else {
                let objects = file.contexts.sorted(by: { $0.key < $1.key }).map { name, context in
                    JSONValue.object([
                        JSONMember("name", .string(name)),
                        JSONMember("server", .string(context.server)),
                        JSONMember("caFile", context.caFile.map(JSONValue.string) ?? .null),
                        JSONMember("clientCert", context.clientCert.map(JSONValue.string) ?? .null),
                        JSONMember("clientKey", context.clientKey.map(JSONValue.string) ?? .null),
                        JSONMember("current", .bool(name == file.current)),
                    ])
                }
                print(JSONValue.array(objects).jsonString)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Remove a context (its sign-in stays until logout).")
        @Argument(help: "The context's name.") var name: String

        func run() async throws {
            try ContextCommand.edit { file throws(CoreReconError) in
                guard file.contexts.removeValue(forKey: name) != nil else { throw .notFound(kind: "context", id: name) }
                if file.current == name { file.current = nil }
            }
        }
    }

    static func edit(_ change: (inout ContextStore.File) throws(CoreReconError) -> Void) throws {
        do {
            let store = ContextStore(environment: ProcessInfo.processInfo.environment)
            var file = try store.load()
            try change(&file)
            try store.save(file)
        } catch {
            Terminal.printError("error: \(error)")
            throw ExitCode(error.exitCode)
        }
    }
}
