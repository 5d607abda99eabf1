import Foundation

/// A one-line progress display on stderr, redrawn in place; silent unless stderr is a terminal.
final class ProgressLine {
    private let isEnabled: Bool
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var isDrawn = false

    init(enabled: Bool = Terminal.isTerminal(.standardError)) {
        isEnabled = enabled
    }

    /// Redraws at most ten times a second.
    func update(_ text: @autoclosure () -> String) {
        guard isEnabled else { return }
        let now = ContinuousClock.now
        guard now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = now
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text()).utf8))
        isDrawn = true
    }

    /// Clears the line so the next message starts clean.
    func clear() {
        guard isEnabled, isDrawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        isDrawn = false
    }
}

extension Int {
    /// 12345 → "12,345". By hand: locale-aware formatting would load ICU at start-up.
    var grouped: String {
        let digits = String(magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return self < 0 ? "-" + result : result
    }
}
