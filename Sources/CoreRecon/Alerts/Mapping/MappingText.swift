/// Small text helpers the mappers share.
enum MappingText {
    /// `DOMAIN\user` → ("user", "DOMAIN"); other forms (UPNs, API client ids) stay whole.
    static func splitAccount(_ account: String) -> (name: String, domain: String?) {
        guard let slash = account.lastIndex(of: "\\") else { return (account, nil) }
        let name = String(account[account.index(after: slash)...])
        let domain = String(account[..<slash])
        return name.isEmpty ? (account, nil) : (name, domain.isEmpty ? nil : domain)
    }

    /// `"10.0.0.1, 10.0.0.2"` → both: agents write several addresses in one field.
    static func splitList(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
    }

    /// The values in their order, each once.
    static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    /// T1059, T1059.001, TA0002.
    static func isAttackID(_ id: String) -> Bool {
        var rest = Substring(id)
        guard rest.first == "T" else { return false }
        rest = rest.dropFirst()
        if rest.first == "A" { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard let base = parts.first, base.count == 4, base.allSatisfy(\.isASCIIDigit) else { return false }
        return parts.count == 1 || (parts.count == 2 && parts[1].count == 3 && parts[1].allSatisfy(\.isASCIIDigit))
    }
}
