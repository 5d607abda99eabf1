import Foundation

/// The look-up keys of indicators (their lower-cased values) and the ids listed under each, in flat arrays: an
/// open-addressing hash table over one buffer of key bytes. It is the matcher's table of values, and it is what
/// the store keeps as the matcher's snapshot (``serialized()`` and ``init(serialized:)``): a process then loads a
/// million indicators by copying five arrays instead of reading and hashing a million strings.
public struct IndicatorTable: Sendable, Equatable {
    /// Per entry: the indicator, whether it is a network (CIDR), and where its key's bytes are.
    private(set) var ids: [Int64] = []
    private(set) var networkFlags: [UInt8] = []
    /// `count + 1` offsets into `keyBytes`: entry `i`'s key is `keyBytes[offsets[i]..<offsets[i + 1]]`.
    private(set) var offsets: [UInt32] = [0]
    private(set) var keyBytes: [UInt8] = []
    /// A power of two, at least twice the entries; 0 is an empty slot, else the key hash's high 32 bits over
    /// (entry index + 1).
    private(set) var slots: [UInt64] = []

    public var count: Int { ids.count }

    /// A table of `entries`, in their order (a key listed under several entries answers with all of them).
    public init(_ entries: [(id: Int64, key: String, isNetwork: Bool)]) {
        ids.reserveCapacity(entries.count)
        networkFlags.reserveCapacity(entries.count)
        offsets.reserveCapacity(entries.count + 1)
        keyBytes.reserveCapacity(entries.count * 24)
        for entry in entries {
            ids.append(entry.id)
            networkFlags.append(entry.isNetwork ? 1 : 0)
            keyBytes.append(contentsOf: entry.key.utf8)
            offsets.append(UInt32(truncatingIfNeeded: keyBytes.count))
        }
        var size = 16
        while size < entries.count * 2 { size *= 2 }
        slots = [UInt64](repeating: 0, count: size)
        let mask = UInt64(size - 1)
        for index in ids.indices {
            let hash = keyBytes.withUnsafeBufferPointer { bytes in
                Self.hash(UnsafeBufferPointer(rebasing: bytes[Int(offsets[index])..<Int(offsets[index + 1])]))
            }
            var slot = Int(hash & mask)
            while slots[slot] != 0 { slot = (slot + 1) & Int(mask) }
            slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(index + 1)
        }
    }

    /// The ids listed under `key` (already lower-cased), in the order they were given; nil when none.
    public func ids(forKey key: String) -> [Int64]? {
        var key = key
        return key.withUTF8 { ids(forKeyBytes: $0) }
    }

    func ids(forKeyBytes key: UnsafeBufferPointer<UInt8>) -> [Int64]? {
        guard !slots.isEmpty else { return nil }
        let hash = Self.hash(key)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = slots.count - 1
        var slot = Int(hash & UInt64(mask))
        var found: [Int]?
        return slots.withUnsafeBufferPointer { slots in
            keyBytes.withUnsafeBufferPointer { bytes in
                // Bounded by the table's size, though a table always has empty slots.
                for _ in 0..<slots.count {
                    let value = slots[slot]
                    if value == 0 { break }
                    if value & 0xFFFF_FFFF_0000_0000 == tag {
                        let index = Int(value & 0xFFFF_FFFF) - 1
                        let start = Int(offsets[index])
                        let end = Int(offsets[index + 1])
                        if end - start == key.count, Self.equal(bytes, from: start, key) {
                            found = (found ?? []) + [index]
                        }
                    }
                    slot = (slot + 1) & mask
                }
                // Probing visits a key's entries in slot order, which wraps around: entry order is restored.
                return found.map { $0.sorted().map { ids[$0] } }
            }
        }
    }

    /// Entry `index`'s indicator and key.
    public func id(at index: Int) -> Int64 { ids[index] }
    public func key(at index: Int) -> String {
        String(decoding: keyBytes[Int(offsets[index])..<Int(offsets[index + 1])], as: UTF8.self)
    }

    /// Whether `bytes` from `start` begin with `key`.
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ key: UnsafeBufferPointer<UInt8>)
        -> Bool
    {
        guard let base = bytes.baseAddress, let other = key.baseAddress else { return key.isEmpty }
        return memcmp(base + start, other, key.count) == 0
    }

    /// The entries that are networks: id and key.
    public var networks: [(id: Int64, key: String)] {
        networkFlags.indices.filter { networkFlags[$0] != 0 }.map { (ids[$0], key(at: $0)) }
    }

    /// FNV-1a, 64 bits: the same in every process (Swift's `Hasher` is seeded per process, and the table is
    /// written by one process and read by others).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    // MARK: - Bytes

    /// What ``serialized()`` starts with; the last byte is the format's version.
    static let magic: [UInt8] = Array("CRIXTBL1".utf8)
    /// Written in the machine's byte order and checked on reading: a table from another byte order is rebuilt.
    static let byteOrderMark: UInt32 = 0x0102_0304

    public struct FormatError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The table as bytes: a header (magic, byte-order mark, entry, slot and key-byte counts), then the arrays.
    public func serialized() -> Data {
        var data = Data()
        data.reserveCapacity(32 + ids.count * 13 + offsets.count * 4 + slots.count * 8 + keyBytes.count)
        data.append(contentsOf: Self.magic)
        for value in [Self.byteOrderMark, UInt32(ids.count), UInt32(slots.count), UInt32(keyBytes.count)] {
            Swift.withUnsafeBytes(of: value) { data.append(contentsOf: $0) }
        }
        ids.withUnsafeBytes { data.append(contentsOf: $0) }
        slots.withUnsafeBytes { data.append(contentsOf: $0) }
        offsets.withUnsafeBytes { data.append(contentsOf: $0) }
        networkFlags.withUnsafeBytes { data.append(contentsOf: $0) }
        keyBytes.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    /// Reads what ``serialized()`` wrote, checking every count and offset: bytes that are not such a table throw,
    /// they never make a table that could read out of bounds or probe forever.
    public init(serialized data: Data) throws {
        let header = Self.magic.count + 16
        guard data.count >= header, data.prefix(Self.magic.count).elementsEqual(Self.magic) else {
            throw FormatError(description: "not an indicator table (magic)")
        }
        func word(_ index: Int) -> UInt32 {
            data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: Self.magic.count + index * 4, as: UInt32.self) }
        }
        guard word(0) == Self.byteOrderMark else { throw FormatError(description: "another byte order") }
        let count = Int(word(1))
        let slotCount = Int(word(2))
        let byteCount = Int(word(3))
        guard slotCount >= 16, slotCount & (slotCount - 1) == 0, slotCount >= count * 2,
            data.count == header + count * 8 + slotCount * 8 + (count + 1) * 4 + count + byteCount
        else { throw FormatError(description: "sizes do not add up") }
        var position = header
        func array<T: FixedWidthInteger>(_ elements: Int, of type: T.Type) -> [T] {
            let size = elements * MemoryLayout<T>.size
            defer { position += size }
            return [T](unsafeUninitializedCapacity: elements) { buffer, initialized in
                data.withUnsafeBytes { raw in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: raw[position..<position + size]))
                }
                initialized = elements
            }
        }
        let ids = array(count, of: Int64.self)
        let slots = array(slotCount, of: UInt64.self)
        let offsets = array(count + 1, of: UInt32.self)
        let networkFlags = array(count, of: UInt8.self)
        let keyBytes = array(byteCount, of: UInt8.self)
        guard offsets.first == 0, offsets.last == UInt32(byteCount),
            zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 })
        else { throw FormatError(description: "key offsets out of order") }
        var empty = false
        for slot in slots {
            if slot == 0 {
                empty = true
            } else if slot & 0xFFFF_FFFF > UInt64(count) {
                throw FormatError(description: "a slot names no entry")
            }
        }
        guard empty else { throw FormatError(description: "no empty slot") }
        self.ids = ids
        self.slots = slots
        self.offsets = offsets
        self.networkFlags = networkFlags
        self.keyBytes = keyBytes
    }
}
