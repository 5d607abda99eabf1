import CZlib
import CZstd
import Crypto
import Foundation

/// How a backup file is stored, from its name: `.zst` (zstd, with its content checksum), `.gz` (gzip, with its
/// CRC-32), anything else as is.
public enum FileCompression: String, Sendable, Codable {
    case none, gzip, zstd

    public init(path: String) {
        let name = path.lowercased()
        self = name.hasSuffix(".zst") || name.hasSuffix(".zstd") ? .zstd : name.hasSuffix(".gz") ? .gzip : .none
    }

    static let chunk = 1 << 20

    /// Copies `source` to `destination` (created; it must not exist), compressing a megabyte at a time. Returns the
    /// bytes written and their SHA-256.
    public func compress(_ source: String, to destination: String) throws -> (bytes: Int64, sha256: String) {
        let output = try HashingWriter(path: destination)
        do {
            try Self.read(source) { input, isLast in
                switch self {
                case .none: try output.write(input)
                case .gzip: try output.gzip(input, finish: isLast)
                case .zstd: try output.zstd(input, finish: isLast)
                }
            }
            return try output.close()
        } catch {
            output.abandon()
            throw error
        }
    }

    /// Copies `source` to `destination` (created; it must not exist), decompressing a megabyte at a time; a
    /// truncated or damaged archive is an error naming `name`.
    public func decompress(_ source: String, to destination: String, name: String, limit: Int64? = nil) throws {
        let output = try HashingWriter(path: destination)
        output.limit = limit
        do {
            var finished = self == .none
            try Self.read(source) { input, isLast in
                switch self {
                case .none: try output.write(input)
                case .gzip: finished = try output.gunzip(input, name: name)
                case .zstd: finished = try output.unzstd(input, name: name)
                }
                if isLast && !finished {
                    throw CoreReconError.invalidInput(
                        location: name, reason: "the \(rawValue) archive ends early: it is truncated.")
                }
            }
            _ = try output.close()
        } catch {
            output.abandon()
            throw error
        }
    }

    /// The SHA-256 of a file, read a megabyte at a time.
    public static func sha256(of path: String) throws -> String {
        var hasher = SHA256()
        try read(path) { input, _ in hasher.update(bufferPointer: input) }
        return Hex.encode(hasher.finalize())
    }

    /// Hands `body` the file a chunk at a time, the last one flagged (an empty file is one empty last chunk).
    static func read(
        _ path: String, _ body: (UnsafeRawBufferPointer, _ isLast: Bool) throws -> Void
    ) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CoreReconError.invalidInput(location: path, reason: "cannot be read.")
        }
        defer { try? handle.close() }
        var next: Data
        do { next = try handle.read(upToCount: chunk) ?? Data() } catch {
            throw CoreReconError.invalidInput(location: path, reason: "cannot be read: \(error.localizedDescription)")
        }
        while true {
            let current = next
            do { next = current.isEmpty ? Data() : try handle.read(upToCount: chunk) ?? Data() } catch {
                throw CoreReconError.invalidInput(
                    location: path, reason: "cannot be read: \(error.localizedDescription)")
            }
            let isLast = next.isEmpty
            var failure: (any Error)?
            current.withUnsafeBytes { bytes in
                do { try body(bytes, isLast) } catch { failure = error }
            }
            if let failure { throw failure }
            if isLast { return }
        }
    }
}

/// A new file written through zlib or zstd, hashing what lands on disk. Removed unless closed.
private final class HashingWriter {
    let path: String
    let handle: FileHandle
    var hasher = SHA256()
    var bytes: Int64 = 0
    /// The most it may write (the fuzzer's bound); nil for none.
    var limit: Int64?
    /// zlib's stream, at a fixed address: zlib checks that its state still points back at it.
    var zlib: UnsafeMutablePointer<z_stream>?
    var inflating = false
    var zstdCompressor: OpaquePointer?
    var zstdDecompressor: OpaquePointer?
    var output = [UInt8](repeating: 0, count: FileCompression.chunk)

    init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CoreReconError.failed("cannot create \(path): \(String(cString: strerror(errno)).lowercased()).")
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    deinit {
        if let zlib {
            _ = inflating ? inflateEnd(zlib) : deflateEnd(zlib)
            zlib.deallocate()
        }
        if let zstdCompressor { ZSTD_freeCCtx(zstdCompressor) }
        if let zstdDecompressor { ZSTD_freeDCtx(zstdDecompressor) }
    }

    func write(_ data: UnsafeRawBufferPointer) throws {
        guard !data.isEmpty else { return }
        if let limit, bytes + Int64(data.count) > limit {
            throw CoreReconError.invalidInput(location: path, reason: "unpacks to more than \(limit) bytes.")
        }
        hasher.update(bufferPointer: data)
        bytes += Int64(data.count)
        do {
            try handle.write(contentsOf: Data(data))
        } catch {
            throw CoreReconError.failed("cannot write \(path): \(error.localizedDescription).")
        }
    }

    func writeOutput(_ count: Int) throws {
        var failure: (any Error)?
        output.withUnsafeBytes { buffer in
            do { try write(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Deflates `input` into gzip (zlib's window bits 31), level 6.
    func gzip(_ input: UnsafeRawBufferPointer, finish: Bool) throws {
        if zlib == nil {
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            zlib = stream
            let status = deflateInit2_(
                stream, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else { throw CoreReconError.failed("zlib could not start compressing (\(status)).") }
        }
        try pump(input, flush: finish ? Z_FINISH : Z_NO_FLUSH, inflating: false, name: path)
    }

    /// Inflates gzip; true once the stream's end (and its CRC-32) was read.
    func gunzip(_ input: UnsafeRawBufferPointer, name: String) throws -> Bool {
        if zlib == nil {
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            zlib = stream
            inflating = true
            let status = inflateInit2_(stream, 31, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else { throw CoreReconError.failed("zlib could not start decompressing (\(status)).") }
        }
        return try pump(input, flush: Z_NO_FLUSH, inflating: true, name: name)
    }

    @discardableResult
    private func pump(_ input: UnsafeRawBufferPointer, flush: Int32, inflating: Bool, name: String)
        throws -> Bool
    {
        guard let stream = zlib else { return false }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        var ended = false
        while true {
            var status: Int32 = Z_OK
            let produced: Int = output.withUnsafeMutableBytes { buffer in
                stream.pointee.next_out = buffer.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(buffer.count)
                status = inflating ? inflate(stream, flush) : deflate(stream, flush)
                return buffer.count - Int(stream.pointee.avail_out)
            }
            if status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR {
                if inflating {
                    throw CoreReconError.invalidInput(
                        location: name, reason: "not a gzip archive, or a damaged one (zlib \(status)).")
                }
                throw CoreReconError.failed("zlib could not compress (\(status)).")
            }
            try writeOutput(produced)
            if status == Z_STREAM_END {
                ended = true
                break
            }
            // Done with this input when zlib took all of it and had room to spare.
            if stream.pointee.avail_in == 0 && produced < output.count && (inflating || flush != Z_FINISH) { break }
        }
        if ended && inflating && stream.pointee.avail_in > 0 {
            throw CoreReconError.invalidInput(location: name, reason: "the gzip archive has bytes after its end.")
        }
        return ended
    }

    /// Compresses `input` as zstd (level 3, with the frame's content checksum).
    func zstd(_ input: UnsafeRawBufferPointer, finish: Bool) throws {
        if zstdCompressor == nil {
            zstdCompressor = ZSTD_createCCtx()
            ZSTD_CCtx_setParameter(zstdCompressor, ZSTD_c_compressionLevel, 3)
            ZSTD_CCtx_setParameter(zstdCompressor, ZSTD_c_checksumFlag, 1)
        }
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while true {
            var remaining = 0
            let produced: Int = output.withUnsafeMutableBytes { buffer in
                var target = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
                remaining = ZSTD_compressStream2(
                    zstdCompressor, &target, &source, finish ? ZSTD_e_end : ZSTD_e_continue)
                return target.pos
            }
            if ZSTD_isError(remaining) != 0 {
                throw CoreReconError.failed(
                    "zstd could not compress: \(String(cString: ZSTD_getErrorName(remaining))).")
            }
            try writeOutput(produced)
            if finish ? remaining == 0 : source.pos == source.size { return }
        }
    }

    /// Decompresses zstd; true when the input so far ends on the end of a frame (its checksum checked).
    func unzstd(_ input: UnsafeRawBufferPointer, name: String) throws -> Bool {
        if zstdDecompressor == nil { zstdDecompressor = ZSTD_createDCtx() }
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var hint = 1
        var full = false
        // Until the input is used up and the last step left room in the output (nothing more is held back).
        while source.pos < source.size || full {
            let produced: Int = output.withUnsafeMutableBytes { buffer in
                var target = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
                hint = ZSTD_decompressStream(zstdDecompressor, &target, &source)
                return target.pos
            }
            if ZSTD_isError(hint) != 0 {
                throw CoreReconError.invalidInput(
                    location: name,
                    reason: "not a zstd archive, or a damaged one: \(String(cString: ZSTD_getErrorName(hint))).")
            }
            try writeOutput(produced)
            full = produced == output.count
        }
        return hint == 0
    }

    func close() throws -> (bytes: Int64, sha256: String) {
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw CoreReconError.failed("cannot write \(path): \(error.localizedDescription).")
        }
        return (bytes, Hex.encode(hasher.finalize()))
    }

    func abandon() {
        try? handle.close()
        unlink(path)
    }
}
