import SQLiteNIO

/// The word that stands for one observable in SQLite's observable index (`alert_observable_keys`, migration 22):
/// 16 hexadecimal digits of the 64-bit FNV-1a hash of its type, a unit separator (0x1F) and its value, as UTF-8.
///
/// The index is a contentless full-text table, one document an alert, whose words are its observables' keys: a
/// look-up of a value reads one posting list, and a batch of new alerts adds one sorted segment, where a B-tree on
/// `(type, value)` took a write at a random place for every observable of every alert. Two values may share a key;
/// whoever reads the index matches the candidates' rows in `alert_observables` on type and value, so a shared key
/// costs a row read, never a wrong answer.
///
/// The same function is SQL's `corerecon_observable_key(type, value)` on the writer's connection (the migration
/// builds the index with it) and `bench/sqlite-run.c`'s: the three must agree byte for byte.
enum ObservableKey {
    static func key(type: String, value: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        for byte in type.utf8 { mix(byte) }
        mix(0x1F)
        for byte in value.utf8 { mix(byte) }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// A full-text query that matches any of `keys`: each quoted, joined with `OR`.
    static func anyOf(_ keys: some Sequence<String>) -> String {
        keys.map { "\"\($0)\"" }.joined(separator: " OR ")
    }

    /// `corerecon_observable_key(type, value)`: NULL unless both are text.
    static func sqlFunction() -> SQLiteCustomFunction {
        SQLiteCustomFunction("corerecon_observable_key", argumentCount: 2, pure: true) { arguments in
            guard case .text(let type) = arguments[0], case .text(let value) = arguments[1] else { return nil }
            return key(type: type, value: value)
        }
    }
}
