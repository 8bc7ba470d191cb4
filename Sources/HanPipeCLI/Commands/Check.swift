import ArgumentParser
import HanPipe

extension HanPipeCommand {
    /// `hanpipe check PATH…`: the CI gate.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exit 1 when any file is not already clean (cleaning would change it).",
            discussion: "Prints the path of each file that cleaning would change, or with --diff a unified diff. Folders are recursed."
        )

        @OptionGroup var options: PipelineOptions
        @OptionGroup var input: JSONLOption

        @Flag(help: "Print a unified diff of what cleaning would change.")
        var diff = false

        @Argument(help: "Files and folders to check. If omitted or \"-\", reads standard input.")
        var paths: [String] = []

        func run() throws {
            let job = try options.job(annotate: false)
            let frontend = Frontend()
            let files: [Files.Input] = paths.isEmpty || paths == ["-"]
                ? [Files.Input(path: "-", relative: "-")]
                : Files.walk(paths) { file, message in frontend.report(file, message) }
            frontend.each(files, path: \.path) { input in
                // The streaming path, as `clean` uses; the input is kept to compare (and diff) with.
                var reader = try BlockReader(path: input.path)
                var original: [UInt8] = []
                var cleaned: [UInt8] = []
                if self.input.jsonl {
                    while let block = try reader.next() { original.append(contentsOf: block) }
                    cleaned = cleanLines(original, job: job)
                } else {
                    try job.cleanStream(id: input.relative, sentences: false, read: {
                        let block = try reader.next()
                        if let block { original.append(contentsOf: block) }
                        return block
                    }, write: { cleaned.append(contentsOf: $0) })
                }
                guard cleaned != original else { return }
                frontend.markUnclean()
                let name = displayName(input.path)
                if diff {
                    Output.write(UnifiedDiff.diff(old: original, new: cleaned, oldName: name, newName: name + " (clean)"))
                } else {
                    Output.write(name + "\n")
                }
            }
            try frontend.finish()
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
