import ArgumentParser
import HanPipe
#if canImport(Glibc)
import Glibc
#endif

extension HanPipeCommand {
    /// `hanpipe check PATH…`: the CI gate, and with `--write` the fixer.
    struct Check: ParsableCommand {
        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case text, github, json
        }

        static let configuration = CommandConfiguration(
            abstract: "Exit 1 when any file is not already clean (cleaning would change it); --write cleans it in place.",
            discussion: """
            Folders are recursed (files matching a hanpipe.toml `exclude` glob are skipped \
            there; a file named on the command line is always checked). Exit codes: 0 clean \
            (or, with --write, every unclean file rewritten), 1 unclean, 2 usage error, 3 input error.

            --output-format text prints the path of each file that cleaning would change (or a \
            unified diff with --diff); github prints one `::error file=PATH,line=N,col=M::MESSAGE` \
            per changed line for GitHub Actions; json prints every change with its line, column, \
            stage, from and to. Lines and columns are the source file's (columns in code points).

            --write rewrites each unclean file with its clean text atomically (a temporary file in \
            the same folder, then rename), keeping its mode; a symbolic link is refused (an input \
            error), never followed or replaced. It prints one line per file it rewrote.

            With --jsonl, each file is checked as JSON Lines (every record's text); only the text \
            format is available, and --write is refused (rewrite with `hanpipe clean --jsonl`).

            Examples:
              hanpipe check corpus/
              hanpipe check --output-format github --to traditional corpus/
              hanpipe check --write news/a.txt news/b.txt
            """
        )

        @OptionGroup var options: PipelineOptions
        @OptionGroup var input: JSONLOption

        @Flag(help: "Print a unified diff of what cleaning would change (text format).")
        var diff = false

        @Flag(help: "Rewrite each unclean file in place with its clean text (atomically, keeping its mode) and exit 0.")
        var write = false

        @Option(help: "How to report unclean files: text (their paths, or --diff), github (workflow commands, one per changed line), json (every change).")
        var outputFormat: OutputFormat = .text

        @Option(help: ArgumentHelp("The name of standard input in messages and reports, and where its hanpipe.toml is looked up from.", valueName: "name"))
        var stdinFilename: String?

        @Argument(help: "Files and folders to check. If omitted or \"-\", reads standard input.")
        var paths: [String] = []

        var readsStandardInput: Bool { paths.isEmpty || paths == ["-"] }

        func validate() throws {
            if diff && outputFormat != .text { throw ValidationError("--diff goes with --output-format text only.") }
            if write && diff { throw ValidationError("--write and --diff exclude each other.") }
            if write && readsStandardInput { throw ValidationError("--write needs files to rewrite; standard input cannot be rewritten (use hanpipe clean).") }
            if write && paths.contains("-") { throw ValidationError("--write cannot rewrite standard input (\"-\").") }
            if input.jsonl && write { throw ValidationError("--write is not available with --jsonl; rewrite with hanpipe clean --jsonl.") }
            if input.jsonl && outputFormat != .text { throw ValidationError("--output-format \(outputFormat.rawValue) is not available with --jsonl (only text).") }
        }

        func run() throws {
            let jobs = try Jobs(options, annotate: false)
            let frontend = Frontend()
            let walked: [Files.Input] = readsStandardInput
                ? [Files.Input(path: "-", relative: "-")]
                : Files.walk(paths) { file, message in frontend.report(file, message) }
            let files = try jobs.prepare(walked, named: paths, stdinFilename: stdinFilename)
            var reports: [ChangeReport] = []
            frontend.each(files, path: { displayName(of: $0.path) }) { input in
                let job = try jobs.job(for: input.path, stdinFilename: stdinFilename)
                let shown = displayName(of: input.path)
                if write { try refuseLink(input.path) }
                var reader = try BlockReader(path: input.path)
                var original: [UInt8] = []
                var cleaned: [UInt8] = []
                var report = ChangeReport(path: shown, target: job.pipeline.options.target)
                if self.input.jsonl {
                    while let block = try reader.next() { original.append(contentsOf: block) }
                    cleaned = cleanLines(original, job: job) { frontend.report(shown, $0) }
                } else {
                    // The streaming path, as `clean` uses; the input is kept to compare with (and to diff).
                    var text = TextWriter.Stream(sentences: false)
                    try job.stream(id: input.relative, read: {
                        let block = try reader.next()
                        if let block { original.append(contentsOf: block) }
                        return block
                    }) { doc, chunk in
                        cleaned.append(contentsOf: text.text(doc, endsLine: chunk.endsLine))
                        if outputFormat != .text { report.add(doc) }
                    }
                }
                guard cleaned != original else { return }
                if write {
                    try rewrite(input.path, with: cleaned)
                    Output.write("rewrote \(shown)\n")
                    return
                }
                frontend.markUnclean()
                switch outputFormat {
                case .text:
                    if diff {
                        Output.write(UnifiedDiff.diff(old: original, new: cleaned, oldName: shown, newName: shown + " (clean)"))
                    } else {
                        Output.write(shown + "\n")
                    }
                case .github:
                    if report.isEmpty {
                        // Only the layout differs (nothing the report can point at): one annotation for the file.
                        let file = ChangeReport.escapeProperty(shown)
                        Output.write("::error file=\(file)::cleaning would change this file\n")
                    } else {
                        Output.write(ChangeReport.github([report]))
                    }
                case .json:
                    reports.append(report)
                }
            }
            if outputFormat == .json { Output.write(ChangeReport.json(reports)) }
            try frontend.finish()
        }

        /// The name of an input in messages: `--stdin-filename` (or `<stdin>`) for standard input.
        func displayName(of path: String) -> String {
            path == "-" ? (stdinFilename ?? "<stdin>") : path
        }

        /// `--write` never rewrites through a symbolic link (rename would replace the link by a file).
        func refuseLink(_ path: String) throws {
            var st = stat()
            if lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK {
                throw Files.Failure(description: "refusing to rewrite a symbolic link (--write changes regular files only)")
            }
        }

        /// Replaces the file with `bytes` atomically, keeping its permission bits.
        func rewrite(_ path: String, with bytes: [UInt8]) throws {
            var st = stat()
            guard stat(path, &st) == 0 else { throw Files.Failure(description: String(cString: strerror(errno))) }
            let file = try AtomicFile(path, mode: st.st_mode & 0o7777)
            try file.write(bytes)
            try file.commit()
        }

        /// The JSONL content with each record's text cleaned. Bad lines pass through and are reported, as
        /// `clean --jsonl` does (blank lines pass silently).
        func cleanLines(_ bytes: [UInt8], job: Job, report: (String) -> Void) -> [UInt8] {
            var out: [UInt8] = []
            var number = 0
            for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
                number += 1
                if !out.isEmpty || number > 1 { out.append(0x0A) }
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { out.append(contentsOf: line); continue }
                // The line's byte offset in the file, so a refused line reads as in every other command.
                switch job.processLine(line, lineNumber: number, annotate: false, byteOffset: line.startIndex) {
                case let .record(record): out.append(contentsOf: record)
                case let .passThrough(raw, message):
                    if !message.isEmpty { report(message) }
                    out.append(contentsOf: raw)
                }
            }
            return out
        }
    }
}
