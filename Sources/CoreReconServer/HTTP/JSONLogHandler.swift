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
        LogWriter.standardError.write(line(for: event, at: Date()))
    }

    /// The line `event` is logged as, newline included.
    func line(for event: LogEvent, at time: Date) -> [UInt8] {
        // Written straight into bytes: the access log writes a line for every request, so no tree of values, no
        // merged dictionary and no Foundation date formatter on its way.
        var entries = metadata.map { ($0.key, $0.value) }
        if let extra = event.metadata {
            for (key, value) in extra {
                if let index = entries.firstIndex(where: { $0.0 == key }) {
                    entries[index].1 = value
                } else {
                    entries.append((key, value))
                }
            }
        }
        entries.sort { $0.0 < $1.0 }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        bytes.append(contentsOf: #"{"time":"#.utf8)
        JSONValue.writeString(ISO8601Format.string(from: time), to: &bytes)
        bytes.append(contentsOf: #","level":"#.utf8)
        JSONValue.writeString(event.level.rawValue, to: &bytes)
        bytes.append(contentsOf: #","logger":"#.utf8)
        JSONValue.writeString(label, to: &bytes)
        bytes.append(contentsOf: #","message":"#.utf8)
        JSONValue.writeString(event.message.description, to: &bytes)
        for (key, value) in entries {
            bytes.append(UInt8(ascii: ","))
            JSONValue.writeString(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            Self.json(value).write(to: &bytes)
        }
        bytes.append(contentsOf: "}\n".utf8)
        return bytes
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let value):
            // The common numbers first: a cast to a concrete type is cheap; one to `any Numeric` looks the
            // conformance up.
            if let number = value as? Int {
                .number(String(number))
            } else if let number = value as? Double {
                .number(number.isFinite ? "\(number)" : "null")
            } else if let number = value as? any Numeric {
                .number("\(number)")
            } else {
                .string(value.description)
            }
        case .array(let values): .array(values.map(json))
        case .dictionary(let values):
            .object(values.sorted { $0.key < $1.key }.map { JSONMember($0.key, json($0.value)) })
        }
    }
}
