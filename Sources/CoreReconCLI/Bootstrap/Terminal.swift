import Foundation

/// The process's standard streams.
enum Terminal {
    enum Stream {
        case standardInput, standardOutput, standardError

        var descriptor: Int32 {
            switch self {
            case .standardInput: STDIN_FILENO
            case .standardOutput: STDOUT_FILENO
            case .standardError: STDERR_FILENO
            }
        }
    }

    static func isTerminal(_ stream: Stream) -> Bool { isatty(stream.descriptor) == 1 }

    /// Writes a line to stderr: messages, warnings, errors, progress. Never results.
    static func printError(_ message: String, newline: Bool = true) {
        FileHandle.standardError.write(Data((message + (newline ? "\n" : "")).utf8))
    }
}
