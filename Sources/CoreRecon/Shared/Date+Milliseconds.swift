import Foundation

extension Date {
    /// Epoch milliseconds, the unit of every stored time (as in OCSF).
    /// Dates beyond what 64 bits of milliseconds hold (about 292 million years) saturate rather than trap.
    public var milliseconds: Int64 {
        let value = (timeIntervalSince1970 * 1_000).rounded()
        guard !value.isNaN else { return 0 }
        return Int64(exactly: value) ?? (value > 0 ? .max : .min)
    }

    public init(milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1_000)
    }
}
