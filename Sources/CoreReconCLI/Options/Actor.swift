import Foundation

/// Who is acting: `--as USER`, else `CORERECON_USER`, else the login name.
enum Actor {
    static func resolve(_ flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String
    {
        if let flag, !flag.isEmpty { return flag }
        if let user = environment["CORERECON_USER"], !user.isEmpty { return user }
        if let login = environment["USER"] ?? environment["LOGNAME"], !login.isEmpty { return login }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "unknown"
    }
}
