#if canImport(Glibc)
import Glibc
#endif

/// Bytes kept in memory up to `limit`, then in an unlinked temporary file: lets a long document's
/// annotation arrays be written in the format's order without holding them all in memory.
final class Spool {
    private var buffer: [UInt8] = []
    private var fd: Int32 = -1
    private let limit: Int
    private(set) var count = 0

    init(limit: Int = 4 << 20) { self.limit = limit }

    deinit { if fd >= 0 { close(fd) } }

    func append(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        count += bytes.count
        if buffer.count >= limit { try spill() }
    }

    private func spill() throws {
        if fd < 0 {
            let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
            var template = Array("\(dir)/hanpipe-spool-XXXXXX".utf8CString)
            fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            if fd < 0 { throw HanPipeError.input("cannot create a temporary file in \(dir)") }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        }
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 { if errno == EINTR { continue }; throw HanPipeError.input("cannot write a temporary file") }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Hands every byte appended so far to `write`, in blocks.
    func replay(_ write: ([UInt8]) throws -> Void) throws {
        if fd >= 0 {
            lseek(fd, 0, SEEK_SET)
            var block = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let n = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 { if errno == EINTR { continue }; throw HanPipeError.input("cannot read a temporary file") }
                if n == 0 { break }
                try write(Array(block[0..<n]))
            }
            lseek(fd, 0, SEEK_END)
        }
        if !buffer.isEmpty { try write(buffer) }
    }
}
