#if canImport(Glibc)
import Glibc
#endif

/// Reading, writing and walking files with POSIX calls.
enum Files {
    struct Failure: Error, CustomStringConvertible {
        let description: String
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
