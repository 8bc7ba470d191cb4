import Dispatch
import HanPipe
#if canImport(Glibc)
import Glibc
#endif

/// Buffered standard output. A closed pipe (EPIPE) ends the process quietly with status 0, as `head`
/// downstream expects.
enum Output {
    nonisolated(unsafe) private static var buffer: [UInt8] = []

    static func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    static func write(_ s: String) { write(Array(s.utf8)) }

    static func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { exit(0) }
                Diagnostics.line("standard output: \(String(cString: strerror(errno)))")
                exit(Status.input.rawValue)
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// One-line messages on standard error, `hanpipe: <file>: <message>`.
enum Diagnostics {
    static func line(_ message: String) {
        let text = "hanpipe: \(message)\n"
        _ = text.withCString { fputs($0, stderr) }
    }

    static func error(_ file: String, _ message: String) { line("\(file): \(message)") }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }
}

enum System {
    static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// Reading, writing and walking files with POSIX calls.
enum Files {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The whole content of a file, or of standard input for "-".
    static func read(_ path: String) throws -> [UInt8] {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw Failure(description: String(cString: strerror(errno))) }
        defer { if fd != 0 { close(fd) } }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { throw Failure(description: "is a directory") }
        var out: [UInt8] = []
        var capacity = max(1 << 16, Int(st.st_size) + 1)
        out.reserveCapacity(capacity)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            if out.count > capacity { capacity *= 2 }
        }
        return out
    }

    /// Writes a file atomically: a temporary file in the same folder, then rename(2).
    static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws {
        let file = try AtomicFile(path)
        try file.write(bytes)
        try file.commit()
    }

    static func makeDirectories(_ path: String) throws {
        if path.isEmpty || path == "/" || path == "." { return }
        var st = stat()
        if stat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { return }
            throw Failure(description: "\(path) is not a directory")
        }
        try makeDirectories(parent(path))
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func basename(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        guard let slash = p.lastIndex(of: "/") else { return p }
        return String(p[p.index(after: slash)...])
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func modificationTime(_ path: String) -> Double? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
    }

    static func size(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }

    /// An input file found under a command-line argument.
    struct Input {
        /// The path to open.
        let path: String
        /// The path relative to the argument's parent folder: `articles/a.txt` for `run articles`,
        /// `a.txt` for `run articles/a.txt`. Never contains `..`.
        let relative: String
    }

    /// Every regular file under the arguments, folders recursed in sorted order. Hidden entries and
    /// symbolic links to folders are not followed (no loops, nothing outside the input). Problems are
    /// reported through `report` and the walk goes on.
    static func walk(_ arguments: [String], report: (String, String) -> Void) -> [Input] {
        var result: [Input] = []
        for argument in arguments {
            var st = stat()
            guard stat(argument, &st) == 0 else {
                report(argument, String(cString: strerror(errno)))
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                var name = basename(argument)
                if name == "." || name == ".." || name == "/" { name = "" }
                collect(argument, prefix: name, into: &result, report: report)
            } else {
                result.append(Input(path: argument, relative: basename(argument)))
            }
        }
        return result
    }

    private static func collect(_ dir: String, prefix: String, into result: inout [Input], report: (String, String) -> Void) {
        guard let handle = opendir(dir) else {
            report(dir, String(cString: strerror(errno)))
            return
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        closedir(handle)
        for name in names.sorted() {
            let path = dir.hasSuffix("/") ? dir + name : "\(dir)/\(name)"
            let relative = prefix.isEmpty ? name : "\(prefix)/\(name)"
            var st = stat()
            guard lstat(path, &st) == 0 else { report(path, String(cString: strerror(errno))); continue }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                collect(path, prefix: relative, into: &result, report: report)
            case S_IFLNK:
                // Follow links to files, never to folders.
                var target = stat()
                if stat(path, &target) == 0 && (target.st_mode & S_IFMT) == S_IFREG {
                    result.append(Input(path: path, relative: relative))
                }
            case S_IFREG:
                result.append(Input(path: path, relative: relative))
            default:
                continue
            }
        }
    }
}

/// Runs `body` over `0..<count` on `workers` threads; each index runs once. Results are placed by index,
/// so the order of the output never depends on the number of threads.
func parallelMap<T>(_ count: Int, workers: Int, _ body: (Int) -> T) -> [T] {
    var results = [T?](repeating: nil, count: count)
    if workers <= 1 || count <= 1 {
        for i in 0..<count { results[i] = body(i) }
        return results.map { $0! }
    }
    let lock = NSLockLite()
    var next = 0
    results.withUnsafeMutableBufferPointer { slots in
        let base = UnsafeSendableBuffer(slots)
        DispatchQueue.concurrentPerform(iterations: min(workers, count)) { _ in
            while true {
                let i: Int = lock.locked { defer { next += 1 }; return next }
                if i >= count { return }
                base.buffer[i] = body(i)
            }
        }
    }
    return results.map { $0! }
}

struct UnsafeSendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}

/// A pthread mutex, to avoid loading Foundation for one lock.
final class NSLockLite: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func locked<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}

/// Reads a file descriptor line by line in blocks (for JSON Lines), so memory stays bounded: a line
/// longer than `limit` bytes is not kept but skipped to its end and reported as `.tooLong`.
/// Linear: the newline search resumes where it stopped, and consumed bytes are dropped in bulk.
struct LineReader {
    enum Line {
        /// A line without its newline (and without a CR before it), with its byte offset in the input.
        case line(ArraySlice<UInt8>, offset: Int)
        /// A line longer than the limit, starting at this byte offset.
        case tooLong(offset: Int)
    }

    private let fd: Int32
    private let limit: Int
    private var buffer: [UInt8] = []
    private var start = 0            // start of the current line in `buffer`
    private var scanned = 0          // no newline in buffer[start..<scanned]
    private var base = 0             // input offset of buffer[0]
    private var skipping = false     // inside a line that is too long
    private var eof = false
    private(set) var lineNumber = 0

    init(fd: Int32, limit: Int) {
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
                if line.count > limit { return .tooLong(offset: offset) }
                if line.last == 0x0D { line = line.dropLast() }
                return .line(line, offset: offset)
            }
            scanned = buffer.count
            if !skipping && buffer.count - start > limit {
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

/// A file written under a temporary name in its final folder and renamed into place by `commit()`, so
/// no half-written file is ever visible under the final name. Dropped without commit, it is removed.
final class AtomicFile {
    let path: String
    private let temporary: String
    private var fd: Int32
    private var buffer: [UInt8] = []

    init(_ path: String) throws {
        self.path = path
        let dir = Files.parent(path)
        try Files.makeDirectories(dir)
        temporary = "\(dir)/.\(Files.basename(path)).hanpipe-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw Files.Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    deinit {
        if fd >= 0 { close(fd); unlink(temporary) }
    }

    func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Files.Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and renames the file into place. Not synced to disk here (a per-file fsync made `run`
    /// mostly wait on the disk): `run` calls sync(2) once before it exits, and rename alone already
    /// keeps a killed process from leaving a half-written file under the final name.
    func commit() throws {
        try flush()
        let ok = close(fd) == 0
        let message = String(cString: strerror(errno))
        fd = -1
        guard ok else { unlink(temporary); throw Files.Failure(description: "cannot write \(path): \(message)") }
        if rename(temporary, path) != 0 {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw Files.Failure(description: "cannot write \(path): \(message)")
        }
    }
}
