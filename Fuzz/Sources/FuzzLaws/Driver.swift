import CFuzzDriver
import Foundation
import HanPipe

// The laws themselves are in Laws.swift, a symbolic link to Tests/HanPipeTests/Laws/Laws.swift: the
// property tests and the fuzz targets check one source. This file holds only what fuzzing adds: a broken
// law aborts the process, which libFuzzer reports as a crash and saves as a reproducer.

extension Laws {
    public static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("LAW VIOLATED: \(message)\n".utf8))
        abort()
    }

    /// Runs `body`, turning a broken law into a crash.
    public static func require(_ what: String, _ body: () throws -> Void) {
        do { try body() } catch { fail("\(what): \(error)") }
    }

    /// The body of the test function libFuzzer calls with each input.
    nonisolated(unsafe) static var body: ([UInt8]) -> Void = { _ in }

    /// Hands the process over to libFuzzer's driver with the command-line arguments; `test` is run on
    /// each input. It runs first on `warmUp`, outside the driver's clock, so that one-time set-up (the
    /// readings table, ICU's data and pools: about a second under the fuzzer's instrumentation) is not
    /// charged to the first input as a timeout. Never returns.
    public static func runFuzzer(warmUp: String = "長三角(chang san jiao)生(sheng)態。2023年", _ test: @escaping ([UInt8]) -> Void) -> Never {
        test(Array(warmUp.utf8))
        body = test
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            Laws.body(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
            return 0
        }
        exit(status)
    }
}
