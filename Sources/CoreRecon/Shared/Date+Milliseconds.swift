import Foundation

extension Date {
    /// Epoch milliseconds, the unit of every stored time (as in OCSF).
    public var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1_000).rounded()) }

    public init(milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1_000)
    }
}
