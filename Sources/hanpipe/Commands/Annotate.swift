import ArgumentParser
import HanPipe

extension HanPipeCommand {
    /// `hanpipe annotate [FILE…]`: annotations as JSON to standard output.
    struct Annotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write annotations as JSON to standard output, one document per input file.",
            discussion: "With --jsonl, each input record comes out with its text cleaned and the annotation fields added."
        )

        @OptionGroup var options: SharedOptions

        @Argument(help: "Files to annotate, in order. If omitted or \"-\", reads standard input.")
        var files: [String] = []

        func run() throws {
            let job = try options.job(annotate: true)
            if options.jsonl {
                try JSONLines.run(files, job: job, annotate: true, workers: options.workers)
                return
            }
            try eachInput(files, job: job) { doc in Output.write(JSONWriter.document(doc)) }
        }
    }
}
