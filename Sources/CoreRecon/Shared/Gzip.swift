import CZlib
import Foundation

/// gzip in memory (zlib's deflate and inflate): request bodies that travel compressed, such as an ATT&CK bundle
/// sent to a server.
public enum Gzip {
    /// `bytes` as one gzip member.
    public static func compress(_ bytes: [UInt8]) throws(CoreReconError) -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: the largest window, with a gzip header and trailer.
        let status = deflateInit2_(
            &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .failed("cannot start gzip compression (zlib status \(status)).") }
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        let result = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { throw .failed("gzip compression failed (zlib status \(result)).") }
        return Array(output[0..<Int(stream.total_out)])
    }

    /// The bytes of gzip (or zlib) data; data that is corrupt, truncated or would decompress to more than `limit`
    /// bytes is refused as ``CoreReconError/invalidInput(location:reason:)`` naming `name`.
    public static func decompress(_ bytes: [UInt8], limit: Int, name: String) throws -> [UInt8] {
        let inflater = try Inflater(name: name)
        let output = try inflater.inflate(bytes, limit: limit)
        guard inflater.isFinished else {
            throw CoreReconError.invalidInput(location: name, reason: "the gzip data is truncated.")
        }
        return output
    }
}
