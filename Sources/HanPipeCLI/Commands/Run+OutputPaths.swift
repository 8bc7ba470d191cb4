#if canImport(Glibc)
import Glibc
#endif

/// `run` never writes outside `-o DIR`.
///
/// Rule: output paths are DIR plus the input's relative path, which `Files.walk` builds from folder
/// entries (never `..`, never hidden names) and the argument's last component. What is left is a
/// symbolic link inside DIR, made before the run, that points elsewhere: every folder between DIR and
/// an output file is checked with lstat(2), and a link there makes the input fail (reported, exit 3)
/// instead of being followed. A link at the output file's own name is harmless: rename(2) replaces the
/// link itself. DIR itself may be a link; the user named it.
enum OutputPaths {
    struct Escape: Error, CustomStringConvertible {
        let link: String
        var description: String { "refusing to write through the symbolic link \(link) (outputs stay inside -o)" }
    }

    /// Throws when a folder between `root` and the file at `relative` (below `root`) is a symbolic link.
    static func checkInside(root: String, relative: String) throws {
        let folders = relative.split(separator: "/", omittingEmptySubsequences: true).dropLast()
        var path = root.hasSuffix("/") ? String(root.dropLast()) : root
        for folder in folders {
            precondition(folder != ".." && folder != ".", "relative output paths never hold . or ..")
            path += "/" + folder
            var st = stat()
            if lstat(path, &st) != 0 { return }  // missing: created by us below, as a real folder
            if (st.st_mode & S_IFMT) == S_IFLNK { throw Escape(link: path) }
        }
    }
}
