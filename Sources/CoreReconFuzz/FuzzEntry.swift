import CoreRecon
import CoreReconFuzzTargets
import Foundation

// Built with `scripts/fuzz` (`-sanitize=fuzzer,address -D CORERECON_LIBFUZZER`), this is a libFuzzer target
// whose parser `CORERECON_FUZZ_TARGET` names. Built plainly, it replays files through a target:
// `CoreReconFuzz TARGET FILE...`, exit 1 on the first violation.

#if CORERECON_LIBFUZZER
    let target: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["CORERECON_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("CORERECON_FUZZ_TARGET must be one of: \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    // SwiftPM links an executable's entry point under this name (for testability), so libFuzzer's own main is
    // not used: this one hands over to libFuzzer's driver.
    @_cdecl("CoreReconFuzz_main")
    public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        var argc = argc
        var argv = argv
        return runFuzzerDriver(&argc, &argv, fuzzOne)
    }

    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        do {
            try target.run(UnsafeBufferPointer(start: data, count: size))
        } catch {
            // A broken invariant is a finding: abort, so libFuzzer saves the input.
            fatalError("\(target.rawValue): \(error)")
        }
        return 0
    }
#else
    @main
    struct Replay {
        static func main() {
            let arguments = CommandLine.arguments.dropFirst()
            if arguments.first == "mutate" {
                mutate(Array(arguments.dropFirst()))
                return
            }
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
                FileHandle.standardError.write(
                    Data(
                        ("usage: CoreReconFuzz \(names) FILE...\n"
                            + "       CoreReconFuzz mutate FILE COUNT [SEED]   (mutated records as NDJSON on stdout)\n")
                            .utf8))
                exit(64)
            }
            for path in arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("error: cannot read \(path)\n".utf8))
                    exit(66)
                }
                do {
                    try target.run(Array(data))
                } catch {
                    FileHandle.standardError.write(Data("error: \(path): \(error)\n".utf8))
                    exit(1)
                }
            }
        }

        /// `mutate FILE COUNT [SEED]`: COUNT records, each a copy of one of FILE's records (NDJSON, an array or
        /// objects one after another), mutated as ``AlertMutator`` does, with every third left intact.
        static func mutate(_ arguments: [String]) {
            guard arguments.count >= 2, let data = FileManager.default.contents(atPath: arguments[0]),
                let count = Int(arguments[1])
            else {
                FileHandle.standardError.write(Data("usage: CoreReconFuzz mutate FILE COUNT [SEED]\n".utf8))
                exit(64)
            }
            var splitter = RecordSplitter()
            let records = (splitter.feed(data) + splitter.finish()).map { String(decoding: $0.bytes, as: UTF8.self) }
                .map { $0.replacingOccurrences(of: "\n", with: " ") }
            guard !records.isEmpty else {
                FileHandle.standardError.write(Data("error: \(arguments[0]) holds no records\n".utf8))
                exit(65)
            }
            var mutator = AlertMutator(seed: arguments.count > 2 ? UInt64(arguments[2]) ?? 1 : 1)
            var output = ""
            for index in 0..<count {
                let record = records[index % records.count]
                output += (index % 3 == 0 ? record : mutator.mutate(record).text) + "\n"
                if output.utf8.count > 1 << 20 {
                    FileHandle.standardOutput.write(Data(output.utf8))
                    output = ""
                }
            }
            FileHandle.standardOutput.write(Data(output.utf8))
        }
    }
#endif
