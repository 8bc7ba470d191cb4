import ArgumentParser
import HanPipe
#if canImport(Glibc)
import Glibc
#endif

extension Script: ExpressibleByArgument {}
extension Decode.Encoding: ExpressibleByArgument {}
extension StageName: ExpressibleByArgument {}
extension Variants: ExpressibleByArgument {}

/// Options of the pipeline itself, which every processing command takes.
///
/// The options a `hanpipe.toml` can also give (`--to`, `--keep-glosses`, `--skip`, `--encoding`,
/// `--convert-dict`, `--entities-dict`) are optional here: a flag given on the command line wins over the
/// file, and the file wins over the default. `Jobs` resolves them per input.
struct PipelineOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Target script of the conversion stage. If omitted (and no hanpipe.toml says), simplified.", valueName: "script"))
    var to: Script?

    @Flag(help: "Keep pinyin and Zhuyin glosses (skip the degloss stage).")
    var keepGlosses = false

    @Flag(help: "Convert exactly as ICU's Hant-Hans / Hans-Hant transforms do, byte for byte, without hanpipe's fixes of ICU's defects and its phrase layer.")
    var exactIcu = false

    @Option(name: .customLong("convert-dict"), help: ArgumentHelp("A conversion dictionary: UTF-8 lines from<TAB>to, or from alone to protect it; # starts a comment. Entries win over the phrase layer and ICU; later files win. Repeatable.", valueName: "file"))
    var convertDict: [String] = []

    @Option(help: ArgumentHelp("Regional Traditional character forms (with --to traditional): tw (Taiwan) or hk (Hong Kong). No vocabulary changes.", valueName: "region"))
    var variants: Variants?

    @Flag(help: "Convert scripts with ICU's transliterator alone instead of the table compiled from its rules (the exact-ICU output, slower; for comparison). Not with --convert-dict or --variants.")
    var icuConvert = false

    @Option(help: "Input encoding. With auto (the default), invalid UTF-8 goes to ICU's charset detector, which sees the first 64 KiB.")
    var encoding: Decode.Encoding?

    @Option(help: ArgumentHelp("A stage to leave out; repeat the option, or separate names with commas.", valueName: "stage"))
    var skip: [StageName] = []

    @Option(help: ArgumentHelp("Refuse, as an input error, a line longer than this many bytes. If omitted, 256 MiB.", valueName: "bytes"))
    var maxLineBytes: Int = 256 << 20

    @Option(help: ArgumentHelp("Use this hanpipe.toml for every input instead of the one found from each input's folder upward.", valueName: "file"))
    var config: String?

    @Flag(help: "Use no hanpipe.toml at all.")
    var isolated = false

    func validate() throws {
        if maxLineBytes < 1 { throw ValidationError("--max-line-bytes must be at least 1.") }
        // Combinations are refused in one line (exit 2) by `Jobs.init`.
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

    @Option(name: .customLong("entities-dict"), help: ArgumentHelp("A user entity dictionary: UTF-8 lines text<TAB>PER|LOC|ORG, or text<TAB>- to suppress; # starts a comment. Entries force their spans (the longest wins) and the model fills the rest; matched in either script. Later files win. Repeatable.", valueName: "file"))
    var entitiesDict: [String] = []
}

extension Substring {
    func trimmingCharacters() -> String {
        String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
