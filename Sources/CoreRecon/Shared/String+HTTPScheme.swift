import Foundation

extension String {
    /// Whether the text starts with `http://` or `https://`, byte for byte. `hasPrefix` compares characters, and a
    /// combining mark after the `//` joins the slash into another character: `https://\u{941}x` would fail it.
    public var hasHTTPScheme: Bool {
        utf8.starts(with: "http://".utf8) || utf8.starts(with: "https://".utf8)
    }

    /// Whether the text is an `http://` or `https://` URL that parses, with a host and a valid port: what a URL
    /// given for fetching (a feed, a TAXII server, a notification channel) must be. `http://[x`, `https://` and
    /// `http://host:99999` are not.
    public var isHTTPURL: Bool {
        guard hasHTTPScheme, let components = URLComponents(string: self), let host = components.host, !host.isEmpty
        else { return false }
        return components.port.map { (1...65_535).contains($0) } ?? true
    }
}
