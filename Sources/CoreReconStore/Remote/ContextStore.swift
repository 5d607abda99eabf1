import CoreRecon
import Foundation
import Yams

/// Named servers, as kubectl keeps clusters: `$XDG_CONFIG_HOME/corerecon/contexts.yaml`, written by
/// `corerecon context`. The current one is used when neither --server nor CORERECON_SERVER nor a database URL in
/// the environment says otherwise.
public struct ContextStore: Sendable {
    public struct Context: Codable, Equatable, Sendable {
        public var server: String
        public var caFile: String?
        /// A client certificate and its key, for a server that asks for one.
        public var clientCert: String?
        public var clientKey: String?

        public init(server: String, caFile: String?, clientCert: String? = nil, clientKey: String? = nil) {
            self.server = server
            self.caFile = caFile
            self.clientCert = clientCert
            self.clientKey = clientKey
        }
    }

    public struct File: Codable, Equatable, Sendable {
        public var current: String?
        public var contexts: [String: Context] = [:]
    }

    public let path: String

    public init(environment: [String: String]) {
        path = AppConfig.directory(environment: environment) + "/contexts.yaml"
    }

    public func load() throws(CoreReconError) -> File {
        guard let data = FileManager.default.contents(atPath: path) else { return File() }
        do {
            return try YAMLDecoder().decode(File.self, from: String(decoding: data, as: UTF8.self))
        } catch {
            throw .configuration("\(path) is not a contexts file corerecon wrote: \(error)")
        }
    }

    public func save(_ file: File) throws(CoreReconError) {
        do {
            let text = try YAMLEncoder().encode(file)
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .failed("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// The current context, if one is chosen.
    public func current() throws(CoreReconError) -> (String, Context)? {
        let file = try load()
        guard let name = file.current else { return nil }
        guard let context = file.contexts[name] else {
            throw .configuration("the current context '\(name)' is not in \(path); run `corerecon context use NAME`")
        }
        return (name, context)
    }
}
