import ArgumentParser
import HanPipe

extension HanPipeCommand {
    /// `hanpipe check PATH…`: the CI gate.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exit 1 when any file is not already clean (cleaning would change it).",
            discussion: "Prints the path of each file that cleaning would change, or with --diff a unified diff. Folders are recursed."
        )

        @OptionGroup var options: SharedOptions

        @Flag(help: "Print a unified diff of what cleaning would change.")
        var diff = false

        @Argument(help: "Files and folders to check. If omitted or \"-\", reads standard input.")
        var paths: [String] = []

        func validate() throws {
            if options.sentences {
                throw ValidationError("--sentences lays clean text out one sentence per line; check compares with plain clean text, so leave it out.")
            }
        }

        func run() throws {
            let job = try options.job(annotate: false)
            var inputError = false
            var unclean = false
            let files: [Files.Input] = paths.isEmpty || paths == ["-"]
                ? [Files.Input(path: "-", relative: "-")]
                : Files.walk(paths) { file, message in Diagnostics.error(file, message); inputError = true }
            for input in files {
                do {
                    let bytes = try Files.read(input.path)
                    let cleaned: [UInt8]
                    if options.jsonl {
                        cleaned = cleanLines(bytes, job: job)
                    } else {
                        let doc = try job.document(id: input.relative, bytes: bytes)
                        cleaned = TextWriter.text(doc, sentences: false)
                    }
                    if cleaned != bytes {
                        unclean = true
                        if diff {
                            let name = displayName(input.path)
                            Output.write(UnifiedDiff.diff(old: bytes, new: cleaned, oldName: name, newName: name + " (clean)"))
                        } else {
                            Output.write(displayName(input.path) + "\n")
                        }
                    }
                } catch {
                    Diagnostics.error(displayName(input.path), "\(error)")
                    inputError = true
                }
            }
            if inputError { throw ExitCode(Status.input.rawValue) }
            if unclean { throw ExitCode(Status.unclean.rawValue) }
        }

        /// The JSONL content with each record's text cleaned (bad lines pass through).
        func cleanLines(_ bytes: [UInt8], job: Job) -> [UInt8] {
            var out: [UInt8] = []
            var number = 0
            for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
                number += 1
                if !out.isEmpty || number > 1 { out.append(0x0A) }
                switch job.processLine(line, lineNumber: number, annotate: false) {
                case let .record(record): out.append(contentsOf: record)
                case let .passThrough(raw, _): out.append(contentsOf: raw)
                }
            }
            return out
        }
    }
}
