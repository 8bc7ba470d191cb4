import ArgumentParser
import HanPipe

/// The one per-input loop of every command: each input is processed by the command's body; a failing
/// input is reported in one line, `hanpipe: <file>: <message>`, and the run goes on. The exit status is
/// decided once, at the end (`finish`): 3 if any input failed, else 1 if a `check` found unclean input,
/// else 0. Argument errors never get here (they exit 2 from parsing or `validate()`).
final class Frontend: @unchecked Sendable {
    private let lock = NSLockLite()
    private var failures = 0
    private var unclean = false

    /// The number of inputs reported as failed so far.
    var errors: Int { lock.locked { failures } }

    /// Reports a failed input (thread-safe, for `run`'s workers).
    func report(_ file: String, _ message: String) {
        lock.locked { failures += 1 }
        Diagnostics.error(displayName(file), message)
    }

    /// Marks the run as having found unclean input (`check`).
    func markUnclean() { lock.locked { unclean = true } }

    /// Runs `body` on each path in order ("-" when there is none); a thrown error is reported against
    /// the path and the loop goes on.
    func each(_ paths: [String], _ body: (String) throws -> Void) {
        each(paths.isEmpty ? ["-"] : paths, path: { $0 }, body)
    }

    /// Runs `body` on each input in order; a thrown error is reported against the input's path.
    func each<Input>(_ inputs: [Input], path: (Input) -> String, _ body: (Input) throws -> Void) {
        for input in inputs {
            do { try body(input) } catch { report(path(input), "\(error)") }
        }
    }

    /// Ends the run with the exit status the inputs decided.
    func finish() throws {
        if errors > 0 { throw ExitCode(Status.input.rawValue) }
        if lock.locked({ unclean }) { throw ExitCode(Status.unclean.rawValue) }
    }
}

/// The name of an input in messages: `<stdin>` for "-".
func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }
