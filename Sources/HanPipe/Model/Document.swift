#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one document model every stage works on.
///
/// A `Document` keeps the decoded source unchanged (`source`, after charset decoding and before any other
/// stage) and the current clean text (`text`). Rewriting stages never edit `text` in place: they go
/// through `rewrite(stage:_:)`, which keeps, for every clean character, the source character it came
/// from (`origin`) and, for every source character, the stage that last deleted or changed it. From these
/// the edit log (`edits`) and the source offsets of every span are derived, so offsets survive every
/// step, as in spaCy's `Doc`.
public struct Document: Sendable {
    // MARK: - Public API

    /// The document's identifier: a path relative to the input, a JSONL `id`, or "-" for standard input.
    public var id: String
    /// The decoded source, in code points.
    public let source: Scalars
    /// The clean text, in code points.
    public private(set) var text: Scalars
    /// The target script of the conversion stage, as written in the output (`simplified`, …).
    public var target: Script = .keep
    /// Sentence spans over `text`.
    public var sentences: [Span] = []
    /// Named entities over `text`.
    public var entities: [Entity] = []
    /// Number mentions over `text`.
    public var numbers: [NumberMention] = []
    /// Named groups of spans over `text`, for stages added outside the package (written by the writers
    /// through `AnnotationField.spans(name)`), like spaCy's `Doc.spans`.
    public var spans: [String: [Span]] = [:]

    /// Creates a document whose clean text starts as a copy of its source.
    public init(id: String, source: Scalars) {
        self.id = id
        self.source = source
        self.text = source
        self.origin = [Int32](unsafeUninitializedCapacity: source.count) { buffer, count in
            for i in 0..<buffer.count { buffer[i] = Int32(truncatingIfNeeded: i) }
            count = buffer.count
        }
        self.changed = [Bool](repeating: false, count: source.count)
        self.touched = [UInt8](repeating: 0, count: source.count)
    }

    /// Creates a document from a Swift string.
    public init(id: String, text: String) { self.init(id: id, source: Scalars(scalarsOf: text)) }

    /// The span's range in `source`, derived from the origin map: from the source character of the span's
    /// first clean character to the one after the source character of its last.
    public func sourceRange(_ range: Range<Int>) -> Range<Int> {
        if text.isEmpty || source.isEmpty { return 0..<0 }
        if range.isEmpty {
            let at = range.lowerBound < text.count ? Int(origin[range.lowerBound]) : source.count
            return at..<at
        }
        let lo = Int(origin[range.lowerBound])
        var hi = Int(origin[range.upperBound - 1]) + 1
        // A changed last character may stand for several source characters (NFC composition): cover
        // the source characters its stage removed right after it.
        if changed[range.upperBound - 1] {
            let stage = touched[hi - 1]
            let next = range.upperBound < text.count ? Int(origin[range.upperBound]) : source.count
            while hi < next && touched[hi] == stage && (stage == StageCode.normalize || stage == StageCode.repair || stage == StageCode.convert) { hi += 1 }
        }
        return lo..<hi
    }

    /// The clean text of a span (an entity's, a sentence's, …) as a string.
    public func string(_ span: Span) -> String { text[span.start..<span.end].string }

    /// The source text a span came from, as a string.
    public func sourceString(_ span: Span) -> String { source[span.sourceStart..<span.sourceEnd].string }

    /// A span over `text` with its source offsets filled in.
    public func span(_ range: Range<Int>) -> Span {
        let s = sourceRange(range)
        return Span(start: range.lowerBound, end: range.upperBound, sourceStart: s.lowerBound, sourceEnd: s.upperBound)
    }

    /// Every change made by decode, repair, normalize and degloss, in source order, derived from the origin map.
    /// Conversion is character for character and is not listed, except a user dictionary entry that
    /// changes the length (stage `convert`). With `--to keep`, applying the edits to
    /// `text` gives back `source` exactly.
    public var edits: [Edit] {
        var result: [Edit] = []
        var i = 0, j = 0
        let n = text.count, m = source.count
        while i < n || j < m {
            if i < n && j < m && !changed[i] && Int(origin[i]) == j { i += 1; j += 1; continue }
            // An edit region: clean characters that were changed, and source characters nobody kept.
            let textStart = i, sourceStart = j
            var sourceEnd = j
            var k = i
            while true {
                if k < n && changed[k] {
                    sourceEnd = max(sourceEnd, Int(origin[k]) + 1); k += 1; continue
                }
                let next = k < n ? Int(origin[k]) : m
                if next > sourceEnd { sourceEnd = next }
                break
            }
            if sourceEnd == sourceStart && k == textStart { // cannot happen; guard against an endless loop
                j += 1; continue
            }
            splitRegion(textStart..<k, sourceStart..<sourceEnd, into: &result)
            i = k; j = sourceEnd
        }
        return result
    }

    // MARK: - Internals

    /// For each clean character, the index of the source character it comes from.
    private(set) var origin: [Int32]
    /// For each clean character, whether a rewriting stage changed it (conversion does not count).
    private(set) var changed: [Bool]
    /// For each source character, the code of the stage that last deleted or changed it (0: none).
    private(set) var touched: [UInt8]

    /// Splits one edit region at the points where the responsible stage changes, so that each edit
    /// names one stage.
    private func splitRegion(_ t: Range<Int>, _ s: Range<Int>, into result: inout [Edit]) {
        var start = s.lowerBound
        var ti = t.lowerBound
        while start < s.upperBound {
            let stage = touched[start] == 0 ? StageCode.decode : touched[start]
            var end = start + 1
            while end < s.upperBound && (touched[end] == 0 ? StageCode.decode : touched[end]) == stage { end += 1 }
            let tStart = ti
            while ti < t.upperBound && Int(origin[ti]) < end { ti += 1 }
            // Changed characters from a later part of the region stay with it.
            let to = end == s.upperBound ? text[tStart..<t.upperBound] : text[tStart..<ti]
            if end == s.upperBound { ti = t.upperBound }
            result.append(Edit(stage: StageCode.name(stage), sourceStart: start, sourceEnd: end,
                               from: source[start..<end].string, to: to.string))
            start = end
        }
    }

    /// Replaces the clean text with the result of `body`, which emits it through a `Rewriter`; the edit log
    /// names `stage` for every change. The text is left untouched when `body` makes no change. This is how
    /// a text-rewriting stage, in the package or outside it, changes a document: offsets and the edit log
    /// follow by construction.
    public mutating func rewrite(stage: String, _ body: (inout Rewriter) throws -> Void) rethrows {
        try rewrite(stage: StageCode.code(stage), body)
    }

    mutating func rewrite(stage: UInt8, _ body: (inout Rewriter) throws -> Void) rethrows {
        var r = Rewriter(document: self, stage: stage)
        try body(&r)
        guard r.didChange else { return }
        if !r.copying {
            // Every change kept the length: apply them in place, as the copy below would have (the
            // character, its `changed` flag and its source character's stage), without copying the
            // three arrays. The rewriter lets go of them first, so that they are written, not copied.
            let replaced = r.inPlace
            r.release()
            for (k, c) in replaced {
                text[k] = c
                changed[k] = true
                touched[Int(origin[k])] = stage
            }
            return
        }
        r.finish()
        text = r.newText
        origin = r.newOrigin
        changed = r.newChanged
        for (index, stage) in r.touchedSource { touched[index] = stage }
    }

    /// Replaces characters one for one without recording an edit (the conversion stage).
    mutating func substitute(_ range: Range<Int>, with replacement: ArraySlice<UInt32>) {
        precondition(range.count == replacement.count)
        text.replaceSubrange(range, with: replacement)
    }

    /// Replaces every character one for one without recording an edit: `substitute(_:with:)` over the
    /// whole text, without copying it (the stage hands over its converted copy; replacing a range of a
    /// text that the stage still holds would copy the whole text first, then the range).
    mutating func substitute(all replacement: Scalars) {
        precondition(text.count == replacement.count)
        text = replacement
    }
}

/// Builds a new clean text from the current one. Stages call `delete` and `replace` on ranges of the
/// current text in increasing order; everything in between is copied.
///
/// Changes that keep the length (one character for another, as most of normalize's and repair's are)
/// are only listed until a change of length comes; if none comes, the document applies them in place
/// instead of copying its text, origin map and flags (which took a tenth of `clean`'s time).
public struct Rewriter {
    private(set) var old: Scalars
    private var oldOrigin: [Int32]
    private var oldChanged: [Bool]
    let stage: UInt8
    private(set) var newText: Scalars = []
    private(set) var newOrigin: [Int32] = []
    private(set) var newChanged: [Bool] = []
    private(set) var touchedSource: [(Int, UInt8)] = []
    private var position = 0
    private(set) var didChange = false
    /// The one-for-one replacements (position, character), in order, while `copying` is false.
    private(set) var inPlace: [(Int, UInt32)] = []
    /// Whether the new text is built by copying (from the first change of length on).
    private(set) var copying = false

    init(document: Document, stage: UInt8) {
        old = document.text
        oldOrigin = document.origin
        oldChanged = document.changed
        self.stage = stage
    }

    private mutating func begin() {
        if !didChange {
            didChange = true
            newText.reserveCapacity(old.count)
            newOrigin.reserveCapacity(old.count)
            newChanged.reserveCapacity(old.count)
        }
    }

    private mutating func copy(upTo end: Int) {
        precondition(end >= position, "rewrites must come in increasing order")
        if end > position {
            newText.append(contentsOf: old[position..<end])
            newOrigin.append(contentsOf: oldOrigin[position..<end])
            newChanged.append(contentsOf: oldChanged[position..<end])
            position = end
        }
    }

    /// Removes `range` of the current text.
    public mutating func delete(_ range: Range<Int>) { replace(range, with: []) }

    /// Switches to copying: the listed one-for-one replacements are made as `replace` makes them.
    private mutating func startCopying() {
        let replaced = inPlace
        inPlace = []
        copying = true
        position = 0
        didChange = false
        begin()
        for (k, c) in replaced {
            copy(upTo: k)
            touchedSource.append((Int(oldOrigin[k]), stage))
            newText.append(c)
            newOrigin.append(oldOrigin[k])
            newChanged.append(true)
            position = k + 1
        }
    }

    /// Drops the references to the document's arrays (before the document writes them in place).
    mutating func release() {
        old = []
        oldOrigin = []
        oldChanged = []
    }

    /// Replaces `range` of the current text with `replacement`. Replacement characters take the source
    /// position of the replaced characters, one for one, the last one standing for any extra.
    public mutating func replace(_ range: Range<Int>, with replacement: some Collection<UInt32>) {
        // While no change alters the length, changes are listed (a list longer than a quarter of the
        // text is copied in, since copying is then as cheap).
        if !copying && !range.isEmpty && replacement.count == range.count && inPlace.count < old.count / 4 {
            precondition(range.lowerBound >= position, "rewrites must come in increasing order")
            didChange = true
            var k = range.lowerBound
            for c in replacement {
                inPlace.append((k, c))
                k += 1
            }
            position = range.upperBound
            return
        }
        if !copying { startCopying() }
        begin()
        copy(upTo: range.lowerBound)
        for k in range { touchedSource.append((Int(oldOrigin[k]), stage)) }
        var k = 0
        for c in replacement {
            let from = range.isEmpty ? (range.lowerBound < old.count ? oldOrigin[range.lowerBound] : (oldOrigin.last ?? 0))
                                     : oldOrigin[range.lowerBound + min(k, range.count - 1)]
            newText.append(c)
            newOrigin.append(from)
            newChanged.append(true)
            k += 1
        }
        position = range.upperBound
    }

    mutating func finish() { if didChange && copying { copy(upTo: old.count) } }
}

/// Stage codes stored in the document's per-source-character log: 1 is decode, then the registry's
/// rewriting stages in order; a stage name first seen later (a stage added outside the standard
/// registry) gets the next code. The edit log turns codes back into names.
enum StageCode {
    static let decode: UInt8 = 1
    static let normalize: UInt8 = code("normalize")
    static let degloss: UInt8 = code("degloss")
    static let repair: UInt8 = code("repair")
    /// A user conversion entry that changes the length (`Convert`).
    static let convert: UInt8 = code("convert")

    private final class Table: @unchecked Sendable {
        var mutex = pthread_mutex_t()
        var names: [String]
        init(_ names: [String]) { self.names = names; pthread_mutex_init(&mutex, nil) }
    }
    private static let table = Table(["decode"] + StageRegistry.standard.stages.filter { $0.kind == .rewriting }.map(\.name))

    /// The code of a stage name (interned on first use).
    static func code(_ name: String) -> UInt8 {
        pthread_mutex_lock(&table.mutex)
        defer { pthread_mutex_unlock(&table.mutex) }
        if let i = table.names.firstIndex(of: name) { return UInt8(i + 1) }
        precondition(table.names.count < 255, "too many stage names")
        table.names.append(name)
        return UInt8(table.names.count)
    }

    static func name(_ code: UInt8) -> String {
        pthread_mutex_lock(&table.mutex)
        defer { pthread_mutex_unlock(&table.mutex) }
        return code >= 1 && Int(code) <= table.names.count ? table.names[Int(code) - 1] : "decode"
    }
}

/// The target script of the conversion stage.
public enum Script: String, Sendable, CaseIterable {
    case simplified, traditional, keep
}

/// A span of clean text, with its position in the source.
public struct Span: Equatable, Sendable {
    public var start: Int
    public var end: Int
    public var sourceStart: Int
    public var sourceEnd: Int

    public init(start: Int, end: Int, sourceStart: Int, sourceEnd: Int) {
        self.start = start
        self.end = end
        self.sourceStart = sourceStart
        self.sourceEnd = sourceEnd
    }
}

/// A named entity.
public struct Entity: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable { case PER, LOC, ORG }
    public var span: Span
    public var type: Kind
    public var text: String

    public init(span: Span, type: Kind, text: String) {
        self.span = span
        self.type = type
        self.text = text
    }
}

/// A number mention.
public struct NumberMention: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case cardinal, decimal, percent, fraction, ordinal, range, money, date
    }
    /// A mention's value: a number, or an ISO date string for dates.
    public enum Value: Equatable, Sendable {
        case integer(Int64)
        case real(Double)
        case date(String)
    }
    public var span: Span
    public var text: String
    public var value: Value
    /// The high end of a range.
    public var high: Value?
    /// The unit or measure word that follows the number, part of `text`.
    public var unit: String?
    public var kind: Kind
    public var approximate: Bool

    public init(span: Span, text: String, value: Value, high: Value? = nil, unit: String? = nil,
                kind: Kind, approximate: Bool = false) {
        self.span = span
        self.text = text
        self.value = value
        self.high = high
        self.unit = unit
        self.kind = kind
        self.approximate = approximate
    }
}

/// One change made by a rewriting stage, in source coordinates.
public struct Edit: Equatable, Sendable {
    public var stage: String
    public var sourceStart: Int
    public var sourceEnd: Int
    public var from: String
    public var to: String
}
