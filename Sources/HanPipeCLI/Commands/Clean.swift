import ArgumentParser
import HanPipe

extension HanPipeCommand {
    /// `hanpipe clean [FILE…]`: the clean text to standard output.
    struct Clean: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the cleaned text to standard output.",
            discussion: "Runs decode, normalize, convert and degloss (segment too with --sentences). Quiet on success."
        )

        @OptionGroup var options: PipelineOptions
        @OptionGroup var input: JSONLOption
        @OptionGroup var layout: SentencesOption

        @Argument(help: "Files to clean, in order. If omitted or \"-\", reads standard input.")
        var files: [String] = []

        func run() throws {
            let job = try options.job(annotate: false, sentences: layout.sentences)
            let frontend = Frontend()
            if input.jsonl {
                JSONLines.run(files, job: job, annotate: false, workers: System.cores, frontend: frontend)
                return try frontend.finish()
            }
            // Streamed block by block: output starts before the input ends and memory stays bounded.
            frontend.each(files) { path in
                var reader = try BlockReader(path: path)
                try job.cleanStream(id: path, sentences: layout.sentences, read: { try reader.next() },
                                    write: { Output.write($0) })
            }
            try frontend.finish()
        }
    }
}
