import HanPipe
#if canImport(Glibc)
import Glibc
#endif

/// Reads a file descriptor line by line in blocks (for JSON Lines), so memory stays bounded: a line
/// that `limit` refuses (the decoder's rule, ``LineLimit``) is not kept but skipped to its end and
/// reported as `.tooLong`.
/// Linear: the newline search resumes where it stopped, and consumed bytes are dropped in bulk.
struct LineReader {
    enum Line {
        /// A line without its newline (and without a CR before it), with its byte offset in the input.
        case line(ArraySlice<UInt8>, offset: Int)
        /// A line the limit refuses, starting at this byte offset.
        case tooLong(offset: Int)
    }

    private let fd: Int32
    private let limit: LineLimit
    private var buffer: [UInt8] = []
    private var start = 0            // start of the current line in `buffer`
    private var scanned = 0          // no newline in buffer[start..<scanned]
    private var base = 0             // input offset of buffer[0]
    private var skipping = false     // inside a line that is too long
    private var eof = false
    private(set) var lineNumber = 0

    init(fd: Int32, limit: LineLimit) {
        self.fd = fd
        self.limit = limit
    }

    mutating func next() throws -> Line? {
        while true {
            if let nl = buffer[scanned...].firstIndex(of: 0x0A) {
                let offset = base + start
                var line = buffer[start..<nl]
                start = nl + 1
                scanned = start
                lineNumber += 1
                if skipping { skipping = false; return .tooLong(offset: skippedFrom) }
                if limit.refuses(length: line.count) { return .tooLong(offset: offset) }
                if line.last == 0x0D { line = line.dropLast() }
                return .line(line, offset: offset)
            }
            scanned = buffer.count
            if !skipping && limit.refuses(length: buffer.count - start) {
                // Too long: forget its bytes and skip to the next newline.
                skipping = true
                skippedFrom = base + start
            }
            if skipping { base += buffer.count; buffer.removeAll(keepingCapacity: true); start = 0; scanned = 0 }
            if eof {
                if skipping { skipping = false; lineNumber += 1; return .tooLong(offset: skippedFrom) }
                if start < buffer.count {
                    let line = buffer[start...]
                    let offset = base + start
                    start = buffer.count
                    scanned = start
                    lineNumber += 1
                    return .line(line, offset: offset)
                }
                return nil
            }
            if start > 0 && start >= buffer.count / 2 {
                buffer.removeSubrange(0..<start)
                base += start
                scanned -= start
                start = 0
            }
            if try readSome(into: &buffer) == 0 { eof = true }
        }
    }

    private var skippedFrom = 0

    /// Appends up to 1 MiB read from `fd`; returns the number of bytes read.
    private func readSome(into buffer: inout [UInt8]) throws -> Int {
        let chunk = 1 << 20
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + old, chunk) }
            if n < 0 {
                if errno == EINTR { continue }
                buffer.removeLast(chunk)
                throw Files.Failure(description: String(cString: strerror(errno)))
            }
            buffer.removeLast(chunk - n)
            return n
        }
    }
}
