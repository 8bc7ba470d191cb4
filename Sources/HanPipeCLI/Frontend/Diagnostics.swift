#if canImport(Glibc)
import Glibc
#endif

/// One-line messages on standard error, `hanpipe: <file>: <message>`.
enum Diagnostics {
    static func line(_ message: String) {
        let text = "hanpipe: \(message)\n"
        _ = text.withCString { fputs($0, stderr) }
    }

    static func error(_ file: String, _ message: String) { line("\(file): \(message)") }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }
}
