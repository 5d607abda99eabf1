import CoreRecon

/// Mutates real alert records the way broken forwarders and attackers do: bytes flipped, records cut short,
/// values swapped for huge numbers, very long strings or deep nesting, invalid dates, stray separators.
/// Deterministic for a seed, so a failing file can be made again.
public struct AlertMutator {
    /// SplitMix64: small, fast, and the same on every platform.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    var random: Generator

    public init(seed: UInt64) {
        random = Generator(state: seed)
    }

    /// The kinds of damage, one per mutated record.
    public enum Damage: String, CaseIterable, Sendable {
        case flipBytes, cutShort, hugeNumber, longString, deepNesting, invalidDate, straySeparator, dropField,
            swapType, controlCharacters
    }

    /// One mutated copy of `record` (a JSON text) and what was done to it.
    public mutating func mutate(_ record: String) -> (text: String, damage: Damage) {
        let damage = Damage.allCases.randomElement(using: &random) ?? .flipBytes
        var bytes = Array(record.utf8)
        switch damage {
        case .flipBytes:
            for _ in 0..<Int.random(in: 1...8, using: &random) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
        case .cutShort:
            bytes = Array(bytes.prefix(Int.random(in: 0...max(bytes.count - 1, 0), using: &random)))
        case .hugeNumber:
            let numbers = ["1e308", "-1e308", "18446744073709551616", "9223372036854775808", "1e-400", "0.0000001e999",
                String(repeating: "9", count: 400)]
            bytes = replaceValue(in: bytes, with: numbers.randomElement(using: &random) ?? "1e308")
        case .longString:
            let length = [70_000, 600_000, 1_200_000].randomElement(using: &random) ?? 70_000
            bytes = replaceValue(in: bytes, with: "\"" + String(repeating: "A", count: length) + "\"")
        case .deepNesting:
            let depth = [65, 600, 50_000].randomElement(using: &random) ?? 65
            bytes = replaceValue(
                in: bytes, with: String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        case .invalidDate:
            let dates = ["\"2026-13-45T99:99:99Z\"", "\"99999-01-01T00:00:00Z\"", "1e300", "-1", "\"\"",
                "253402300800000000", "\"2026-02-30T00:00:00+99:99\""]
            bytes = replaceValue(in: bytes, with: dates.randomElement(using: &random) ?? "-1", preferring: "time")
        case .straySeparator:
            bytes += Array([",", ",S", "]", "}", ",\"x\","].randomElement(using: &random)!.utf8)
        case .dropField:
            bytes = replaceValue(in: bytes, with: "null")
        case .swapType:
            bytes = replaceValue(in: bytes, with: ["{}", "[]", "true", "\"\"", "[{\"a\":[1,{}]}]"].randomElement(using: &random)!)
        case .controlCharacters:
            if !bytes.isEmpty {
                bytes.insert(contentsOf: [0x00, 0x1B, 0x7F], at: Int.random(in: 0..<bytes.count, using: &random))
            }
        }
        // One record per line: a raw newline would make two.
        return (String(decoding: bytes.map { $0 == 0x0A ? 0x20 : $0 }, as: UTF8.self), damage)
    }

    /// Replaces the value after a randomly chosen `"key":` (one whose name contains `preferring`, when there is
    /// one), keeping the rest of the record.
    mutating func replaceValue(in bytes: [UInt8], with value: String, preferring: String? = nil) -> [UInt8] {
        var colons: [Int] = []
        var inString = false
        var escaped = false
        for (index, byte) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
            } else if byte == 0x22 {
                inString = true
            } else if byte == UInt8(ascii: ":") {
                colons.append(index)
            }
        }
        guard !colons.isEmpty else { return bytes + Array(value.utf8) }
        var candidates = colons
        if let preferring {
            let text = String(decoding: bytes, as: UTF8.self).lowercased()
            let utf8 = Array(text.utf8)
            let matching = colons.filter { colon in
                let start = max(0, colon - 24)
                return String(decoding: utf8[start..<colon], as: UTF8.self).contains(preferring)
            }
            if !matching.isEmpty { candidates = matching }
        }
        let colon = candidates.randomElement(using: &random) ?? colons[0]
        // The value ends at the next ',' or '}' or ']' at this depth (roughly: good enough to damage).
        var end = colon + 1
        var depth = 0
        inString = false
        escaped = false
        while end < bytes.count {
            let byte = bytes[end]
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
            } else if byte == 0x22 {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                if depth == 0 { break }
                depth -= 1
            } else if byte == UInt8(ascii: ","), depth == 0 {
                break
            }
            end += 1
        }
        return Array(bytes[...colon]) + Array(value.utf8) + Array(bytes[end...])
    }
}
