import CoreRecon
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import Synchronization

/// Events over the server's WebSocket stream (`GET /api/v1/stream`). A dropped connection is resumed after the
/// last cursor seen (`since=`), so no event is lost or repeated while the server keeps it, waiting 1, 2, 4 ... up to
/// 30 seconds between attempts and saying so on stderr.
public struct RemoteEvents: EventFollowing {
    let client: APIClient

    public init(client: APIClient) { self.client = client }

    /// What one connection left behind: the last cursor handled, and whether `handle` asked to stop.
    final class Progress: Sendable {
        let state: Mutex<(last: Int64?, done: Bool)>
        init(_ last: Int64?) { state = Mutex((last, false)) }
    }

    public func follow(
        _ filter: StreamFilter, after cursor: Int64?, handle: @escaping @Sendable (String, Int64) async throws -> Bool
    ) async throws {
        // An ordinary request first: a refused sign-in or role is said as every command says it, not as a failed
        // upgrade.
        _ = try await client.send(.GET, "/api/v1/stream", query: filter.queryParameters, accepting: [426])
        let progress = Progress(cursor)
        var wait = 1
        while true {
            var query = filter.queryParameters
            let resumedAfter = progress.state.withLock { $0.last }
            if let resumedAfter { query.append(("since", String(resumedAfter))) }
            var configuration = WebSocketClientConfiguration()
            if let token = try await client.session.authorization(using: client) {
                configuration.additionalHeaders[.authorization] = "Bearer \(token)"
            }
            if let name = HTTPField.Name(APIClient.apiVersionHeader) {
                configuration.additionalHeaders[name] = APIClient.apiVersion
            }
            let url = Self.webSocketURL(client.target.server) + "/api/v1/stream" + APIClient.encode(query)
            var problem = "the server closed it"
            do {
                let close = try await WebSocketClient.connect(
                    url: url, configuration: configuration, tlsConfiguration: client.tls,
                    logger: Logger(label: "corerecon.stream") { _ in SwiftLogNoOpLogHandler() }
                ) { inbound, outbound, _ in
                    for try await message in inbound.messages(maxSize: 16 << 20) {
                        guard case .text(let text) = message, let object = try? JSONParser.parse(text),
                            let cursor = object[key: "cursor"]?.text.flatMap({ Int64($0) })
                        else { continue }
                        let goOn = try await handle(text, cursor)
                        progress.state.withLock { $0.last = cursor }
                        if !goOn {
                            progress.state.withLock { $0.done = true }
                            try await outbound.close(.normalClosure, reason: nil)
                            return
                        }
                    }
                }
                if let reason = close?.reason, !reason.isEmpty { problem = "the server closed it: \(reason)" }
            } catch let error as CoreReconError {
                throw error
            } catch  where "\(error)".contains("cannotUseIPAddressInSNI") {
                // The WebSocket client names the host in TLS (SNI), which an IP address cannot be.
                throw CoreReconError.configuration(
                    "the stream of \(client.target.server) over TLS needs the server's host name, not an IP address; "
                        + "give the address as https://NAME:PORT, with NAME in its certificate")
            } catch  where APIClient.isTLS(error) {
                // The ordinary request above got through, so this is not one to wait out.
                throw CoreReconError.unavailable(
                    "cannot reach \(client.target.server) over TLS: "
                        + APIClient.describe(tlsError: error, target: client.target))
            } catch {
                problem = APIClient.describe(connectionError: error)
            }
            if progress.state.withLock({ $0.done }) { return }
            // A connection that delivered events was a good one: the next wait starts short again.
            if progress.state.withLock({ $0.last }) != resumedAfter { wait = 1 }
            let from = progress.state.withLock { $0.last }.map { " after cursor \($0)" } ?? ""
            client.notice("lost the stream of \(client.target.server) (\(problem)); reconnecting in \(wait) s\(from)")
            try await Task.sleep(for: .seconds(wait))
            wait = min(wait * 2, 30)
        }
    }

    /// `ws://` for `http://`, `wss://` for `https://`.
    static func webSocketURL(_ server: String) -> String {
        if server.hasPrefix("https://") { return "wss://" + server.dropFirst("https://".count) }
        if server.hasPrefix("http://") { return "ws://" + server.dropFirst("http://".count) }
        return server
    }
}
