import HanPipe
#if canImport(Glibc)
import Glibc
#endif

/// What makes `run --resume` safe after a crash or SIGKILL.
///
/// Rule: for each input, `run` first removes the input's stamp, then writes its outputs (each
/// atomically), then writes the stamp, atomically, last. The stamp records the input's size and
/// modification time, the hanpipe and ICU versions, every option that changes an output, and the size of
/// each output. With `--resume`, an input is skipped only when its stamp says exactly what this run
/// would write and every output is still there with its recorded size; anything else (no stamp: killed
/// before the stamp was written; a changed input, option or version; a deleted or truncated output) is
/// processed again. Stamps live under `DIR/.hanpipe/stamps/` (a hidden folder, so the outputs themselves
/// are just the .txt/.json/.ann files), one per input, so parallel workers never share a file.
struct ResumeStamps {
    /// The output folder.
    let root: String
    /// Everything besides the input's own state that decides the outputs.
    let settings: String

    static let folder = ".hanpipe/stamps"

    init(root: String, settings: [String]) {
        self.root = root
        self.settings = settings.joined(separator: "\n")
    }

    /// The stamp file of the input with this output-relative base (`articles/a` for `articles/a.txt`).
    func path(_ relativeBase: String) -> String {
        (root.hasSuffix("/") ? root : root + "/") + ResumeStamps.folder + "/" + relativeBase + ".stamp"
    }

    /// The input's own state (its id, size and modification time), taken before it is read, so that a
    /// change made while it is processed is noticed by the next --resume. Nil when it cannot be read.
    static func inputState(_ input: String, id: String) -> String? {
        var st = stat()
        guard stat(input, &st) == 0 else { return nil }
        return "input \(id)\nsize \(st.st_size) mtime \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }

    /// The stamp's content, or nil when an output is missing or not a regular file.
    func content(inputState: String, outputs: [String]) -> String? {
        var lines = ["hanpipe resume stamp 1", settings, inputState]
        for output in outputs {
            var o = stat()
            guard lstat(output, &o) == 0, (o.st_mode & S_IFMT) == S_IFREG else { return nil }
            lines.append("output \(Files.basename(output)) size \(o.st_size)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether the input's outputs are complete and current.
    func isCurrent(input: String, id: String, relativeBase: String, outputs: [String]) -> Bool {
        guard let state = ResumeStamps.inputState(input, id: id),
              let expected = content(inputState: state, outputs: outputs),
              let stored = try? BlockReader.readAll(path(relativeBase)) else { return false }
        return stored == Array(expected.utf8)
    }

    /// Removes the stamp before the outputs are rewritten.
    func invalidate(_ relativeBase: String) {
        unlink(path(relativeBase))
    }

    /// Writes the stamp, after every output.
    func write(inputState: String, relativeBase: String, outputs: [String]) throws {
        guard let text = content(inputState: inputState, outputs: outputs) else { return }
        try Files.writeAtomically(path(relativeBase), Array(text.utf8))
    }

    /// Removes temporary files left in the output folder by a killed run (their writer's process is
    /// gone). The name pattern is the one `Files.writeAtomically` uses: `.NAME.hanpipe-PID-RANDOM.tmp`.
    static func sweepTemporaryFiles(under dir: String) {
        guard let handle = opendir(dir) else { return }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(handle)
        for name in names {
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                sweepTemporaryFiles(under: path)
            } else if (st.st_mode & S_IFMT) == S_IFREG, let pid = writerPID(name), pid != getpid(),
                      kill(pid, 0) != 0 && errno == ESRCH {
                unlink(path)
            }
        }
    }

    /// The process id in a temporary file's name, or nil when the name is not one.
    static func writerPID(_ name: String) -> pid_t? {
        guard name.hasPrefix("."), name.hasSuffix(".tmp"),
              let last = name.dropLast(4).split(separator: ".", omittingEmptySubsequences: false).last else { return nil }
        let parts = last.split(separator: "-")
        guard parts.count == 3, parts[0] == "hanpipe", let pid = pid_t(parts[1]), UInt32(parts[2]) != nil, pid > 0
        else { return nil }
        return pid
    }
}
