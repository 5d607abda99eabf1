import Foundation
import Testing

/// Lets `scripts/test` prove that it exits non-zero when a test fails: with `CORERECON_TEST_CANARY=fail` this
/// test fails, with `pass` it passes, and without the variable it does not run.
@Suite("TestCommandCanary")
struct TestCommandCanary {
    static let mode = ProcessInfo.processInfo.environment["CORERECON_TEST_CANARY"]

    @Test("Fails on purpose when CORERECON_TEST_CANARY=fail", .enabled(if: mode != nil, "run by scripts/test only"))
    func canary() {
        #expect(Self.mode == "pass", "CORERECON_TEST_CANARY=\(Self.mode ?? "") asks this test to fail")
    }
}
