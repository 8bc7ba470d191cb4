/// An ordered list of stages built from the options and a `StageRegistry`: the whole of hanpipe's
/// processing after decoding.
///
/// The order is the registry's (repair → normalize → convert → degloss → segment → entities → numbers for
/// `StageRegistry.standard`). `skip` removes stages by name; options may leave a stage out (`--to keep`
/// removes convert, `--keep-glosses` degloss); annotating stages run only when `annotate` is set.
///
/// ```swift
/// let doc = try Pipeline(.init(to: .simplified)).annotate("長城(chang cheng)在北京。")
/// for entity in doc.entities { print(entity.type, doc.text(entity.span)) }
/// ```
public struct Pipeline: Sendable {
    /// The options that decide which stages run and how. A plain struct: fields are added with defaults.
    public struct Options: Sendable {
        /// The target script of the convert stage (`.keep` leaves it out).
        public var target: Script
        /// Keep pinyin and Zhuyin glosses (leaves degloss out).
        public var keepGlosses: Bool
        /// Stages to leave out, by name (see `StageRegistry.names`).
        public var skip: Set<String>
        /// Annotating stages (segment, entities, numbers) run only when annotations are written.
        public var annotate: Bool
        /// An entity model file to use instead of the bundled one.
        public var nerModelPath: String?
        /// User entity dictionaries (`--entities-dict`), later ones winning; see `EntityDictionary`.
        public var entityDictionaries: [EntityDictionary]
        /// Convert with ICU's transliterator alone instead of the table compiled from its rules (the
        /// reference path; same output, slower).
        public var icuConvert: Bool
        /// `.phrases` (default: ICU's rules with its defects fixed, plus OpenCC's phrases) or `.icuTable`
        /// (ICU's output exactly, `--exact-icu`).
        public var conversion: Convert.Mode
        /// Regional Traditional character forms (`--variants tw|hk`).
        public var variants: Variants?
        /// User conversion dictionaries (`--convert-dict FILE`, repeatable), later ones winning.
        public var conversionDictionaries: [ConversionDictionary]

        public init(to target: Script = .simplified, keepGlosses: Bool = false, skip: Set<String> = [],
                    annotate: Bool = true, nerModelPath: String? = nil, icuConvert: Bool = false,
                    conversion: Convert.Mode = .phrases, variants: Variants? = nil,
                    conversionDictionaries: [ConversionDictionary] = [], entityDictionaries: [EntityDictionary] = []) {
            self.target = target
            self.keepGlosses = keepGlosses
            self.skip = skip
            self.annotate = annotate
            self.nerModelPath = nerModelPath
            self.icuConvert = icuConvert
            self.conversion = conversion
            self.variants = variants
            self.conversionDictionaries = conversionDictionaries
            self.entityDictionaries = entityDictionaries
        }
    }

    /// Every stage name of the standard registry, in pipeline order.
    public static var stageNames: [String] { StageRegistry.standard.names }

    public let stages: [any Stage]
    public let options: Options
    /// The registry the pipeline was built from (its annotation fields drive the writers).
    public let registry: StageRegistry

    /// The names of the stages that run, in order.
    public var names: [String] { stages.map(\.name) }

    /// Builds the pipeline. An unknown name in `skip`, or a stage whose `requires` does not run before
    /// it, is an error naming the stages.
    public init(_ options: Options = Options(), registry: StageRegistry = .standard) throws {
        self.options = options
        self.registry = registry
        for name in options.skip where !registry.names.contains(name) {
            throw HanPipeError.input("unknown stage '\(name)' (stages: \(registry.names.joined(separator: ", ")))")
        }
        var stages: [any Stage] = []
        var names: [String] = []
        for descriptor in registry.stages {
            if options.skip.contains(descriptor.name) { continue }
            if descriptor.kind == .annotating && !options.annotate { continue }
            guard let stage = try descriptor.make(options) else { continue }
            for required in descriptor.requires + stage.requires where !names.contains(required) {
                throw HanPipeError.input("stage '\(descriptor.name)' needs '\(required)' before it; do not skip it")
            }
            stages.append(stage)
            names.append(descriptor.name)
        }
        self.stages = stages
    }

    /// The same as `init(_:)`.
    public init(options: Options) throws { try self.init(options) }

    /// Runs every stage over `document`.
    public func process(_ document: inout Document) throws {
        document.target = options.target
        for stage in stages { try stage.apply(to: &document) }
    }

    /// Runs the whole pipeline over a string (decode's line-ending fixes included) and returns the
    /// document: clean text, annotations and edit log.
    public func annotate(_ text: String, id: String = "-") throws -> Document {
        try Job(pipeline: self).document(id: id, bytes: Array(text.utf8))
    }
}
