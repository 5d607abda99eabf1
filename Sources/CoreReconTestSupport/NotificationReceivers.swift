import CoreRecon
import Foundation

/// A Python program started on loopback for a test, stopped by ``stop()``; its script lives in a temporary
/// directory with whatever it records.
public final class PythonReceiver: @unchecked Sendable {
    public let port: Int
    public let directory: TemporaryDirectory
    let process: Process

    /// Starts `script` with `arguments` (`{port}` and `{dir}` replaced) and waits until `ready` says it listens.
    init(name: String, script: String, arguments: [String], port: Int? = nil, ready: (Int) -> Bool) throws {
        let port = try port ?? LoopbackPort.free()
        self.port = port
        let directory = try TemporaryDirectory()
        self.directory = directory
        try script.write(toFile: directory.path + "/\(name).py", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Packages installed with `pip install --user` (aiosmtpd) live under the real home.
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        process.arguments =
            ["python3", directory.path + "/\(name).py"]
            + arguments.map {
                $0.replacingOccurrences(of: "{port}", with: "\(port)").replacingOccurrences(
                    of: "{dir}", with: directory.path)
            }
        let log = directory.path + "/\(name).log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try CoreReconProcess.spawn(process) { process in
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
        }
        self.process = process
        let deadline = Date() + 30
        while Date() < deadline {
            if ready(port) { return }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        stop()
        throw CoreReconError.unavailable("\(name) did not start on port \(port): \(said.suffix(2_000))")
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit {
        stop()
        directory.remove()
    }
}

/// An HTTP receiver that records every POST (path, headers, body) as a JSON line in `requests.jsonl` and answers
/// 500 to the first `failures` requests of each path, then 200 (Slack and Teams answer `1` and `ok`).
public final class RecordingWebServer: @unchecked Sendable {
    let receiver: PythonReceiver
    public var port: Int { receiver.port }

    /// Listens on `port` (default: a free one).
    public init(failures: Int = 0, port: Int? = nil) throws {
        receiver = try PythonReceiver(
            name: "http_receiver", script: Self.script, arguments: ["{port}", "{dir}", "\(failures)"], port: port,
            ready: LoopbackPort.accepts)
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// One request as recorded.
    public struct Request: Sendable {
        public var path: String
        public var status: Int
        public var headers: [String: String]
        public var body: String
    }

    public var requests: [Request] {
        let text = (try? String(contentsOfFile: receiver.directory.path + "/requests.jsonl", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let value = try? JSONParser.parse(String(line)) else { return nil }
            var headers: [String: String] = [:]
            for member in value[key: "headers"]?.members ?? [] { headers[member.key.lowercased()] = member.value.text }
            return Request(
                path: value[key: "path"]?.text ?? "", status: value[key: "status"]?.int ?? 0, headers: headers,
                body: value[key: "body"]?.text ?? "")
        }
    }

    public func stop() { receiver.stop() }

    static let script = #"""
        import json, sys, threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        port, directory, failures = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
        seen = {}
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace")
                with lock:
                    seen[self.path] = seen.get(self.path, 0) + 1
                    status = 500 if seen[self.path] <= failures else 200
                    with open(directory + "/requests.jsonl", "a") as out:
                        out.write(json.dumps({"path": self.path, "status": status,
                                              "headers": dict(self.headers.items()), "body": body}) + "\n")
                answer = b"ok" if status == 200 else b"try again"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """#
}

/// A real SMTP server from PyPI (aiosmtpd) that requires TLS, by STARTTLS or from the first byte (`implicitTLS`,
/// as on port 465), and AUTH (PLAIN or LOGIN, less `excluding`) with `user` and `password`, saving each accepted
/// message as `N.eml` with the authenticated user and the AUTH mechanism in `N.auth` ("user MECHANISM").
public final class SMTPTestServer: @unchecked Sendable {
    public static let user = "corerecon"
    public static let password = "s3cret-smtp"
    let receiver: PythonReceiver
    public var port: Int { receiver.port }
    /// The server's self-signed certificate, for the client's `caFile`.
    public let certificate: String

    /// Whether aiosmtpd is installed (`python3 -m pip install --user aiosmtpd`).
    public static var isAvailable: Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import aiosmtpd"]
        let errors: Void? = try? CoreReconProcess.spawn(process) { process in
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        guard errors != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// A self-signed certificate for `localhost` and 127.0.0.1, valid for a day.
    public static func makeCertificate(certificate: String, key: String) throws {
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "1", "-keyout", key, "-out", certificate,
        ]
        try CoreReconProcess.spawn(openssl) { process in
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw CoreReconError.unavailable("openssl made no certificate") }
    }

    public init(implicitTLS: Bool = false, excluding mechanisms: [String] = []) throws {
        let keys = try TemporaryDirectory()
        certificate = keys.path + "/cert.pem"
        try Self.makeCertificate(certificate: certificate, key: keys.path + "/key.pem")
        receiver = try PythonReceiver(
            name: "smtp_receiver", script: Self.script,
            arguments: [
                "{port}", "{dir}", certificate, keys.path + "/key.pem", Self.user, Self.password,
                implicitTLS ? "implicit" : "starttls", mechanisms.joined(separator: ","),
            ],
            ready: LoopbackPort.accepts)
    }

    /// The messages received, in order: (authenticated user, message text, AUTH mechanism).
    public var messages: [(user: String, text: String, mechanism: String)] {
        let directory = receiver.directory.path
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".eml") }.sorted { Int($0.dropLast(4)) ?? 0 < Int($1.dropLast(4)) ?? 0 }
        return names.map { name in
            let base = directory + "/" + name.dropLast(4)
            let auth = ((try? String(contentsOfFile: base + ".auth", encoding: .utf8)) ?? "").split(separator: " ")
            return (
                auth.first.map(String.init) ?? "",
                (try? String(contentsOfFile: base + ".eml", encoding: .utf8)) ?? "",
                auth.dropFirst().first.map(String.init) ?? ""
            )
        }
    }

    public func stop() { receiver.stop() }

    static let script = #"""
        import ssl, sys, time
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        port, directory, cert, key, user, password, mode, excluded = sys.argv[1:9]
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        count = [0]

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (auth_data.login.decode() == user and auth_data.password.decode() == password)
            session.corerecon_mechanism = mechanism
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                count[0] += 1
                base = "%s/%d" % (directory, count[0])
                with open(base + ".auth", "w") as out:
                    out.write(session.auth_data.login.decode() if session.auth_data else "")
                    out.write(" " + getattr(session, "corerecon_mechanism", ""))
                with open(base + ".eml", "wb") as out:
                    out.write(envelope.original_content)
                return "250 Message accepted for delivery"

        options = dict(authenticator=authenticator, auth_required=True,
                       auth_exclude_mechanism=[m for m in excluded.split(",") if m])
        if mode == "implicit":
            # TLS from the first byte: the session is encrypted before AUTH, which aiosmtpd's own check
            # (auth_require_tls) only knows of for STARTTLS.
            controller = Controller(Handler(), hostname="127.0.0.1", port=int(port), ssl_context=context,
                                    auth_require_tls=False, **options)
        else:
            controller = Controller(Handler(), hostname="127.0.0.1", port=int(port), tls_context=context,
                                    require_starttls=True, auth_require_tls=True, **options)
        controller.start()
        while True:
            time.sleep(3600)
        """#
}

/// A syslog listener on one port for UDP and TCP (octet-counted frames), and on `tlsPort` for TLS (RFC 5425,
/// with a self-signed certificate for `localhost`), writing each message as a line of `messages.txt` prefixed
/// with the transport.
public final class SyslogListener: @unchecked Sendable {
    let receiver: PythonReceiver
    public var port: Int { receiver.port }
    public let tlsPort: Int
    /// The TLS listener's certificate, for the client's `caFile`.
    public let certificate: String

    public init() throws {
        let keys = try TemporaryDirectory()
        certificate = keys.path + "/cert.pem"
        try SMTPTestServer.makeCertificate(certificate: certificate, key: keys.path + "/key.pem")
        let tlsPort = try LoopbackPort.free()
        self.tlsPort = tlsPort
        receiver = try PythonReceiver(
            name: "syslog_receiver", script: Self.script,
            arguments: ["{port}", "{dir}", "\(tlsPort)", certificate, keys.path + "/key.pem"],
            ready: { LoopbackPort.accepts($0) && LoopbackPort.accepts(tlsPort) })
    }

    public var messages: [String] {
        ((try? String(contentsOfFile: receiver.directory.path + "/messages.txt", encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
    }

    public func stop() { receiver.stop() }

    static let script = #"""
        import socket, socketserver, ssl, sys, threading

        port, directory = int(sys.argv[1]), sys.argv[2]
        lock = threading.Lock()

        def record(transport, data):
            with lock, open(directory + "/messages.txt", "a", encoding="utf-8") as out:
                out.write(transport + " " + data.decode("utf-8", "replace").replace("\n", " ") + "\n")

        class TCP(socketserver.StreamRequestHandler):
            def handle(self):
                buffer = b""
                while True:
                    chunk = self.request.recv(65536)
                    if not chunk:
                        break
                    buffer += chunk
                    while b" " in buffer:
                        length, _, rest = buffer.partition(b" ")
                        if not length.isdigit() or len(rest) < int(length):
                            break
                        record(self.transport, rest[:int(length)])
                        buffer = rest[int(length):]

        class UDP(socketserver.BaseRequestHandler):
            def handle(self):
                record("udp", self.request[0])

        class TLS(TCP):
            transport = "tls"

        TCP.transport = "tcp"

        socketserver.ThreadingUDPServer.allow_reuse_address = True
        udp = socketserver.ThreadingUDPServer(("127.0.0.1", port), UDP)
        threading.Thread(target=udp.serve_forever, daemon=True).start()
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        tls_port, cert, key = int(sys.argv[3]), sys.argv[4], sys.argv[5]
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        secure = socketserver.ThreadingTCPServer(("127.0.0.1", tls_port), TLS)
        secure.socket = context.wrap_socket(secure.socket, server_side=True)
        threading.Thread(target=secure.serve_forever, daemon=True).start()
        socketserver.ThreadingTCPServer(("127.0.0.1", port), TCP).serve_forever()
        """#
}

/// An HTTP receiver whose first POST never gets an answer (the request is counted, then the handler sleeps), and
/// whose later ones get 200: a step that hangs until its runner is killed, then succeeds when retried.
public final class StallingWebServer: @unchecked Sendable {
    let receiver: PythonReceiver
    public var port: Int { receiver.port }

    public init() throws {
        receiver = try PythonReceiver(
            name: "stalling_receiver", script: Self.script, arguments: ["{port}", "{dir}"], ready: LoopbackPort.accepts)
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// How many POSTs arrived (the stalled one included).
    public var received: Int {
        let text = (try? String(contentsOfFile: receiver.directory.path + "/received", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").count
    }

    public func stop() { receiver.stop() }

    static let script = #"""
        import sys, threading, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        port, directory = int(sys.argv[1]), sys.argv[2]
        lock = threading.Lock()
        count = [0]

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with lock:
                    count[0] += 1
                    first = count[0] == 1
                    with open(directory + "/received", "a") as out:
                        out.write(self.path + "\n")
                if first:
                    time.sleep(3600)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """#
}
