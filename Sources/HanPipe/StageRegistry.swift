/// The one ordered list of hanpipe's stages after decode: adding a stage is one new file and one line in
/// `StageRegistry.standard`.
///
/// The registry drives the pipeline's order and `requires` check, `--skip` (its values, help and
/// completions), the edit log's stage names (`StageCode`), and the annotation fields of every writer
/// (JSON, JSONL, streamed, brat): each annotating stage names the field it fills, in registry order,
/// followed by `edits`. Like swift-format's generated rule list, the order is written once, never discovered.
public struct StageRegistry: Sendable {
    /// Every stage, in pipeline order.
    public var stages: [StageDescriptor]

    public init(_ stages: [StageDescriptor]) { self.stages = stages }

    /// hanpipe's stages. A new stage is one line here.
    public static let standard = StageRegistry([
        .init("repair", .rewriting, summary: "undo mojibake (UTF-8, GBK, Big5 misread as Latin-1/cp1252 or GBK) and decode HTML character references") { _ in Repair() },
        .init("normalize", .rewriting, summary: "Unicode NFC, full-width letters and digits, zero-width characters, trailing spaces, ASCII punctuation between Han") { _ in Normalize() },
        .init("convert", .rewriting, summary: "Traditional ↔ Simplified (not with --to keep)") { o in
            o.target == .keep ? nil : try Convert(target: o.target, icuOnly: o.icuConvert, mode: o.conversion,
                                                  variants: o.variants, dictionaries: o.conversionDictionaries)
        },
        .init("degloss", .rewriting, summary: "remove pinyin and Zhuyin glosses (not with --keep-glosses)") { o in o.keepGlosses ? nil : Degloss() },
        .init("segment", .annotating, field: .sentences, summary: "sentence spans") { _ in Segment() },
        .init("entities", .annotating, field: .entities, summary: "people, places and organizations") { o in try Entities(modelPath: o.nerModelPath, dictionaries: o.entityDictionaries) },
        .init("numbers", .annotating, field: .numbers, summary: "number mentions with their values") { _ in Numbers() },
    ])

    /// The stage names, in order (the values of `--skip`).
    public var names: [String] { stages.map(\.name) }

    /// The annotation fields the writers emit, in order (`edits` comes after them).
    public var fields: [AnnotationField] { stages.compactMap(\.field) }

    /// A copy with `stage` added after the stage named `after` (or at the end).
    public func inserting(_ stage: StageDescriptor, after: String? = nil) -> StageRegistry {
        var copy = self
        let at = after.flatMap { name in stages.firstIndex { $0.name == name }.map { $0 + 1 } } ?? stages.count
        copy.stages.insert(stage, at: at)
        return copy
    }
}

/// One stage in the registry: its name, what it does to a document, what must run before it, and how
/// to make it from the options.
public struct StageDescriptor: Sendable {
    /// Whether a stage rewrites the clean text (and so appears in the edit log) or only adds annotations
    /// (and so runs only when annotations are written).
    public enum Kind: Sendable { case rewriting, annotating }

    /// The stable name: `--skip`, the edit log, `Pipeline.names`.
    public let name: String
    public let kind: Kind
    /// Names of stages that must run before this one when it runs.
    public let requires: [String]
    /// The annotation field this stage fills, if any.
    public let field: AnnotationField?
    /// One line for the help text.
    public let summary: String
    /// Makes the stage for these options; nil when the options leave it out (`--to keep`, …).
    public let make: @Sendable (Pipeline.Options) throws -> (any Stage)?

    public init(_ name: String, _ kind: Kind, requires: [String] = [], field: AnnotationField? = nil,
                summary: String, make: @escaping @Sendable (Pipeline.Options) throws -> (any Stage)?) {
        self.name = name
        self.kind = kind
        self.requires = requires
        self.field = field
        self.summary = summary
        self.make = make
    }
}

/// A member of the JSON output that an annotating stage fills: its key and how its elements are read
/// from a document and written (offsets moved by `shift` when the document is one chunk of a stream).
public struct AnnotationField: Sendable {
    /// The JSON key.
    public let name: String
    let count: @Sendable (Document) -> Int
    let write: @Sendable (Document, Int, JSONWriter.Shift, inout [UInt8]) -> Void
    /// Element `i` as a brat text-bound annotation (its type and span), or nil when the field has no
    /// place in brat's `.ann` (sentences).
    let brat: (@Sendable (Document, Int) -> BratWriter.Row)?

    init(name: String, count: @escaping @Sendable (Document) -> Int,
         brat: (@Sendable (Document, Int) -> BratWriter.Row)? = nil,
         write: @escaping @Sendable (Document, Int, JSONWriter.Shift, inout [UInt8]) -> Void) {
        self.name = name
        self.count = count
        self.brat = brat
        self.write = write
    }

    static let sentences = AnnotationField(name: "sentences", count: { $0.sentences.count }) { d, i, shift, out in
        JSONWriter.appendSentence(d.sentences[i], shift: shift, to: &out)
    }
    static let entities = AnnotationField(name: "entities", count: { $0.entities.count },
                                          brat: { d, i in BratWriter.Row(d.entities[i].span, d.entities[i].type.rawValue, d.entities[i].text) }) { d, i, shift, out in
        JSONWriter.appendEntity(d.entities[i], shift: shift, to: &out)
    }
    static let numbers = AnnotationField(name: "numbers", count: { $0.numbers.count },
                                         brat: { d, i in
                                             let m = d.numbers[i]
                                             return BratWriter.Row(m.span, m.kind == .date ? "DATE" : "NUM", m.text)
                                         }) { d, i, shift, out in
        JSONWriter.appendNumber(d.numbers[i], shift: shift, to: &out)
    }

    /// A field of plain spans kept in `Document.spans[name]` (for stages added outside the package):
    /// each element is `{"start": …, "end": …, "source_start": …, "source_end": …}`. With `bratType`,
    /// the spans are also brat annotations of that type.
    public static func spans(_ name: String, bratType: String? = nil) -> AnnotationField {
        var brat: (@Sendable (Document, Int) -> BratWriter.Row)?
        if let bratType {
            brat = { d, i in
                let span = d.spans[name]![i]
                return BratWriter.Row(span, bratType, d.string(span))
            }
        }
        return AnnotationField(name: name, count: { $0.spans[name]?.count ?? 0 }, brat: brat) { d, i, shift, out in
            JSONWriter.appendSentence(d.spans[name]![i], shift: shift, to: &out)
        }
    }
}

/// A stage name of the standard registry: the typed value of `--skip`, whose cases are the registry's
/// names in order (so they show in help and shell completions).
public struct StageName: RawRepresentable, Hashable, Sendable, CaseIterable {
    public let rawValue: String

    /// A name the standard registry knows, or nil.
    public init?(rawValue: String) {
        guard StageRegistry.standard.names.contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    public static var allCases: [StageName] { StageRegistry.standard.names.compactMap(StageName.init(rawValue:)) }
}
