import Foundation
import Testing
@testable import HanPipe
#if canImport(Glibc)
import Glibc
#endif

/// SplitMix64: a small seeded generator, so that every kill moment can be replayed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    /// The next number: the library's `mix64` (SplitMix64's finaliser, golden-ratio step included) of the
    /// state, which then takes that step.
    mutating func next() -> UInt64 {
        defer { state &+= 0x9E37_79B9_7F4A_7C15 }
        return mix64(state)
    }
}

/// `run` killed with SIGKILL at a random moment leaves only complete outputs, and `run --resume` then
/// finishes the rest, without redoing finished inputs, into a folder byte-identical to an uninterrupted
/// run's. The number of kill-and-resume rounds is HANPIPE_RESUME_ROUNDS (default 3);
/// `Scripts/kill-resume` runs 20.
@Suite(.serialized) struct ResumeTests {
    static var rounds: Int { Int(ProcessInfo.processInfo.environment["HANPIPE_RESUME_ROUNDS"] ?? "") ?? 3 }
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["HANPIPE_RESUME_SEED"] ?? "") ?? 20_261_129 }

    /// A corpus of 30 files in 4 folders, one of them not text (reported, exit 3, in every run).
    static func makeCorpus(in dir: Scratch) throws {
        var random = SeededRandom(seed: 7)
        let line = "長三角毗鄰地區生(sheng)(sheng)態(tai)環境廳(局),水務(利)制(zhi)(zhi)度(上海市(shi)金山區,浙江(jiang)省)並於2023年發布136項措施。\r\n"
        for i in 0..<30 {
            let count = Int.random(in: 1...60, using: &random)
            try dir.write("in/d\(i % 4)/f\(i).txt", String(repeating: line, count: count))
        }
        try dir.write("in/d1/binary.dat", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0xFF])
    }

    /// Starts `hanpipe run` and returns the process without waiting.
    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func isTemporary(_ name: String) -> Bool {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        return base.hasPrefix(".") && base.hasSuffix(".tmp") && base.contains(".hanpipe-")
    }

    /// Modification times of files, to see which ones a later run rewrote.
    static func mtimes(_ root: String, _ names: [String]) -> [String: Int] {
        var result: [String: Int] = [:]
        for name in names {
            var st = stat()
            if stat(root + "/" + name, &st) == 0 { result[name] = st.st_mtim.tv_sec * 1_000_000_000 + st.st_mtim.tv_nsec }
        }
        return result
    }

    @Test func killedRunsResumeToTheSameBytes() throws {
        let dir = try Scratch()
        defer { dir.remove() }
        try ResumeTests.makeCorpus(in: dir)
        let input = dir.path + "/in"

        let t0 = ResumeTests.now()
        let reference = try ResumeTests.start(["run", input, "-o", dir.path + "/ref", "-j", "2"])
        reference.waitUntilExit()
        let duration = ResumeTests.now() - t0
        #expect(reference.terminationStatus == 3)  // the binary file
        let expected = dir.files(under: "ref")
        #expect(expected.count == 30 * 3)  // .txt, .json and a stamp per text file

        var random = SeededRandom(seed: ResumeTests.seed)
        var partial = 0, none = 0, complete = 0
        for round in 0..<ResumeTests.rounds {
            let out = "out\(round)"
            // The first quarter of a run is mostly process start-up: kills are spread over the rest.
            let delay = Double.random(in: (duration / 4)...duration, using: &random)
            let victim = try ResumeTests.start(["run", input, "-o", dir.path + "/" + out, "-j", "2"])
            usleep(UInt32(delay * 1e6))
            kill(victim.processIdentifier, SIGKILL)
            victim.waitUntilExit()

            // Every output that exists is complete: it equals the reference's file of that name.
            let killed = dir.files(under: out)
            for (name, data) in killed where !ResumeTests.isTemporary(name) {
                #expect(expected[name] == data, "round \(round) (kill after \(delay) s): \(name) is incomplete or unexpected")
            }
            let finished = killed.keys.filter { $0.hasSuffix(".stamp") }
            if finished.isEmpty { none += 1 } else if finished.count < 30 { partial += 1 } else { complete += 1 }
            // Outputs vouched for by a stamp must not be rewritten by the resumed run.
            let vouched = finished.flatMap { stamp -> [String] in
                let base = String(stamp.dropFirst(".hanpipe/stamps/".count).dropLast(".stamp".count))
                return [base + ".txt", base + ".json"]
            }
            let before = ResumeTests.mtimes(dir.path + "/" + out, vouched)

            let resumed = try ResumeTests.start(["run", "--resume", input, "-o", dir.path + "/" + out, "-j", "2"])
            resumed.waitUntilExit()
            #expect(resumed.terminationStatus == 3)
            let after = dir.files(under: out)
            #expect(after.keys.sorted() == expected.keys.sorted(), "round \(round): different files after --resume")
            #expect(after == expected, "round \(round): different bytes after --resume")
            #expect(ResumeTests.mtimes(dir.path + "/" + out, vouched) == before, "round \(round): finished outputs were redone")
        }
        // Not asserted (it depends on the machine's speed), but shown: how many kills fell mid-run.
        print("kill-and-resume: \(ResumeTests.rounds) rounds passed (killed with 0 inputs finished: \(none), "
              + "some: \(partial), all: \(complete)); uninterrupted run \(Int(duration * 1000)) ms")
    }

    /// What --resume treats as not current: a changed input, changed options, a deleted or truncated
    /// output, a missing stamp.
    @Test func resumeRedoesWhatIsNotCurrent() throws {
        let dir = try Scratch()
        defer { dir.remove() }
        let a = try dir.write("in/a.txt", "生(sheng)態")
        try dir.write("in/b.txt", "長(chang)")
        let out = dir.path + "/out"
        #expect(try CLI.run(["run", dir.path + "/in", "-o", out]).status == 0)
        func mtime(_ name: String) -> Int { ResumeTests.mtimes(out, [name])[name] ?? -1 }
        let first = mtime("in/b.txt")

        // Same input, same options: nothing redone.
        #expect(try CLI.run(["run", "--resume", dir.path + "/in", "-o", out]).status == 0)
        #expect(mtime("in/b.txt") == first)

        // A changed input is redone (even when its size and the outputs' size stay the same).
        try dir.write("in/a.txt", "生(sheng)态")
        var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
        utimensat(AT_FDCWD, a, &times, 0)
        #expect(try CLI.run(["run", "--resume", "--to", "keep", dir.path + "/in", "-o", out]).status == 0)
        #expect(dir.files(under: "out")["in/a.txt"] == Data("生态".utf8))
        // Changed options (--to keep) redo every input.
        #expect(dir.files(under: "out")["in/b.txt"] == Data("長".utf8))

        // A truncated output, or a deleted one, is redone.
        try dir.write("out/in/b.txt", "")
        try FileManager.default.removeItem(atPath: out + "/in/a.json")
        #expect(try CLI.run(["run", "--resume", "--to", "keep", dir.path + "/in", "-o", out]).status == 0)
        #expect(dir.files(under: "out")["in/b.txt"] == Data("長".utf8))
        #expect(dir.files(under: "out")["in/a.json"] != nil)

        // Without a stamp (killed between outputs and stamp), the input is redone.
        try FileManager.default.removeItem(atPath: out + "/.hanpipe/stamps/in/b.stamp")
        try dir.write("out/in/b.txt", "x")
        #expect(try CLI.run(["run", "--resume", "--to", "keep", dir.path + "/in", "-o", out]).status == 0)
        #expect(dir.files(under: "out")["in/b.txt"] == Data("長".utf8))

        // A stale temporary file of a dead writer is swept; one of a live process (ours) is left.
        try dir.write("out/in/.b.txt.hanpipe-999999-12.tmp", "half")
        try dir.write("out/in/.b.txt.hanpipe-\(getpid())-12.tmp", "live")
        #expect(try CLI.run(["run", "--resume", "--to", "keep", dir.path + "/in", "-o", out]).status == 0)
        let names = dir.files(under: "out").keys
        #expect(!names.contains("in/.b.txt.hanpipe-999999-12.tmp"))
        #expect(names.contains("in/.b.txt.hanpipe-\(getpid())-12.tmp"))
    }
}
