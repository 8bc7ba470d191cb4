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
            // Without --sentences, in blocks of 128 KiB and chunks of about 32 Ki characters, whose
            // passes stay in the cache (7% less time on 30 MB than 1 MiB blocks and 256 Ki chunks;
            // the clean text does not depend on where chunks are cut). With --sentences the sizes
            // stay the defaults: a long line cut after `。` right before `”` writes the `”` on the
            // next line, so there the cut points show in the output.
            let blockSize = layout.sentences ? 1 << 20 : 1 << 17
            let chunkSize = layout.sentences ? 1 << 18 : 1 << 15
            frontend.each(files) { path in
                let job = try jobs.job(for: path)
                var reader = try BlockReader(path: path, size: blockSize)
                try job.cleanStream(id: path, sentences: layout.sentences, chunkSize: chunkSize, read: { try reader.next() },
                                    write: { Output.write($0) })
            }
            try frontend.finish()
        }
    }
}
