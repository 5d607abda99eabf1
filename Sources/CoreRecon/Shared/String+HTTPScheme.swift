extension String {
    /// Whether the text starts with `http://` or `https://`, byte for byte. `hasPrefix` compares characters, and a
    /// combining mark after the `//` joins the slash into another character: `https://\u{941}x` would fail it.
    public var hasHTTPScheme: Bool {
        utf8.starts(with: "http://".utf8) || utf8.starts(with: "https://".utf8)
    }
}
