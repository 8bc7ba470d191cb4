import ArgumentParser
import HanPipe

extension HanPipeCommand {
    /// `hanpipe clean [FILE…]`: the clean text to standard output.
    struct Clean: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the cleaned text to standard output.",
            discussion: "Runs decode, repair, normalize, convert and degloss (segment too with --sentences). Quiet on success."
        )

        @OptionGroup var options: SharedOptions

        @Argument(help: "Files to clean, in order. If omitted or \"-\", reads standard input.")
        var files: [String] = []

        func run() throws {
            let job = try options.job(annotate: false)
            if options.jsonl {
                try JSONLines.run(files, job: job, annotate: false, workers: options.workers)
                return
            }
            // Streamed block by block: output starts before the input ends and memory stays bounded.
            var failed = false
            for path in files.isEmpty ? ["-"] : files {
                do {
                    var reader = try BlockReader(path: path)
                    try job.cleanStream(id: path, sentences: options.sentences, read: { try reader.next() },
                                        write: { Output.write($0) })
                } catch {
                    Diagnostics.error(displayName(path), "\(error)")
                    failed = true
                }
            }
            if failed { throw ExitCode(Status.input.rawValue) }
        }
    }
}

/// Reads each file (or standard input), runs the job and hands the document to `body`. A bad file is
/// reported in one line and skipped; the command then exits 3.
func eachInput(_ files: [String], job: Job, _ body: (Document) -> Void) throws {
    var failed = false
    for path in files.isEmpty ? ["-"] : files {
        do {
            let bytes = try Files.read(path)
            body(try job.document(id: path, bytes: bytes))
        } catch {
            Diagnostics.error(displayName(path), "\(error)")
            failed = true
        }
    }
    if failed { throw ExitCode(Status.input.rawValue) }
}

func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }
