import ArgumentParser
import HanPipe

extension Script: ExpressibleByArgument {}
extension Decode.Encoding: ExpressibleByArgument {}

/// Options every command takes.
struct SharedOptions: ParsableArguments {
    @Option(help: "Target script of the conversion stage: simplified, traditional or keep. If omitted, simplified.")
    var to: Script = .simplified

    @Flag(help: "Keep pinyin and Zhuyin glosses (skip the degloss stage).")
    var keepGlosses = false

    @Flag(help: "Convert scripts with ICU's transliterator alone instead of the table compiled from its rules (same output, slower; for comparison).")
    var icuConvert = false

    @Option(help: "Input encoding: auto, utf-8, gb18030, big5 or utf-16. With auto (the default), invalid UTF-8 goes to ICU's charset detector.")
    var encoding: Decode.Encoding = .auto

    @Flag(help: "Input and output are JSON Lines: each input line {\"id\": …, \"text\": …}; every other field is kept as it was.")
    var jsonl = false

    @Flag(help: "Write the clean text one sentence per line, with a blank line between paragraphs.")
    var sentences = false

    @Option(name: .short, help: "Worker threads for `run` and --jsonl. If omitted, the number of cores.")
    var j: Int?

    @Option(help: "Stages to leave out, comma-separated (repair, normalize, convert, degloss, segment, entities, numbers).")
    var skip: String?

    @Option(help: "Use this entity model (made by `hanpipe train-ner`) instead of the bundled one.")
    var nerModel: String?

    @Option(help: "Refuse, as an input error, a line longer than this many bytes. If omitted, 256 MiB.")
    var maxLineBytes: Int = 256 << 20

    var workers: Int { max(1, j ?? System.cores) }

    func validate() throws {
        if let j, j < 1 { throw ValidationError("-j must be at least 1.") }
        if maxLineBytes < 1 { throw ValidationError("--max-line-bytes must be at least 1.") }
        for name in skipped where !Pipeline.stageNames.contains(name) {
            throw ValidationError("unknown stage '\(name)' in --skip; stages are \(Pipeline.stageNames.joined(separator: ", ")).")
        }
    }

    var skipped: Set<String> {
        Set((skip ?? "").split(separator: ",").map { $0.trimmingCharacters() }.filter { !$0.isEmpty })
    }

    /// The job these options describe. `annotate` says whether annotation stages are wanted.
    func job(annotate: Bool) throws -> Job {
        var options = Pipeline.Options()
        options.target = to
        options.keepGlosses = keepGlosses
        options.skip = skipped
        options.annotate = annotate
        options.nerModelPath = nerModel
        options.icuConvert = icuConvert
        if !annotate && sentences { options.annotate = true; options.skip.formUnion(["entities", "numbers"]) }
        do {
            return Job(pipeline: try Pipeline(options: options), encoding: encoding, maxLineBytes: maxLineBytes)
        } catch {
            Diagnostics.line("\(error)")
            throw ExitCode(Status.usage.rawValue)
        }
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
