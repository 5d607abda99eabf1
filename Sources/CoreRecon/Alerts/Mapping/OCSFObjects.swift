/// Small builders for OCSF objects that many mappers share.
public enum OCSFObjects {
    /// `network_endpoint`: ip, port, hostname.
    public static func endpoint(ip: String?, port: Int? = nil, hostname: String? = nil) -> JSONValue? {
        JSONValue.compactObject([
            ("ip", ip.map(JSONValue.string)),
            ("port", port.map(JSONValue.int)),
            ("hostname", hostname.map(JSONValue.string)),
        ])
    }

    /// `device`: the host the alert is about.
    public static func device(hostname: String?, ip: String? = nil, uid: String? = nil, os: String? = nil) -> JSONValue?
    {
        guard hostname != nil || ip != nil || uid != nil else { return nil }
        return JSONValue.compactObject([
            ("hostname", hostname.map(JSONValue.string)),
            ("ip", ip.map(JSONValue.string)),
            ("uid", uid.map(JSONValue.string)),
            (
                "os",
                os.map { JSONValue.object([JSONMember("name", .string($0)), JSONMember("type_id", .int(osType($0)))]) }
            ),
            // type_id 0 = Unknown: the sources rarely say whether it is a server or a desktop.
            ("type_id", .int(0)),
        ])
    }

    /// OCSF `os.type_id` from an OS name: 100 Windows, 200 Linux, 201 Android, 300 macOS, 301 iOS, 99 Other.
    public static func osType(_ name: String) -> Int {
        let lower = name.lowercased()
        if lower.contains("windows") { return 100 }
        if lower.contains("android") { return 201 }
        if lower.contains("linux") { return 200 }
        if lower.contains("mac") || lower.contains("osx") { return 300 }
        if lower == "ios" || lower.hasPrefix("ios ") { return 301 }
        return 99
    }

    /// `user`: name, uid, domain.
    public static func user(name: String?, uid: String? = nil, domain: String? = nil) -> JSONValue? {
        JSONValue.compactObject([
            ("name", name.map(JSONValue.string)),
            ("uid", uid.map(JSONValue.string)),
            ("domain", domain.map(JSONValue.string)),
        ])
    }

    /// `file` with its hashes (`fingerprint` objects: algorithm_id 1 MD5, 2 SHA-1, 3 SHA-256).
    public static func file(
        name: String?, path: String? = nil, md5: String? = nil, sha1: String? = nil,
        sha256: String? = nil
    ) -> JSONValue? {
        var hashes: [JSONValue] = []
        for (id, algorithm, value) in [(1, "MD5", md5), (2, "SHA-1", sha1), (3, "SHA-256", sha256)] {
            if let value {
                hashes.append(
                    .object([
                        JSONMember("algorithm_id", .int(id)), JSONMember("algorithm", .string(algorithm)),
                        JSONMember("value", .string(value.lowercased())),
                    ]))
            }
        }
        // OCSF requires a file's name; hashes alone stay observables.
        guard let fileName = name ?? path.map(lastPathComponent),
            !fileName.isEmpty
        else { return nil }
        return JSONValue.compactObject([
            ("name", .string(fileName)),
            ("path", path.map(JSONValue.string)),
            ("hashes", .array(hashes)),
            ("type_id", .int(1)),  // 1 = Regular File
        ])
    }

    /// `process`: name (from the path when not given), pid, uid, cmd_line, its executable `file`, user and
    /// parent process.
    public static func process(
        name: String?, pid: Int? = nil, commandLine: String? = nil, path: String? = nil,
        user: String? = nil, uid: String? = nil, parent: JSONValue? = nil
    ) -> JSONValue? {
        JSONValue.compactObject([
            ("name", (name ?? path.map(lastPathComponent)).map(JSONValue.string)),
            ("pid", pid.map(JSONValue.int)),
            ("uid", uid.map(JSONValue.string)),
            ("cmd_line", commandLine.map(JSONValue.string)),
            ("file", file(name: nil, path: path)),
            ("user", user.flatMap { self.user(name: $0) }),
            ("parent_process", parent),
        ])
    }

    /// The last component of a Windows or POSIX path.
    public static func lastPathComponent(_ path: String) -> String {
        String(path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? Substring(path))
    }

    /// One `evidences` entry from its parts (nil parts are left out).
    public static func evidence(_ parts: [(String, JSONValue?)]) -> JSONValue? {
        JSONValue.compactObject(parts)
    }
}

/// Severity scales of the sources, converted to OCSF `severity_id`.
public enum SeverityScale {
    /// Words SIEMs use: "critical", "High", "MEDIUM", "moderate", "informational", "warning", ...
    public static func fromWord(_ word: String) -> Severity? {
        switch word.trimmingWhitespace.lowercased() {
        case "critical", "crit", "severe", "emergency", "emerg", "alert": .critical
        case "high", "major", "error", "err", "important": .high
        case "medium", "med", "moderate", "warning", "warn", "minor": .medium
        case "low", "notice": .low
        case "informational", "information", "info", "debug", "none": .informational
        case "fatal": .fatal
        case "unknown", "unspecified", "severity_unspecified", "unknownfuturevalue": .unknown
        default: nil
        }
    }

    /// A 0–10 score (GuardDuty, CVSS-like): <1 informational, 1–3.9 low, 4–6.9 medium, 7–8.9 high, 9+ critical.
    public static func fromTen(_ score: Double) -> Severity {
        switch score {
        case ..<1: .informational
        case ..<4: .low
        case ..<7: .medium
        case ..<9: .high
        default: .critical
        }
    }

    /// A 0–100 risk score (Elastic): 0–21 low, 22–47 medium, 48–73 high, 74–100 critical.
    public static func fromHundred(_ score: Double) -> Severity {
        switch score {
        case ..<22: .low
        case ..<48: .medium
        case ..<74: .high
        default: .critical
        }
    }
}
