#if canImport(Glibc)
import Glibc
#endif

/// A file written under a temporary name in its final folder and renamed into place by `commit()`, so
/// no half-written file is ever visible under the final name. Dropped without commit, it is removed.
final class AtomicFile {
    let path: String
    private let temporary: String
    private var fd: Int32
    private var buffer: [UInt8] = []

    /// `mode`: the permission bits of the file (set exactly, whatever the umask; `check --write` keeps
    /// the rewritten file's).
    init(_ path: String, mode: mode_t = 0o644) throws {
        self.path = path
        let dir = Files.parent(path)
        try Files.makeDirectories(dir)
        temporary = "\(dir)/.\(Files.basename(path)).hanpipe-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw Files.Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        if mode != 0o644 && fchmod(fd, mode) != 0 {
            throw Files.Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
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
