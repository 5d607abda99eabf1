import Foundation
import Testing

@testable import CoreReconServer

@Suite("Log writer")
struct LogWriterTests {
    @Test("Lines from many tasks arrive whole, each task's in order, past the buffer limit too")
    func linesArriveWholeAndInOrder() async throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        let (reading, writing) = (descriptors[0], descriptors[1])
        let writer = LogWriter(descriptor: writing)
        // Drain the pipe meanwhile, or writes block once it is full.
        let reader = Task.detached { () -> [UInt8] in
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(reading, &buffer, buffer.count)
                if count <= 0 { return received }
                received.append(contentsOf: buffer[0..<count])
            }
        }
        let tasks = 8
        let lines = 2_000  // 8 × 2,000 lines of ~150 bytes: more than the 1 MB limit
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for line in 0..<lines {
                        let padding = String(repeating: "x", count: 128)
                        writer.write(Array("\(task) \(line) \(padding)\n".utf8))
                    }
                }
            }
        }
        writer.flush()
        close(writing)
        let text = String(decoding: await reader.value, as: UTF8.self)
        var next = [Int](repeating: 0, count: tasks)
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            #expect(fields.count == 3 && fields[2].count == 128, "a torn line: \(line.prefix(40))")
            guard fields.count == 3, let task = Int(fields[0]), let number = Int(fields[1]) else { continue }
            #expect(number == next[task], "task \(task): line \(number) after \(next[task] - 1)")
            next[task] = number + 1
        }
        #expect(next == [Int](repeating: lines, count: tasks))
        close(reading)
    }
}
