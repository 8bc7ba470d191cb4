/// An ordered list of stages built from the options: the whole of hanpipe's processing after decoding.
///
/// The order is fixed here, in one place: normalize → convert → degloss → segment → entities → numbers.
/// `--skip` removes stages by name; `--keep-glosses` removes degloss; `--to keep` removes convert.
public struct Pipeline: Sendable {
    /// The options that decide which stages run and how.
    public struct Options: Sendable {
        public var target: Script = .simplified
        public var keepGlosses = false
        public var skip: Set<String> = []
        /// Annotation stages (segment, entities, numbers) run only when annotations are written.
        public var annotate = true
        /// An entity model file to use instead of the bundled one.
        public var nerModelPath: String?
        /// User entity dictionaries (`--entities-dict`), later ones winning; see `EntityDictionary`.
        public var entityDictionaries: [EntityDictionary] = []
        /// Convert with ICU's transliterator alone instead of the table compiled from its rules (the
        /// reference path; same output, slower).
        public var icuConvert = false
        public init() {}
    }

    /// Every stage name, in pipeline order.
    public static let stageNames = ["normalize", "convert", "degloss", "segment", "entities", "numbers"]
    /// Stages that only add annotations.
    static let annotationStages: Set<String> = ["segment", "entities", "numbers"]

    public let stages: [any Stage]
    public let options: Options

    /// The names of the stages that run, in order.
    public var names: [String] { stages.map(\.name) }

    public init(options: Options) throws {
        self.options = options
        for name in options.skip where !Pipeline.stageNames.contains(name) {
            throw HanPipeError.input("unknown stage '\(name)' (stages: \(Pipeline.stageNames.joined(separator: ", ")))")
        }
        var stages: [any Stage] = []
        func wanted(_ name: String) -> Bool {
            !options.skip.contains(name) && (options.annotate || !Pipeline.annotationStages.contains(name))
        }
        if wanted("normalize") { stages.append(Normalize()) }
        if wanted("convert") && options.target != .keep { stages.append(Convert(target: options.target, icuOnly: options.icuConvert)) }
        if wanted("degloss") && !options.keepGlosses { stages.append(Degloss()) }
        if wanted("segment") { stages.append(Segment()) }
        for extra in try Pipeline.extraStages(options: options, wanted: wanted) { stages.append(extra) }
        let names = stages.map(\.name)
        for (index, stage) in stages.enumerated() {
            for required in stage.requires where !names[..<index].contains(required) {
                throw HanPipeError.input("stage '\(stage.name)' needs '\(required)' before it; do not skip it")
            }
        }
        self.stages = stages
    }

    /// Runs every stage over `document`.
    public func process(_ document: inout Document) throws {
        document.target = options.target
        for stage in stages { try stage.apply(to: &document) }
    }
}
