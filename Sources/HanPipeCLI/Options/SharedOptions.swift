import ArgumentParser
import HanPipe
#if canImport(Glibc)
import Glibc
#endif

extension Script: ExpressibleByArgument {}
extension Decode.Encoding: ExpressibleByArgument {}
extension StageName: ExpressibleByArgument {}

/// Options of the pipeline itself, which every processing command takes.
struct PipelineOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Target script of the conversion stage. If omitted, simplified.", valueName: "script"))
    var to: Script = .simplified

    @Flag(help: "Keep pinyin and Zhuyin glosses (skip the degloss stage).")
    var keepGlosses = false

    @Flag(help: "Convert scripts with ICU's transliterator alone instead of the table compiled from its rules (same output, slower; for comparison).")
    var icuConvert = false

    @Option(help: "Input encoding. With auto (the default), invalid UTF-8 goes to ICU's charset detector, which sees the first 64 KiB.")
    var encoding: Decode.Encoding = .auto

    @Option(help: ArgumentHelp("A stage to leave out; repeat the option, or separate names with commas.", valueName: "stage"))
    var skip: [StageName] = []

    @Option(help: ArgumentHelp("Refuse, as an input error, a line longer than this many bytes. If omitted, 256 MiB.", valueName: "bytes"))
    var maxLineBytes: Int = 256 << 20

    func validate() throws {
        if maxLineBytes < 1 { throw ValidationError("--max-line-bytes must be at least 1.") }
    }

    var skipped: Set<String> { Set(skip.map(\.rawValue)) }

    /// The job these options describe. `annotate` says whether annotation stages are wanted; `sentences`
    /// adds segment for the one-sentence-per-line layout; `nerModel` replaces the bundled entity model.
    func job(annotate: Bool, sentences: Bool = false, nerModel: String? = nil) throws -> Job {
        var options = Pipeline.Options(to: to, keepGlosses: keepGlosses, skip: skipped, annotate: annotate,
                                       nerModelPath: nerModel, icuConvert: icuConvert)
        if !annotate && sentences { options.annotate = true; options.skip.formUnion(["entities", "numbers"]) }
        if let nerModel, access(nerModel, R_OK) != 0 {
            // A model file that cannot be read is an input problem (3), like any unreadable input.
            Diagnostics.error(nerModel, String(cString: strerror(errno)))
            throw ExitCode(Status.input.rawValue)
        }
        do {
            return Job(pipeline: try Pipeline(options), encoding: encoding, maxLineBytes: maxLineBytes)
        } catch let error as HanPipeError {
            if case .badModel = error, let nerModel {
                Diagnostics.error(nerModel, "\(error)")
                throw ExitCode(Status.input.rawValue)
            }
            Diagnostics.line("\(error)")
            throw ExitCode(Status.usage.rawValue)
        }
    }

    /// `--skip a,b` is `--skip a --skip b`: splits comma lists before parsing.
    static func splittingSkipLists(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { out += arguments[i...]; break }
            if a == "--skip", i + 1 < arguments.count {
                for name in arguments[i + 1].split(separator: ",", omittingEmptySubsequences: true) { out += ["--skip", String(name)] }
                i += 2
                continue
            }
            if a.hasPrefix("--skip=") {
                for name in a.dropFirst(7).split(separator: ",") { out += ["--skip", String(name)] }
                i += 1
                continue
            }
            out.append(a)
            i += 1
        }
        return out
    }
}

/// `--jsonl`, for the commands that read and write JSON Lines.
struct JSONLOption: ParsableArguments {
    @Flag(help: "Input and output are JSON Lines: each input line {\"id\": …, \"text\": …}; every other field is kept as it was.")
    var jsonl = false
}

/// `--sentences`, for the commands that write clean text.
struct SentencesOption: ParsableArguments {
    @Flag(help: "Write the clean text one sentence per line, with a blank line between paragraphs.")
    var sentences = false
}

/// `-j`, for the commands that process inputs in parallel.
struct WorkersOption: ParsableArguments {
    @Option(name: .customShort("j"), help: ArgumentHelp("Worker threads. If omitted, the number of cores.", valueName: "workers"))
    var workers: Int?

    var count: Int { max(1, workers ?? System.cores) }

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("-j must be at least 1.") }
    }
}

/// `--ner-model`, for the commands that find entities.
struct ModelOption: ParsableArguments {
    @Option(help: ArgumentHelp("Use this entity model (made by `hanpipe train-ner`) instead of the bundled one.", valueName: "file"))
    var nerModel: String?
}

extension Substring {
    func trimmingCharacters() -> String {
        String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
