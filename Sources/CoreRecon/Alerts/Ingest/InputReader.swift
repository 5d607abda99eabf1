import CZlib
import Foundation

/// Where ingested records come from: files, directories (recursively) and stdin; gzip-compressed or not.
public struct InputReader: Sendable {
    /// File extensions picked up when walking a directory (a compressed file also ends in `.gz`).
    public static let extensions: Set<String> = ["json", "ndjson", "jsonl", "log", "eve"]

    public enum Input: Sendable, Equatable {
        case file(String)
        case standardInput
    }

    /// One record and where it came from, for `file:line` messages.
    public struct Record: Sendable {
        public var bytes: [UInt8]
        public var file: String
        public var line: Int
        public var isTruncated: Bool

        public var location: String { "\(file):\(line)" }
    }

    public let chunkSize: Int
    /// A record longer than this is cut off and the rest of its line skipped (`ingest.maxRecordSize`).
    public let maximumRecordSize: Int

    public init(chunkSize: Int = 1 << 20, maximumRecordSize: Int = InputLimits().recordSize) {
        self.chunkSize = chunkSize
        self.maximumRecordSize = maximumRecordSize
    }

    /// Expands paths into inputs: files as given, directories walked in name order (the files with one of
    /// `extensions`, gzip or not; every file when nil; hidden ones never), `-` as stdin.
    public static func inputs(
        for paths: [String], extensions: Set<String>? = InputReader.extensions
    ) throws(CoreReconError) -> [Input] {
        var inputs: [Input] = []
        for path in paths {
            if path == "-" {
                inputs.append(.standardInput)
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .invalidInput(location: path, reason: "no such file or directory.")
            }
            guard isDirectory.boolValue else {
                inputs.append(.file(path))
                continue
            }
            guard let walker = FileManager.default.enumerator(atPath: path) else {
                throw .invalidInput(location: path, reason: "cannot read the directory.")
            }
            var files: [String] = []
            while let relative = walker.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") { continue }
                var base = name
                if base.hasSuffix(".gz") { base = String(base.dropLast(3)) }
                if let extensions, !extensions.contains((base as NSString).pathExtension.lowercased()) { continue }
                let full = (path as NSString).appendingPathComponent(relative)
                var isSubdirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: full, isDirectory: &isSubdirectory), !isSubdirectory.boolValue
                {
                    files.append(full)
                }
            }
            inputs += files.sorted().map(Input.file)
        }
        return inputs
    }

    /// How long stdin may stay quiet before `onIdle` runs.
    public static let idleAfter: Int32 = 200

    /// Streams the records of `input` to `body`, chunk by chunk (see ``forEachChunk(of:onIdle:_:)``): memory
    /// stays bounded by the largest record.
    public func read(
        _ input: Input,
        onIdle: () async throws -> Void = {},
        _ body: (Record) async throws -> Void
    ) async throws {
        var splitter = RecordSplitter(maximumRecordSize: maximumRecordSize)
        let name = Self.name(of: input)
        try await forEachChunk(of: input, onIdle: onIdle) { bytes in
            for record in splitter.feed(bytes) {
                try await body(
                    Record(bytes: record.bytes, file: name, line: record.line, isTruncated: record.isTruncated))
            }
        }
        for record in splitter.finish() {
            try await body(Record(bytes: record.bytes, file: name, line: record.line, isTruncated: record.isTruncated))
        }
    }

    /// Streams the rows of a CSV `input` (gzip or not) as records, the header naming their fields (see
    /// ``CSVAlertReader``); memory stays bounded by the largest row.
    public func readCSV(
        _ input: Input, columns: [String: String], onIdle: () async throws -> Void = {},
        _ body: (CSVAlertReader.Row, String) async throws -> Void
    ) async throws {
        var reader = CSVAlertReader(maximumRecordSize: maximumRecordSize, columns: columns)
        let name = Self.name(of: input)
        try await forEachChunk(of: input, onIdle: onIdle) { bytes in
            for row in reader.feed(bytes) { try await body(row, name) }
        }
        for row in reader.finish() { try await body(row, name) }
    }

    /// Streams the lines of `input` (any text, gzip or not) to `body` with their numbers, without the newline.
    /// A line longer than ``maximumRecordSize`` comes in pieces of that size, each with the line's number, so
    /// memory stays bounded whatever the input.
    public func readLines(_ input: Input, _ body: (String, Int) async throws -> Void) async throws {
        var pending: [UInt8] = []
        var number = 1
        try await forEachChunk(of: input) { bytes in
            var start = bytes.startIndex
            while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
                if pending.isEmpty {
                    try await body(String(decoding: bytes[start..<newline], as: UTF8.self), number)
                } else {
                    pending += bytes[start..<newline]
                    try await body(String(decoding: pending, as: UTF8.self), number)
                    pending.removeAll(keepingCapacity: true)
                }
                number += 1
                start = newline + 1
            }
            pending += bytes[start...]
            while pending.count > maximumRecordSize {
                try await body(String(decoding: pending.prefix(maximumRecordSize), as: UTF8.self), number)
                pending.removeFirst(maximumRecordSize)
            }
        }
        if !pending.isEmpty { try await body(String(decoding: pending, as: UTF8.self), number) }
    }

    public static func name(of input: Input) -> String {
        switch input {
        case .standardInput: "<stdin>"
        case .file(let path): path
        }
    }

    /// Reads `input` a chunk at a time, inflating gzip (recognized by its magic bytes, whatever the file is
    /// called). Each read takes what is there, so records piped in one at a time (`tail -f eve.json | corerecon
    /// ingest -`) arrive as they come; when stdin has been quiet for ``idleAfter`` milliseconds, `onIdle` runs
    /// once (to commit what is buffered).
    func forEachChunk(
        of input: Input, onIdle: () async throws -> Void = {}, _ body: ([UInt8]) async throws -> Void
    ) async throws {
        let name = Self.name(of: input)
        let handle: FileHandle
        switch input {
        case .standardInput:
            handle = FileHandle.standardInput
        case .file(let path):
            guard let opened = FileHandle(forReadingAtPath: path) else {
                let reason = FileManager.default.isReadableFile(atPath: path) ? "cannot be opened" : "is not readable"
                throw CoreReconError.invalidInput(location: path, reason: "the file \(reason) (check its permissions).")
            }
            handle = opened
        }
        defer { if case .file = input { try? handle.close() } }

        var inflater: Inflater?
        var isFirstChunk = true
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var idle = false
        while true {
            if case .standardInput = input {
                var ready = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
                if poll(&ready, 1, idle ? -1 : Self.idleAfter) == 0 {
                    idle = true
                    try await onIdle()
                    continue
                }
                idle = false
            }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(handle.fileDescriptor, $0.baseAddress, chunkSize) }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw CoreReconError.invalidInput(location: name, reason: "read failed: \(reason).")
            }
            if count == 0 { break }
            var bytes = Array(buffer[0..<count])
            if isFirstChunk {
                isFirstChunk = false
                if bytes.starts(with: [0x1F, 0x8B]) { inflater = try Inflater(name: name) }
            }
            if let inflater { bytes = try inflater.inflate(bytes) }
            try await body(bytes)
        }
        if let inflater, !inflater.isFinished {
            throw CoreReconError.invalidInput(location: name, reason: "the gzip data is truncated.")
        }
    }
}

final class Inflater {
    private var stream = z_stream()
    private let name: String
    private(set) var isFinished = false

    init(name: String) throws {
        self.name = name
        // 15 + 32: any window size, and detect the gzip (or zlib) header automatically.
        let status = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw CoreReconError.failed("\(name): cannot start gzip decompression (zlib status \(status)).")
        }
    }

    deinit { inflateEnd(&stream) }

    /// Inflates `input`; more than `limit` bytes out is refused as it happens, so a small bomb never fills memory.
    func inflate(_ input: [UInt8], limit: Int = .max) throws -> [UInt8] {
        var output: [UInt8] = []
        var input = input
        var buffer = [UInt8](repeating: 0, count: 1 << 18)
        try input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            repeat {
                let status = buffer.withUnsafeMutableBufferPointer { outputBuffer in
                    stream.next_out = outputBuffer.baseAddress
                    stream.avail_out = uInt(outputBuffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = buffer.count - Int(stream.avail_out)
                guard output.count + produced <= limit else {
                    throw CoreReconError.invalidInput(
                        location: name, reason: "decompresses to more than \(limit) bytes.")
                }
                output.append(contentsOf: buffer[0..<produced])
                if status == Z_STREAM_END {
                    // Concatenated gzip members (as `cat a.gz b.gz` makes) continue after a reset.
                    if stream.avail_in > 0 {
                        inflateReset(&stream)
                        continue
                    }
                    isFinished = true
                    return
                }
                guard status == Z_OK || status == Z_BUF_ERROR else {
                    throw CoreReconError.invalidInput(
                        location: name, reason: "corrupt gzip data (zlib status \(status)).")
                }
                isFinished = false
            } while stream.avail_in > 0 || stream.avail_out == 0
        }
        return output
    }
}
