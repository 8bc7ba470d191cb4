import ArgumentParser
import HanPipe

extension HanPipeCommand {
    /// `hanpipe annotate [FILE…]`: annotations as JSON to standard output.
    struct Annotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write annotations as JSON to standard output, one document per input file.",
            discussion: "With --jsonl, each input record comes out with its text cleaned and the annotation fields added."
        )

        @OptionGroup var options: PipelineOptions
        @OptionGroup var model: ModelOption
        @OptionGroup var input: JSONLOption
        @OptionGroup var workers: WorkersOption

        @Argument(help: "Files to annotate, in order. If omitted or \"-\", reads standard input.")
        var files: [String] = []

        func run() throws {
            let job = try options.job(annotate: true, nerModel: model.nerModel)
            let frontend = Frontend()
            if input.jsonl {
                JSONLines.run(files, job: job, annotate: true, workers: workers.count, frontend: frontend)
                return try frontend.finish()
            }
            // The streaming path, as `clean` and `run` use: a file is decoded and processed in chunks, and
            // the JSON is written once the whole file has gone through.
            frontend.each(files) { path in
                var reader = try BlockReader(path: path)
                let annotations = StreamedDocument(id: path, target: options.to, fields: job.pipeline.registry.fields)
                try job.stream(id: path, read: { try reader.next() }) { doc, _ in try annotations.add(doc) }
                try annotations.writeJSON { Output.write($0) }
            }
            try frontend.finish()
        }
    }
}
