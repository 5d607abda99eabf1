import CoreRecon
import CoreReconFuzzTargets
import CoreReconTestSupport
import Foundation
import Testing

/// Every past fuzzing finding and the seed corpus, replayed through the fuzz targets in the normal test run: a
/// crash, a trap or a hang fails the run, and so does a broken invariant.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    static func files(_ directory: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            return []
        }
        return walker.compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath }.sorted { $0.path < $1.path }
    }

    @Test("Past findings and hand-made seeds replay cleanly", arguments: FuzzTarget.allCases)
    func findings(target: FuzzTarget) throws {
        for file in Self.files(Self.fixtures.appendingPathComponent("fuzz/\(target.rawValue)")) {
            try target.run(Array(try Data(contentsOf: file)))
        }
    }

    @Test("Every alert fixture, whole and record by record, goes through the ingest targets")
    func alertFixtures() throws {
        let files = Self.files(Self.fixtures.appendingPathComponent("alerts"))
        #expect(!files.isEmpty)
        for file in files {
            let bytes = Array(try Data(contentsOf: file))
            try FuzzTarget.splitter.run(bytes)
            var splitter = RecordSplitter()
            for record in splitter.feed(bytes) + splitter.finish() {
                try FuzzTarget.json.run(record.bytes)
                try FuzzTarget.normalizer.run(record.bytes)
            }
        }
    }

    @Test(
        "The real third-party data goes through its targets",
        .enabled(if: SharedData.isAvailable, SharedData.skipReason))
    func sharedData() throws {
        for file in Self.files(SharedData.url("alerts")) where ["json", "ndjson"].contains(file.pathExtension) {
            let bytes = Array(try Data(contentsOf: file))
            try FuzzTarget.splitter.run(bytes)
            var splitter = RecordSplitter()
            for record in (splitter.feed(bytes) + splitter.finish()).prefix(200) {
                try FuzzTarget.json.run(record.bytes)
                try FuzzTarget.normalizer.run(record.bytes)
            }
        }
        for file in Self.files(SharedData.url("stix")) where file.pathExtension == "json" {
            let bytes = Array(try Data(contentsOf: file))
            try FuzzTarget.attack.run(bytes)
            try FuzzTarget.feed.run(bytes)
            for object in (try JSONParser.parse(bytes))[key: "objects"]?.arrayValue ?? [] {
                if case .string(let pattern)? = object[key: "pattern"] {
                    try FuzzTarget.stixpattern.run(Array(pattern.utf8))
                }
            }
        }
        for directory in ["misp/events", "ioc"] {
            for file in Self.files(SharedData.url(directory)) where !file.lastPathComponent.hasPrefix("LICENSE") {
                try FuzzTarget.feed.run(Array(try Data(contentsOf: file)))
            }
        }
        // Mutated feeds: whole STIX bundles and MISP events damaged as broken exporters damage them.
        var mutator = AlertMutator(seed: 9)
        for path in ["stix/oasis-examples/apt1.json", "misp/events/circl-osint-hidden-cobra.json"] {
            let compact = try JSONParser.parse(Array(try Data(contentsOf: SharedData.url(path)))).jsonString
            for _ in 0..<100 { try FuzzTarget.feed.run(Array(mutator.mutate(compact).text.utf8)) }
        }
        for file in Self.files(SharedData.url("attack/navigator")) where file.pathExtension == "json" {
            try FuzzTarget.navigator.run(Array(try Data(contentsOf: file)))
        }
    }

    @Test("Mutated real alerts (flipped bytes, cut records, huge values, deep nesting) never break a target")
    func mutatedAlerts() throws {
        var mutator = AlertMutator(seed: 42)
        for file in Self.files(Self.fixtures.appendingPathComponent("alerts")).prefix(12) {
            let text = try String(contentsOf: file, encoding: .utf8)
            var splitter = RecordSplitter()
            for record in (splitter.feed(Array(text.utf8)) + splitter.finish()).prefix(3) {
                for _ in 0..<10 {
                    let mutated = Array(mutator.mutate(String(decoding: record.bytes, as: UTF8.self)).text.utf8)
                    try FuzzTarget.splitter.run(mutated)
                    try FuzzTarget.json.run(mutated)
                    try FuzzTarget.normalizer.run(mutated)
                }
            }
        }
    }
}
