import Testing
import Foundation

/// Runs the built `hanpipe` binary.
enum CLI {
    static var binary: URL {
        let testBundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [testBundle, testBundle.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("hanpipe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return packageRoot.appendingPathComponent(".build/debug/hanpipe")
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    struct Result { var status: Int32; var stdout: Data; var stderr: String }

    static func run(_ arguments: [String], stdin: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        var outData = Data(), errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }
}

@Suite struct CLITests {
    @Test func versionNamesICU() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0)
        #expect(String(decoding: r.stdout, as: UTF8.self).contains("ICU"))
    }

    @Test func usageErrorExits2() throws {
        let r = try CLI.run(["clean", "--to", "martian"])
        #expect(r.status == 2)
    }

    @Test func cleanReadsStandardInput() throws {
        let r = try CLI.run(["clean"], stdin: Data("長(chang)三角".utf8))
        #expect(r.status == 0)
        #expect(String(decoding: r.stdout, as: UTF8.self) == "长三角")
    }
}
