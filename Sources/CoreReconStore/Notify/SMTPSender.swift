import CCurl
import CoreRecon
import Foundation

/// Sends one mail over SMTP with libcurl: STARTTLS (required or opportunistic) or implicit TLS (`smtps://`), AUTH
/// as the server offers (PLAIN, LOGIN, ...), certificates checked against the system store or `caFile`.
struct SMTPSender: Sendable {
    let url: String
    let requireTLS: Bool
    let username: String?
    let password: String?
    let from: String
    let recipients: [String]
    let caFile: String?
    let timeout: Duration

    private static let globalInit: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    /// Sends `message` (a complete MIME text with CRLF line ends); returns the server's last reply code. Runs
    /// libcurl's blocking transfer off the concurrency pool.
    func send(_ message: String) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    continuation.resume(returning: try sendBlocking(Array(message.utf8)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// The message bytes and how far libcurl has read them.
    private final class Upload {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    private func sendBlocking(_ bytes: [UInt8]) throws -> Int {
        guard Self.globalInit, let curl = curl_easy_init() else {
            throw CoreReconError.unavailable("libcurl could not be initialised")
        }
        defer { curl_easy_cleanup(curl) }
        var recipientList: UnsafeMutablePointer<curl_slist>?
        for recipient in recipients { recipientList = curl_slist_append(recipientList, "<\(recipient)>") }
        defer { curl_slist_free_all(recipientList) }
        let upload = Upload(bytes)
        let context = Unmanaged.passRetained(upload)
        defer { context.release() }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        func check(_ code: CURLcode) throws {
            guard code == CURLE_OK else {
                throw CoreReconError.unavailable("libcurl: " + String(cString: curl_easy_strerror(code)))
            }
        }
        try check(corerecon_curl_set_string(curl, CURLOPT_URL, url))
        let tls: Int =
            url.hasPrefix("smtps://") || requireTLS ? Int(CURLUSESSL_ALL.rawValue) : Int(CURLUSESSL_TRY.rawValue)
        try check(corerecon_curl_set_long(curl, CURLOPT_USE_SSL, tls))
        if let caFile { try check(corerecon_curl_set_string(curl, CURLOPT_CAINFO, caFile)) }
        if let username { try check(corerecon_curl_set_string(curl, CURLOPT_USERNAME, username)) }
        if let password { try check(corerecon_curl_set_string(curl, CURLOPT_PASSWORD, password)) }
        try check(corerecon_curl_set_string(curl, CURLOPT_MAIL_FROM, "<\(from)>"))
        try check(corerecon_curl_set_list(curl, CURLOPT_MAIL_RCPT, recipientList))
        try check(corerecon_curl_set_long(curl, CURLOPT_UPLOAD, 1))
        try check(corerecon_curl_set_long(curl, CURLOPT_NOSIGNAL, 1))
        try check(corerecon_curl_set_long(curl, CURLOPT_TIMEOUT_MS, Int(timeout.milliseconds)))
        try check(corerecon_curl_set_long(curl, CURLOPT_CONNECTTIMEOUT_MS, Int(min(timeout.milliseconds, 10_000))))
        try check(
            corerecon_curl_set_reader(
                curl,
                { buffer, size, count, pointer in
                    guard let buffer, let pointer else { return 0 }
                    let upload = Unmanaged<Upload>.fromOpaque(pointer).takeUnretainedValue()
                    let length = min(size * count, upload.bytes.count - upload.offset)
                    guard length > 0 else { return 0 }
                    upload.bytes.withUnsafeBufferPointer { source in
                        guard let base = source.baseAddress else { return }
                        UnsafeMutableRawPointer(buffer).copyMemory(from: base + upload.offset, byteCount: length)
                    }
                    upload.offset += length
                    return length
                }, context.toOpaque()))
        let result = errorBuffer.withUnsafeMutableBufferPointer { buffer -> CURLcode in
            _ = corerecon_curl_set_error_buffer(curl, buffer.baseAddress)
            return curl_easy_perform(curl)
        }
        let reply = corerecon_curl_response_code(curl)
        guard result == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let reason = detail.isEmpty ? String(cString: curl_easy_strerror(result)) : detail
            throw CoreReconError.unavailable("SMTP \(reply > 0 ? "\(reply): " : "")\(reason)")
        }
        return reply
    }
}
