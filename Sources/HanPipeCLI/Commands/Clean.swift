import ArgumentParser
import HanPipe

extension HanPipeCommand {
    /// `hanpipe clean [FILE…]`: the clean text to standard output.
    struct Clean: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the cleaned text to standard output.",
            discussion: """
            Runs decode, normalize, convert and degloss (segment too with --sentences). Quiet on success. \
            A hanpipe.toml found from each file's folder upward gives defaults; flags win.

            Examples:
              hanpipe clean --to traditional news.txt > news.clean.txt
              hanpipe clean --to traditional --variants tw --convert-dict d.tsv a.txt
              curl -s https://example.com/a.txt | hanpipe clean --sentences
            """
        )

        @OptionGroup var options: PipelineOptions
        @OptionGroup var input: JSONLOption
        @OptionGroup var layout: SentencesOption

        @Argument(help: "Files to clean, in order. If omitted or \"-\", reads standard input.")
        var files: [String] = []

        func run() throws {
            let jobs = try Jobs(options, annotate: false, sentences: layout.sentences)
            try jobs.prepare(paths: files.isEmpty ? ["-"] : files)
            let frontend = Frontend()
            if input.jsonl {
                // One file at a time: each file's hanpipe.toml decides its job.
                for file in files.isEmpty ? ["-"] : files {
                    JSONLines.run([file], job: try jobs.job(for: file), annotate: false, workers: System.cores, frontend: frontend)
                }
                return try frontend.finish()
            }
            // Streamed block by block: output starts before the input ends and memory stays bounded.
            frontend.each(files) { path in
                let job = try jobs.job(for: path)
                var reader = try BlockReader(path: path)
                try job.cleanStream(id: path, sentences: layout.sentences, read: { try reader.next() },
                                    write: { Output.write($0) })
            }
            try frontend.finish()
        }
    }
}
