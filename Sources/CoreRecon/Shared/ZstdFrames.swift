import CZstd
import Foundation
import Synchronization

/// A zstd dictionary, digested for both directions. zstd's digested dictionaries are read-only and may be shared
/// by threads, each with its own context.
public final class ZstdDictionary: @unchecked Sendable {
    /// The id zstd writes into each frame made with it (from the dictionary's header; never 0).
    public let id: UInt32
    public let bytes: [UInt8]
    let compression: OpaquePointer
    let decompression: OpaquePointer

    /// Nil when `bytes` is not a zstd dictionary with an id.
    public init?(bytes: [UInt8], level: Int32 = ZstdFrames.level) {
        let id = bytes.withUnsafeBytes { ZDICT_getDictID($0.baseAddress, $0.count) }
        guard id != 0, let compression = bytes.withUnsafeBytes({ ZSTD_createCDict($0.baseAddress, $0.count, level) })
        else { return nil }
        guard let decompression = bytes.withUnsafeBytes({ ZSTD_createDDict($0.baseAddress, $0.count) }) else {
            ZSTD_freeCDict(compression)
            return nil
        }
        self.id = id
        self.bytes = bytes
        self.compression = compression
        self.decompression = decompression
    }

    deinit {
        ZSTD_freeCDict(compression)
        ZSTD_freeDDict(decompression)
    }

    /// A dictionary of at most `capacity` bytes trained on `samples`, or nil when zstd cannot make one of them
    /// (too few, too alike).
    public static func train(_ samples: [[UInt8]], capacity: Int = 64 << 10, level: Int32 = ZstdFrames.level)
        -> ZstdDictionary?
    {
        var joined: [UInt8] = []
        joined.reserveCapacity(samples.reduce(0) { $0 + $1.count })
        for sample in samples { joined += sample }
        let sizes = samples.map { $0.count }
        var buffer = [UInt8](repeating: 0, count: capacity)
        let size = buffer.withUnsafeMutableBytes { target in
            joined.withUnsafeBytes { source in
                ZDICT_trainFromBuffer(target.baseAddress, target.count, source.baseAddress, sizes, UInt32(sizes.count))
            }
        }
        guard ZDICT_isError(size) == 0 else { return nil }
        return ZstdDictionary(bytes: Array(buffer.prefix(size)), level: level)
    }
}

/// Small documents as single zstd frames, each with its content size and zstd's checksum of the content, so a
/// damaged frame is an error when read rather than wrong bytes.
public enum ZstdFrames {
    /// The level frames are made at unless a caller asks for another: zstd's default, fast to write.
    public static let level: Int32 = 3
    /// The levels a caller may ask for: zstd's regular ones (20 to 22 need windows far beyond a small document).
    public static let levels: ClosedRange<Int32> = 1...19
    /// zstd's frame magic number, little-endian: what tells a frame from JSON text (which starts with `{`).
    static let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
    /// No frame here holds more: a claim of more is damage.
    public static let maximumContent = 64 << 20

    /// Whether `bytes` starts as a zstd frame.
    public static func isFrame(_ bytes: some Collection<UInt8>) -> Bool { bytes.starts(with: magic) }

    /// The id of the dictionary `frame` was made with; 0 for none (or not a frame).
    public static func dictionaryID(_ frame: [UInt8]) -> UInt32 {
        frame.withUnsafeBytes { ZSTD_getDictID_fromFrame($0.baseAddress, $0.count) }
    }

    /// One frame of `bytes`, with `dictionary` or without one.
    public static func compress(_ bytes: [UInt8], with dictionary: ZstdDictionary?, level: Int32 = level)
        throws(CoreReconError) -> Data
    {
        try compress([bytes], with: dictionary, level: level)[0]
    }

    /// One frame of each of `items`, with one compression context for them all (a context's tables are what a
    /// small frame costs most to set up). With a dictionary, the level is the one the dictionary was digested at.
    public static func compress(_ items: [[UInt8]], with dictionary: ZstdDictionary?, level: Int32 = level)
        throws(CoreReconError) -> [Data]
    {
        guard let context = compressionContexts.take() ?? ZSTD_createCCtx() else {
            throw .failed("zstd could not allocate.")
        }
        defer { compressionContexts.give(context) }
        ZSTD_CCtx_reset(context, ZSTD_reset_session_and_parameters)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        if let dictionary {
            ZSTD_CCtx_refCDict(context, dictionary.compression)
        } else {
            ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        }
        var frames: [Data] = []
        frames.reserveCapacity(items.count)
        for bytes in items {
            let capacity = ZSTD_compressBound(bytes.count)
            var output = Data(count: capacity)
            let written = output.withUnsafeMutableBytes { target in
                bytes.withUnsafeBytes { source in
                    ZSTD_compress2(context, target.baseAddress, capacity, source.baseAddress, source.count)
                }
            }
            guard ZSTD_isError(written) == 0 else {
                throw .failed("zstd could not compress: \(String(cString: ZSTD_getErrorName(written))).")
            }
            output.count = written
            frames.append(output)
        }
        return frames
    }

    /// The content of one whole frame made with `dictionary` (nil: none); a frame that is damaged, cut short,
    /// followed by anything, without a content size or claiming more than `maximumContent` is refused.
    public static func decompress(_ frame: [UInt8], with dictionary: ZstdDictionary?) throws(CoreReconError)
        -> [UInt8]
    {
        let size = frame.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        guard size != ZSTD_CONTENTSIZE_UNKNOWN, size != ZSTD_CONTENTSIZE_ERROR, size <= UInt64(maximumContent) else {
            throw .failed("a stored frame is damaged (no valid content size).")
        }
        let length = frame.withUnsafeBytes { ZSTD_findFrameCompressedSize($0.baseAddress, $0.count) }
        guard ZSTD_isError(length) == 0, length == frame.count else {
            throw .failed("a stored frame is damaged (cut short, or followed by other bytes).")
        }
        guard let context = decompressionContexts.take() ?? ZSTD_createDCtx() else {
            throw .failed("zstd could not allocate.")
        }
        defer { decompressionContexts.give(context) }
        ZSTD_DCtx_reset(context, ZSTD_reset_session_and_parameters)
        var output = [UInt8](repeating: 0, count: Int(size))
        let written = output.withUnsafeMutableBytes { target in
            frame.withUnsafeBytes { source in
                if let dictionary {
                    ZSTD_decompress_usingDDict(
                        context, target.baseAddress, target.count, source.baseAddress, source.count,
                        dictionary.decompression)
                } else {
                    ZSTD_decompressDCtx(context, target.baseAddress, target.count, source.baseAddress, source.count)
                }
            }
        }
        guard ZSTD_isError(written) == 0, written == Int(size) else {
            let reason = ZSTD_isError(written) != 0 ? String(cString: ZSTD_getErrorName(written)) : "short"
            throw .failed("a stored frame is damaged: \(reason).")
        }
        return output
    }

    // MARK: - Contexts

    /// Contexts kept for reuse. Making one costs more than a small frame does: its workspace (over 100 KB) is
    /// beyond malloc's mmap threshold, so each new context maps, faults in and unmaps fresh pages.
    static let compressionContexts = ContextPool { _ = ZSTD_freeCCtx($0) }
    static let decompressionContexts = ContextPool { _ = ZSTD_freeDCtx($0) }

    /// At most `capacity` idle contexts of one kind; a context is used by one thread at a time (taken, then given
    /// back), which is all zstd asks.
    final class ContextPool: @unchecked Sendable {
        private let idle = Mutex<[UInt]>([])
        private let free: @Sendable (OpaquePointer) -> Void
        let capacity = 16

        init(free: @escaping @Sendable (OpaquePointer) -> Void) { self.free = free }

        func take() -> OpaquePointer? {
            idle.withLock { $0.popLast() }.flatMap { OpaquePointer(bitPattern: $0) }
        }

        func give(_ context: OpaquePointer) {
            let kept = idle.withLock { idle in
                guard idle.count < capacity else { return false }
                idle.append(UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(context))))
                return true
            }
            if !kept { free(context) }
        }
    }
}
