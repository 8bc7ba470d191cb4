import ArgumentParser
import HanPipe
import HanPipeConfig
#if canImport(Glibc)
import Glibc
#endif

/// The settings that decide one input's pipeline, after the command line and the input's `hanpipe.toml`
/// are combined: a flag given on the command line wins, then the config file, then the default.
struct ResolvedSettings: Hashable, Sendable {
    var to: Script = .simplified
    var keepGlosses = false
    /// Sorted stage names.
    var skip: [String] = []
    var encoding: Decode.Encoding = .auto
    /// Conversion dictionaries, in order (later ones win): the command line's as given, or the config
    /// file's (absolute).
    var convertDict: [String] = []
    /// Entity dictionaries: `--entities-dict`, else the config's `entities-dict` (absolute); only read by
    /// commands that annotate.
    var entitiesDict: [String] = []

    /// Lines for `run --resume`'s stamps: every setting, and each dictionary's size and mtime.
    var stampLines: [String] {
        func file(_ path: String) -> String {
            var st = stat()
            return stat(path, &st) == 0 ? "\(path) size \(st.st_size) mtime \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)" : path
        }
        return ["to \(to.rawValue) keep-glosses \(keepGlosses)",
                "skip \(skip.joined(separator: ",")) encoding \(encoding.rawValue)",
                "convert-dict \(convertDict.map(file).joined(separator: " | "))",
                "entities-dict \(entitiesDict.map(file).joined(separator: " | "))"]
    }
}

/// A problem that makes the whole command a usage error (exit 2): a bad `hanpipe.toml`, a bad or
/// unreadable conversion dictionary, options that do not go together.
struct UsageFailure: Error, CustomStringConvertible {
    let description: String
}

/// Runs `body`; a `UsageFailure` or `ConfigError` is printed as `hanpipe: <message>` and ends the
/// command with exit 2.
func usageChecked<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let failure as UsageFailure {
        Diagnostics.line(failure.description)
        throw ExitCode(Status.usage.rawValue)
    } catch let error as ConfigError {
        Diagnostics.line(error.description)
        throw ExitCode(Status.usage.rawValue)
    }
}

/// The jobs of one command: per input, the `hanpipe.toml` that applies (found from the input's folder
/// upward, `--config FILE`, or none with `--isolated`) is combined with the command line, and one
/// pipeline is built per distinct result (so a tree with two configs builds two pipelines, whatever
/// the number of files). Safe to use from `run`'s workers.
final class Jobs: @unchecked Sendable {
    let options: PipelineOptions
    let annotate: Bool
    let sentences: Bool
    let nerModel: String?
    /// `--entities-dict` files (they win over the config's `entities-dict`).
    let entitiesDict: [String]
    private let discovery: ConfigDiscovery
    private let explicit: ConfigFile?
    private let lock = NSLockLite()
    private var jobs: [ResolvedSettings: Job] = [:]
    private var dictionaries: [String: ConversionDictionary] = [:]
    private var entityDictionaries: [String: EntityDictionary] = [:]

    /// Reads `--config FILE` now, so a bad one fails before any input is read.
    init(_ options: PipelineOptions, annotate: Bool, sentences: Bool = false, nerModel: String? = nil,
         entitiesDict: [String] = []) throws {
        self.options = options
        self.annotate = annotate
        self.sentences = sentences
        self.nerModel = nerModel
        self.entitiesDict = entitiesDict
        discovery = ConfigDiscovery(stageNames: Pipeline.stageNames)
        func refuse(_ message: String) throws -> Never {
            Diagnostics.line(message)
            throw ExitCode(Status.usage.rawValue)
        }
        if options.icuConvert && (!options.convertDict.isEmpty || options.variants != nil) {
            try refuse("--icu-convert is the transliterator reference; it cannot be combined with --convert-dict or --variants")
        }
        if options.config != nil && options.isolated { try refuse("--config and --isolated exclude each other") }
        if let to = options.to, to != .traditional, options.variants != nil {
            try refuse("--variants applies only with --to traditional")
        }
        if let path = options.config {
            explicit = try usageChecked { try ConfigFile.load(path: path, stageNames: Pipeline.stageNames) }
        } else {
            explicit = nil
        }
        if let nerModel, access(nerModel, R_OK) != 0 {
            // A model file that cannot be read is an input problem (3), like any unreadable input.
            Diagnostics.error(nerModel, String(cString: strerror(errno)))
            throw ExitCode(Status.input.rawValue)
        }
    }

    /// The config that applies to the input at `path` ("-": standard input, found from the folder of
    /// `stdinFilename` or the working directory). Throws `ConfigError`.
    func config(for path: String, stdinFilename: String? = nil) throws -> ConfigFile? {
        if options.isolated { return nil }
        if let explicit { return explicit }
        if path == "-" { return try discovery.configForStandardInput(stdinFilename: stdinFilename) }
        return try discovery.config(forFile: path)
    }

    /// The command line combined with the input's config.
    func settings(for path: String, stdinFilename: String? = nil) throws -> ResolvedSettings {
        let config = try self.config(for: path, stdinFilename: stdinFilename)
        var s = ResolvedSettings()
        s.to = options.to ?? config?.to.flatMap { Script(rawValue: $0.rawValue) } ?? .simplified
        s.keepGlosses = options.keepGlosses || (config?.keepGlosses ?? false)
        s.skip = options.skip.isEmpty ? (config?.skip ?? []).sorted() : Set(options.skip.map(\.rawValue)).sorted()
        s.encoding = options.encoding ?? config?.encoding.flatMap { Decode.Encoding(rawValue: $0.rawValue) } ?? .auto
        s.convertDict = options.convertDict.isEmpty ? (config?.convertDict ?? []) : options.convertDict
        s.entitiesDict = annotate ? (entitiesDict.isEmpty ? (config?.entitiesDict ?? []) : entitiesDict) : []
        if options.variants != nil && s.to != .traditional {
            throw UsageFailure(description: "--variants applies only with --to traditional"
                               + (config?.to != nil ? " (\(config!.path) sets to = \"\(s.to.rawValue)\")" : ""))
        }
        if options.icuConvert && !s.convertDict.isEmpty {
            throw UsageFailure(description: "--icu-convert is the transliterator reference; it cannot be combined with convert-dict (\(config?.path ?? "command line"))")
        }
        return s
    }

    /// The job for the input at `path`. Throws `UsageFailure` or `ConfigError` (exit 2, see
    /// `usageChecked`); a missing or bad entity model ends the command with exit 3.
    func job(for path: String, stdinFilename: String? = nil) throws -> Job {
        try job(settings(for: path, stdinFilename: stdinFilename))
    }

    func job(_ s: ResolvedSettings) throws -> Job {
        try lock.locked { Result { try makeJob(s) } }.get()
    }

    /// Called with the lock held.
    private func makeJob(_ s: ResolvedSettings) throws -> Job {
        do {
            if let job = jobs[s] { return job }
            var o = Pipeline.Options(to: s.to, keepGlosses: s.keepGlosses, skip: Set(s.skip), annotate: annotate,
                                     nerModelPath: nerModel, icuConvert: options.icuConvert,
                                     conversion: options.exactIcu ? .icuTable : .phrases, variants: options.variants,
                                     conversionDictionaries: try s.convertDict.map(dictionary),
                                     entityDictionaries: try s.entitiesDict.map(entityDictionary))
            if !annotate && sentences { o.annotate = true; o.skip.formUnion(["entities", "numbers"]) }
            let job: Job
            do {
                job = Job(pipeline: try Pipeline(o), encoding: s.encoding, maxLineBytes: options.maxLineBytes)
            } catch let error as HanPipeError {
                if case .badModel = error, let nerModel {
                    Diagnostics.error(nerModel, "\(error)")
                    throw ExitCode(Status.input.rawValue)
                }
                throw UsageFailure(description: "\(error)")
            }
            jobs[s] = job
            return job
        }
    }

    /// An entity dictionary, read once per path. Malformed (`ents.tsv:3: unknown type …`) or unreadable: exit 2.
    private func entityDictionary(_ path: String) throws -> EntityDictionary {
        try loaded(path, in: &entityDictionaries, EntityDictionary.init(path:))
    }

    /// A conversion dictionary, read once per path. Malformed (`d.tsv:3: …`) or unreadable: exit 2.
    private func dictionary(_ path: String) throws -> ConversionDictionary {
        try loaded(path, in: &dictionaries, ConversionDictionary.init(contentsOf:))
    }

    /// A user file read once per path; any error (a parse error prints as `file:line: message`) is a
    /// usage failure. Called with the lock held.
    private func loaded<D>(_ path: String, in cache: inout [String: D], _ load: (String) throws -> D) throws -> D {
        if let d = cache[path] { return d }
        do {
            let d = try load(path)
            cache[path] = d
            return d
        } catch {
            throw UsageFailure(description: "\(error)")
        }
    }

    /// Resolves every input's job before any is read, so that a bad config or dictionary is exit 2
    /// with no output written. Returns the inputs that are not excluded: a file found by walking a
    /// folder is dropped when its config's `exclude` matches it; a file named on the command line is
    /// always processed.
    func prepare(_ inputs: [Files.Input], named: [String], stdinFilename: String? = nil) throws -> [Files.Input] {
        let named = Set(named)
        return try usageChecked {
            var kept: [Files.Input] = []
            for input in inputs {
                if !named.contains(input.path), let config = try config(for: input.path), config.excludes(input.path) { continue }
                _ = try job(for: input.path, stdinFilename: stdinFilename)
                kept.append(input)
            }
            return kept
        }
    }

    /// `prepare` for plain paths (`clean`, `annotate`: every file is named).
    func prepare(paths: [String]) throws {
        _ = try prepare(paths.map { Files.Input(path: $0, relative: $0) }, named: paths)
    }
}
