#if canImport(Glibc)
import Glibc
#endif

/// One-line messages on standard error, `hanpipe: <file>: <message>`.
enum Diagnostics {
    static func line(_ message: String) {
        raw("hanpipe: \(message)\n")
    }

    /// Writes text to standard error unbuffered, in one write(2) (so lines from workers never interleave
    /// mid-line).
    static func raw(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }

    static func error(_ file: String, _ message: String) { line("\(file): \(message)") }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }
}
