/// Splits a syslog byte stream (TCP or TLS) into messages, as RFC 6587 frames them, deciding per frame:
///
/// - **Octet counting** (§3.4.1, and RFC 5425 for TLS): `LEN SP MSG`, where LEN is 1 to 10 digits, not
///   starting with 0. A message starts with `<` (its priority), so a frame that starts with digits and a space
///   can only be counted.
/// - **Non-transparent framing** (§3.4.2): the message runs to a line feed (or a NUL, as some senders use); one
///   carriage return before it is dropped.
///
/// Memory is bounded: the decoder never holds more than `maximumMessageSize` plus a frame header plus the bytes of
/// one read, whatever the stream sends. A longer message is skipped (its bytes are read and thrown away, the stream stays in step) and
/// reported as ``Frame/oversized(_:)``.
public struct SyslogFrameDecoder: Sendable {
    public enum Frame: Sendable, Equatable {
        /// One message, without its frame (length, trailer).
        case message([UInt8])
        /// A message over the limit, dropped; its length (for a line, at least this long).
        case oversized(Int)
    }

    public let maximumMessageSize: Int
    private var buffer: [UInt8] = []
    /// Where unread bytes start in `buffer`.
    private var start = 0
    /// Bytes of an oversized counted frame still to throw away.
    private var skipping = 0
    /// Throwing a line away up to its line feed.
    private var discardingLine = false

    public init(maximumMessageSize: Int) {
        self.maximumMessageSize = max(1, maximumMessageSize)
    }

    /// The longest frame header: 10 digits and a space.
    public static let headerLength = 11

    /// The frames `bytes` complete, in order.
    public mutating func feed<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [Frame] {
        var frames: [Frame] = []
        var input = bytes[...]
        // Skipped bytes never enter the buffer.
        if skipping > 0 {
            let skipped = min(skipping, input.count)
            skipping -= skipped
            input = input.dropFirst(skipped)
        }
        buffer.append(contentsOf: input)
        while start < buffer.count {
            if skipping > 0 {
                let skipped = min(skipping, buffer.count - start)
                skipping -= skipped
                start += skipped
                continue
            }
            if discardingLine {
                if let end = trailer(from: start) {
                    start = end + 1
                    discardingLine = false
                    continue
                }
                start = buffer.count
                break
            }
            let first = buffer[start]
            // Trailers between frames (a counted frame followed by a line feed) are no messages.
            if first == 0x0A || first == 0x0D || first == 0x00 {
                start += 1
                continue
            }
            if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first) {
                switch countedFrame() {
                case .needMore: break
                case .frame(let frame):
                    frames.append(frame)
                    continue
                case .notCounted:
                    if let frame = lineFrame() {
                        frames.append(frame)
                        continue
                    }
                }
            } else if let frame = lineFrame() {
                frames.append(frame)
                continue
            }
            // Whatever is left is the start of a frame still to come.
            break
        }
        compact()
        return frames
    }

    /// At the end of the stream: a last line with no trailer is a message (senders often end that way). A counted
    /// frame cut short is not: its length says it is incomplete, so it is dropped and its bytes counted.
    public mutating func finish() -> (frame: Frame?, incompleteBytes: Int) {
        defer {
            buffer = []
            start = 0
            skipping = 0
            discardingLine = false
        }
        guard !discardingLine, skipping == 0, start < buffer.count else { return (nil, 0) }
        let rest = buffer[start...]
        if case .counted = Self.shape(rest.prefix(Self.headerLength)) { return (nil, rest.count) }
        var message = rest
        if message.last == 0x0D { message = message.dropLast() }
        guard !message.isEmpty else { return (nil, 0) }
        return (Self.frame(Array(message), limit: maximumMessageSize), 0)
    }

    /// Bytes held for frames still incomplete.
    public var bufferedBytes: Int { buffer.count - start }

    // MARK: - Framing

    private enum Counted {
        case needMore
        case frame(Frame)
        case notCounted
    }

    private enum Shape {
        case counted(length: Int, headerLength: Int)
        case undecided
        case line
    }

    /// Whether `bytes` start with a count: digits (the first not 0) and a space.
    private static func shape<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Shape where Bytes.Index == Int {
        var length = 0
        var digits = 0
        for byte in bytes {
            if byte == 0x20, digits > 0 { return .counted(length: length, headerLength: digits + 1) }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), digits < 10, !(digits == 0 && byte == 0x30)
            else { return .line }
            length = length * 10 + Int(byte - 0x30)
            digits += 1
        }
        return .undecided
    }

    private mutating func countedFrame() -> Counted {
        switch Self.shape(buffer[start..<min(buffer.count, start + Self.headerLength)]) {
        case .undecided: return .needMore
        case .line: return .notCounted
        case .counted(let length, let headerLength):
            let body = start + headerLength
            if length > maximumMessageSize {
                start = body
                skipping = length
                return .frame(.oversized(length))
            }
            guard buffer.count - body >= length else { return .needMore }
            let message = Array(buffer[body..<body + length])
            start = body + length
            return .frame(.message(Self.trimmed(message)))
        }
    }

    private mutating func lineFrame() -> Frame? {
        if let end = trailer(from: start) {
            var message = buffer[start..<end]
            start = end + 1
            if message.last == 0x0D { message = message.dropLast() }
            return Self.frame(Array(message), limit: maximumMessageSize)
        }
        // One byte more than a message may be its carriage return.
        if buffer.count - start > maximumMessageSize + 1 {
            let length = buffer.count - start
            start = buffer.count
            discardingLine = true
            return .oversized(length)
        }
        return nil
    }

    /// The index of the next line feed or NUL at or after `index`.
    private func trailer(from index: Int) -> Int? {
        buffer[index...].firstIndex { $0 == 0x0A || $0 == 0x00 }
    }

    private static func frame(_ message: [UInt8], limit: Int) -> Frame {
        message.count > limit ? .oversized(message.count) : .message(message)
    }

    /// A counted message without the line feed some senders add inside the count.
    private static func trimmed(_ message: [UInt8]) -> [UInt8] {
        var end = message.count
        while end > 0, message[end - 1] == 0x0A || message[end - 1] == 0x0D || message[end - 1] == 0x00 { end -= 1 }
        return end == message.count ? message : Array(message[..<end])
    }

    private mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 2 * (maximumMessageSize + Self.headerLength))
            start = 0
        } else if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }
}

/// One datagram's message (RFC 5426: a datagram holds one message), without a trailing line feed, NUL or
/// carriage return.
public func syslogDatagramMessage(_ bytes: [UInt8]) -> [UInt8] {
    var end = bytes.count
    while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D || bytes[end - 1] == 0x00 { end -= 1 }
    return end == bytes.count ? bytes : Array(bytes[..<end])
}
