#if canImport(Glibc)
import Glibc
#endif

/// Reads a file (or standard input for "-") in blocks of `size` bytes.
struct BlockReader {
    private let fd: Int32
    private let size: Int
    private var done = false

    init(path: String, size: Int = 1 << 20) throws {
        fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw Files.Failure(description: String(cString: strerror(errno))) }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            if fd != 0 { close(fd) }
            throw Files.Failure(description: "is a directory")
        }
        self.size = size
    }

    /// The whole content of a small file (a stamp, a training file), read in blocks.
    static func readAll(_ path: String) throws -> [UInt8] {
        var reader = try BlockReader(path: path)
        var out: [UInt8] = []
        while let block = try reader.next() { out.append(contentsOf: block) }
        return out
    }

    /// The next block, or nil at the end (the file is then closed).
    mutating func next() throws -> [UInt8]? {
        guard !done else { return nil }
        // Read into uninitialized storage: zero-filling a 1 MiB block first cost a measurable part of
        // the start-up of `echo 中文 | hanpipe clean` (untouched capacity costs no memory).
        var failure: Int32 = 0
        let block = [UInt8](unsafeUninitializedCapacity: size) { buffer, filled in
            filled = 0
            while filled < size {
                let n = Glibc.read(fd, buffer.baseAddress! + filled, size - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { break }
                filled += n
            }
        }
        if failure != 0 { throw Files.Failure(description: String(cString: strerror(failure))) }
        if block.isEmpty {
            done = true
            if fd != 0 { close(fd) }
            return nil
        }
        return block
    }
}
