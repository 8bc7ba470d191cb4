import HanPipe
#if canImport(Glibc)
import Glibc
#endif

/// Buffered standard output. A closed pipe (EPIPE) ends the process quietly with status 0, as `head`
/// downstream expects.
enum Output {
    nonisolated(unsafe) private static var buffer: [UInt8] = []

    static func write(_ bytes: [UInt8]) {
        // A large block (a streamed chunk of clean text) goes out as it is when nothing is buffered,
        // rather than being copied into the buffer first.
        if buffer.isEmpty && bytes.count >= 1 << 16 { return writeOut(bytes) }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    static func write(_ s: String) { write(Array(s.utf8)) }

    static func flush() {
        writeOut(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private static func writeOut(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { exit(0) }
                Diagnostics.line("standard output: \(String(cString: strerror(errno)))")
                exit(Status.input.rawValue)
            }
            offset += n
        }
    }
}
