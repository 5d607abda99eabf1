import CoreRecon
import Foundation
import Logging

/// Writes each log record as one JSON object on a line of stderr: `time`, `level`, `logger`, `message` and the
/// metadata as members, for log shippers. Lines go through ``LogWriter``, off the request's path.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var members: [JSONMember] = [
            JSONMember("time", .string(ISO8601Format.string(from: Date()))),
            JSONMember("level", .string(event.level.rawValue)), JSONMember("logger", .string(label)),
            JSONMember("message", .string(event.message.description)),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            members.append(JSONMember(key, Self.json(value)))
        }
        var bytes: [UInt8] = []
        JSONValue.object(members).write(to: &bytes)
        bytes.append(0x0A)
        LogWriter.standardError.write(bytes)
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let value):
            if let number = value as? any Numeric { .number("\(number)") } else { .string(value.description) }
        case .array(let values): .array(values.map(json))
        case .dictionary(let values):
            .object(values.sorted { $0.key < $1.key }.map { JSONMember($0.key, json($0.value)) })
        }
    }
}
