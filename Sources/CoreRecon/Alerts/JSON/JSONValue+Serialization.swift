extension JSONValue {
    /// Compact JSON text (no spaces), members in order, non-ASCII kept as UTF-8.
    public var jsonString: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the compact JSON encoding to `bytes`.
    public func write(to bytes: inout [UInt8]) {
        switch self {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let value): bytes.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let text): bytes.append(contentsOf: text.utf8)
        case .string(let text): Self.writeString(text, to: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                element.write(to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                member.value.write(to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    public static func writeString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Only quotes, backslashes and control characters are escaped. Most strings have none and are copied
            // whole. The rest (a raw record in `raw_data` has a quote every few bytes) are written through a
            // pointer into scratch space, runs of plain bytes copied in bulk, and appended once.
            var index = firstEscaped(in: utf8, from: 0)
            guard index < utf8.count, let source = utf8.baseAddress else {
                bytes.append(contentsOf: utf8)
                return
            }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utf8.count * 6) { scratch in
                guard let out = scratch.baseAddress else { return }
                var written = 0
                var runStart = 0
                while true {
                    if index > runStart {
                        (out + written).update(from: source + runStart, count: index - runStart)
                        written += index - runStart
                    }
                    guard index < utf8.count else { break }
                    let byte = utf8[index]
                    out[written] = 0x5C
                    switch byte {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"): out[written + 1] = byte
                    case 0x0A: out[written + 1] = UInt8(ascii: "n")
                    case 0x0D: out[written + 1] = UInt8(ascii: "r")
                    case 0x09: out[written + 1] = UInt8(ascii: "t")
                    default:
                        out[written + 1] = UInt8(ascii: "u")
                        out[written + 2] = 0x30
                        out[written + 3] = 0x30
                        out[written + 4] = hexDigit(byte >> 4)
                        out[written + 5] = hexDigit(byte & 0xF)
                        written += 4
                    }
                    written += 2
                    runStart = index + 1
                    index = firstEscaped(in: utf8, from: runStart)
                }
                bytes.append(contentsOf: UnsafeBufferPointer(start: out, count: written))
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The index of the first byte from `start` on that JSON must escape (a quote, a backslash or a control
    /// character), or `bytes.count`. Eight bytes at a time: for each test a byte's high bit is set in the mask
    /// where the byte matches, and the lowest set bit always belongs to a real match (a borrow can only mark
    /// bytes above one).
    @inline(__always)
    static func firstEscaped(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let high: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let quotes = word ^ 0x2222_2222_2222_2222
                let backslashes = word ^ 0x5C5C_5C5C_5C5C_5C5C
                let matches =
                    ((word &- 0x2020_2020_2020_2020) & ~word & high)
                    | ((quotes &- ones) & ~quotes & high) | ((backslashes &- ones) & ~backslashes & high)
                if matches != 0 { return index + matches.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
            index += 1
        }
        return index
    }

    static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? 0x30 + value : UInt8(ascii: "a") + value - 10
    }
}
