import FuzzLaws
import HanPipe

/// Fuzz target: raw bytes → decode → the whole pipeline (every stage of `StageRegistry.standard`)
/// → JSON, run with `--to keep` (where text + edits must rebuild the source) and with `--to simplified`.
/// Decoding errors are allowed outcomes, but only as `HanPipeError`s; anything else is a bug.
enum PipelineFuzz {
    static func job(_ target: Script) -> Job {
        var options = Pipeline.Options()
        options.target = target
        do {
            return Job(pipeline: try Pipeline(options: options), maxLineBytes: 1 << 20)
        } catch {
            Laws.fail("cannot build the pipeline: \(error)")
        }
    }

    static let keep = job(.keep)
    static let simplified = job(.simplified)

    static func run(_ bytes: [UInt8]) {
        for (job, rebuild) in [(keep, true), (simplified, false)] {
            let doc: Document
            do {
                doc = try job.document(id: "fuzz", bytes: bytes)
            } catch is HanPipeError {
                return // an input error, reported to the user: an allowed outcome
            } catch {
                Laws.fail("unexpected error type: \(error)")
            }
            // The laws on the document and on its JSON, with every registered stage's edits and fields.
            Laws.require("annotate output (\(doc.target))") { try Laws.checkAll(doc, rebuild: rebuild) }
            // The other writers must not trap either.
            _ = TextWriter.text(doc, sentences: true)
            _ = BratWriter.annotations(doc)
        }
    }
}

Laws.runFuzzer { bytes in
    PipelineFuzz.run(bytes)
}
