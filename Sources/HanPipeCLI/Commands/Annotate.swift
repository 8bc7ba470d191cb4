import ArgumentParser
import HanPipe

extension HanPipeCommand {
    /// `hanpipe annotate [FILE…]`: annotations as JSON to standard output.
    struct Annotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write annotations as JSON to standard output, one document per input file.",
            discussion: """
            With --jsonl, each input record comes out with its text cleaned and the annotation fields added.

            Examples:
              hanpipe annotate article.txt > article.json
              hanpipe annotate --jsonl -j 4 < records.jsonl > annotated.jsonl
            """
        )

        @OptionGroup var options: PipelineOptions
        @OptionGroup var model: ModelOption
        @OptionGroup var input: JSONLOption
        @OptionGroup var workers: WorkersOption

        @Argument(help: "Files to annotate, in order. If omitted or \"-\", reads standard input.")
        var files: [String] = []

        func run() throws {
            let jobs = try Jobs(options, annotate: true, nerModel: model.nerModel, entitiesDict: model.entitiesDict)
            try jobs.prepare(paths: files.isEmpty ? ["-"] : files)
            let frontend = Frontend()
            if input.jsonl {
                // One file at a time: each file's hanpipe.toml decides its job.
                for file in files.isEmpty ? ["-"] : files {
                    JSONLines.run([file], job: try jobs.job(for: file), annotate: true, workers: workers.count, frontend: frontend)
                }
                return try frontend.finish()
            }
            // The streaming path, as `clean` and `run` use: a file is decoded and processed in chunks, and
            // the JSON is written once the whole file has gone through.
            frontend.each(files) { path in
                let job = try jobs.job(for: path)
                var reader = try BlockReader(path: path)
                let annotations = StreamedDocument(id: path, target: job.pipeline.options.target, fields: job.pipeline.registry.fields)
                try job.stream(id: path, read: { try reader.next() }) { doc, _ in try annotations.add(doc) }
                try annotations.writeJSON { Output.write($0) }
            }
            try frontend.finish()
        }
    }
}
