/// Splits a byte stream into JSON records without parsing them: NDJSON lines, concatenated or pretty-printed
/// objects, and the elements of top-level arrays all come out as one record each, with the line it starts on.
/// A line that starts with no JSON value (a CEF or LEEF event, a syslog line) is one record to its end.
///
/// Memory stays bounded by the largest record, whatever the stream's size. In NDJSON input (first record on one
/// line) a newline always ends a record, so one truncated line costs that line only.
public struct RecordSplitter: Sendable {
    /// One record's bytes and the 1-based line where it starts.
    public struct Record: Sendable {
        public var bytes: [UInt8]
        public var line: Int
        /// Set when the splitter had to cut the record short (a newline inside an NDJSON record, a record
        /// over the size limit); the parser will then report what is wrong with it.
        public var isTruncated: Bool
    }

    /// Records larger than this are cut off and reported rather than buffered without bound.
    public let maximumRecordSize: Int

    private var pending: [UInt8] = []
    /// Index in `pending` where scanning resumes.
    private var scanIndex = 0
    private var line = 1
    private var isAtStreamStart = true

    private var inRecord = false
    private var recordStart = 0
    private var recordLine = 1
    private var recordHasNewline = false
    private var recordIsScalar = false
    /// The record is a line of text, not JSON: it ends at the newline.
    private var recordIsLine = false
    private var depth = 0
    private var inString = false
    private var escaped = false

    private var inTopLevelArray = false
    /// After an oversized record: skip to the end of its line, even across chunks.
    private var isSkippingLine = false
    /// Decided by the first record: true when it fit on one line.
    private var isLineDelimited: Bool?

    public init(maximumRecordSize: Int = 64 << 20) {
        self.maximumRecordSize = maximumRecordSize
    }

    /// Adds bytes and returns the records they complete.
    public mutating func feed(_ chunk: some Collection<UInt8>) -> [Record] {
        pending.append(contentsOf: chunk)
        var records: [Record] = []
        scan(into: &records, isFinal: false)
        compact()
        return records
    }

    /// Ends the stream and returns what is left as a last (possibly incomplete) record.
    public mutating func finish() -> [Record] {
        var records: [Record] = []
        scan(into: &records, isFinal: true)
        if inRecord {
            emit(upTo: pending.count, truncated: !recordIsScalar && !recordIsLine, into: &records)
        }
        pending.removeAll()
        scanIndex = 0
        return records
    }

    private mutating func compact() {
        let keepFrom = inRecord ? recordStart : scanIndex
        guard keepFrom > 0 else { return }
        pending.removeFirst(keepFrom)
        scanIndex -= keepFrom
        if inRecord { recordStart = 0 }
    }

    private mutating func emit(upTo end: Int, truncated: Bool, into records: inout [Record]) {
        records.append(Record(bytes: Array(pending[recordStart..<end]), line: recordLine, isTruncated: truncated))
        if isLineDelimited == nil && !inTopLevelArray { isLineDelimited = !recordHasNewline }
        inRecord = false
        recordIsLine = false
        depth = 0
        inString = false
        escaped = false
    }

    private mutating func scan(into records: inout [Record], isFinal: Bool) {
        if isAtStreamStart {
            // A UTF-8 byte order mark is not part of the JSON.
            if pending.count < 3 && !isFinal { return }
            if pending.starts(with: [0xEF, 0xBB, 0xBF]) { scanIndex = 3 }
            isAtStreamStart = false
        }
        var index = scanIndex
        defer { scanIndex = index }
        while index < pending.count {
            let byte = pending[index]
            if isSkippingLine {
                if byte == 0x0A { isSkippingLine = false; line += 1 }
                index += 1
                continue
            }
            if !inRecord {
                switch byte {
                case 0x0A:
                    line += 1
                case 0x20, 0x09, 0x0D:
                    break
                case UInt8(ascii: ","):
                    // Between the elements of an array, and after a record a forwarder left a trailing comma
                    // on (`{...},` lines): a separator, not a record.
                    break
                case UInt8(ascii: "]") where inTopLevelArray:
                    inTopLevelArray = false
                case UInt8(ascii: "[") where !inTopLevelArray && isLineDelimited != true:
                    inTopLevelArray = true
                default:
                    inRecord = true
                    recordStart = index
                    recordLine = line
                    recordHasNewline = false
                    recordIsScalar = byte != UInt8(ascii: "{") && byte != UInt8(ascii: "[")
                    recordIsLine = !inTopLevelArray && !Self.startsJSONValue(byte)
                    depth = 0
                    if recordIsLine {
                        index += 1
                        continue
                    }
                    guard recordIsScalar else { continue }  // Re-read the bracket inside the record.
                    // A scalar's first byte always belongs to it, even a stray `]` or `}`: the scan must move
                    // past it, or a separator would end an empty record at the same place forever.
                    if byte == UInt8(ascii: "\"") { inString = true }
                    index += 1
                    continue
                }
                index += 1
                continue
            }

            if index - recordStart >= maximumRecordSize {
                emit(upTo: index, truncated: true, into: &records)
                isSkippingLine = true
                continue
            }

            if recordIsLine {
                guard byte == 0x0A else {
                    index = skip(from: index + 1) { $0 != 0x0A }
                    continue
                }
                let end = index > recordStart && pending[index - 1] == 0x0D ? index - 1 : index
                emit(upTo: end, truncated: false, into: &records)
                continue
            }

            if inString {
                if escaped {
                    escaped = false
                } else if byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "\"") && byte != 0x0A {
                    // Most of a record is inside strings: pass over the plain bytes eight at a time, to the next
                    // quote, backslash or control character (a newline among them).
                    index = skipStringBytes(from: index + 1)
                    continue
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if recordIsScalar && depth == 0 {
                        index += 1
                        emit(upTo: index, truncated: false, into: &records)
                        continue
                    }
                } else if byte == 0x0A {
                    // JSON strings cannot hold a raw newline: the record is broken here.
                    emit(upTo: index, truncated: true, into: &records)
                    continue
                }
                index += 1
                continue
            }

            if recordIsScalar {
                // A bare number or literal ends at whitespace or a separator.
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}")
                    || byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
                {
                    emit(upTo: index, truncated: false, into: &records)
                    continue
                }
                if byte == UInt8(ascii: "\"") { inString = true }
                index += 1
                continue
            }

            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth <= 0 {
                    index += 1
                    emit(upTo: index, truncated: depth < 0, into: &records)
                    continue
                }
            case 0x0A:
                if isLineDelimited == true {
                    emit(upTo: index, truncated: true, into: &records)
                    continue
                }
                recordHasNewline = true
                line += 1
            default:
                index = skip(from: index + 1) { !Self.isStructural($0) }
                continue
            }
            index += 1
        }
    }

    /// Where a look-ahead inside a record stops: the end of `pending`, or the record size limit (the byte there
    /// must reach the limit's check).
    private var lookAheadEnd: Int { min(pending.count, recordStart &+ maximumRecordSize) }

    /// The index of the first byte from `start` on that `isPlain` rejects, or ``lookAheadEnd``.
    @inline(__always)
    private func skip(from start: Int, while isPlain: (UInt8) -> Bool) -> Int {
        let end = lookAheadEnd
        guard start < end else { return start }
        return pending.withUnsafeBufferPointer { bytes in
            var index = start
            while index < end && isPlain(bytes[index]) { index += 1 }
            return index
        }
    }

    /// The index of the next quote, backslash or control character inside a string from `start` on, or
    /// ``lookAheadEnd``.
    private func skipStringBytes(from start: Int) -> Int {
        let end = lookAheadEnd
        guard start < end else { return start }
        return pending.withUnsafeBufferPointer { bytes in
            JSONValue.firstEscaped(in: UnsafeBufferPointer(rebasing: bytes[..<end]), from: start)
        }
    }

    /// Bytes that change the state of a JSON record outside its strings.
    @inline(__always)
    private static func isStructural(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x0A: true
        default: false
        }
    }

    /// Whether `byte` can start a JSON value: `{`, `[`, `"`, a number, or `true`, `false`, `null`.
    static func startsJSONValue(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "-"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "]"), UInt8(ascii: "}"):
            true
        default:
            false
        }
    }
}
