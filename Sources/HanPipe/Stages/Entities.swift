/// entities: named entities PER, LOC, ORG from the trained character tagger (`NERModel`).
///
/// Rule (spec, stage 6): the tagger reads a Simplified view of the clean text: when the document's target
/// script is not Simplified, the text is converted with ICU's `Hant-Hans` character for character (a
/// character whose conversion is not one character is left as it is), so offsets carry over and Traditional
/// input gets the same entities as Simplified. The text is tagged in chunks between whitespace characters
/// (the training text has none). Entities are flat and never overlap; each longest tagged span is one entity,
/// so `上海市生态环境局` is one ORG. A span holding half a bracket pair is cut before it. Offsets are in the clean text, with source offsets from the origin map, and
/// `text` is the clean-text slice. User dictionaries (`EntityDictionary`) are matched on the same Simplified
/// view first: their spans are forced (an entity of the entry's type, or no entity for `-`), the longest
/// entry winning where entries overlap, and the model tags the rest under that constraint, so its spans never
/// overlap a dictionary span. A quoted abbreviation spelled out in brackets by places
/// (`“金嘉平”(上海市金山区，浙江省嘉兴市、平湖市)`) is one LOC (`placeAbbreviations`), and two organisations
/// joined by a connective are two ORGs (`splitCoordinated`); a bracketed alternative suffix is not part of
/// the name (`嘉善县生态环境局(分局)` → `嘉善县生态环境局`, `withoutAlternativeSuffix`). A span that cuts a Latin
/// word (`Ca` of `Café`) or begins a counted reference (`两省一市生态环境厅`) is dropped, and so is a name of
/// one or two characters that the document repeats more often outside any name (`withoutStrayShortNames`).
/// A listed company's name that the model missed but nearly took for an ORG is one (`listedCompanies`).
///
/// Worst case: linear (a fixed number of feature look-ups and 13 × 13 Viterbi steps per character; gazetteer
/// matching looks at most 16 characters ahead; dictionary matching at most the longest entry's length;
/// `withoutStrayShortNames` one hash look-up per character; a listed company's name two Viterbi passes over
/// at most 56 characters).
public struct Entities: Stage {
    public let name = "entities"
    public var requires: [String] { [] }
    let model: NERModel
    /// The user's entries (all dictionaries merged, later ones winning).
    let dictionary: EntityDictionary

    /// Uses the model file at `modelPath`, or the embedded model when nil, and the entries of `dictionaries`.
    public init(modelPath: String?, dictionaries: [EntityDictionary] = []) throws {
        if let modelPath { model = try NERModel.load(path: modelPath) } else { model = try NERModel.bundled.get() }
        dictionary = try Entities.merged(dictionaries)
    }

    public init(model: NERModel, dictionaries: [EntityDictionary] = []) throws {
        self.model = model
        dictionary = try Entities.merged(dictionaries)
    }

    static func merged(_ dictionaries: [EntityDictionary]) throws -> EntityDictionary {
        guard dictionaries.count > 1 else { return dictionaries.first ?? EntityDictionary() }
        var all = EntityDictionary()
        for d in dictionaries { try all.merge(d) }
        return all
    }

    public func apply(to document: inout Document) throws {
        // Always through the table (a fast no-op on Simplified text), so --skip convert is safe too.
        let text = try Entities.simplifiedView(document.text)
        var found: [Entity] = []
        var scratch = NERScratch()
        // Dictionary spans: forced tags for the model, and entities of their own.
        let matches = dictionary.matches(in: text)
        var forced: [UInt8] = []
        var fixed: [(range: Range<Int>, type: Int)] = []
        if !matches.isEmpty {
            forced = [UInt8](repeating: NERTags.free, count: text.count)
            for m in matches {
                for i in m.range { forced[i] = 0 }
                guard case .entity(let kind) = m.action, let type = NERTags.types.firstIndex(of: kind) else { continue }
                fixed.append((m.range, type))
                // Inside one chunk the model sees the entity's own tags (a span across whitespace stays O for it).
                if !m.range.contains(where: { isWhitespace(text[$0]) }) {
                    let tags = NERTags.encode([(0..<m.range.count, type)], length: m.range.count)
                    for (k, i) in m.range.enumerated() { forced[i] = tags[k] }
                }
            }
        }
        let free = { (r: Range<Int>) in forced.isEmpty || r.allSatisfy { forced[$0] == NERTags.free } }
        let org = NERTags.index(of: .ORG)
        var spans: [(range: Range<Int>, type: Int)] = []
        var companies: [Range<Int>] = []
        try ICUCache.words.with { breaker in
            var i = 0
            let n = text.count
            while i < n {
                while i < n && isWhitespace(text[i]) { i += 1 }
                let start = i
                while i < n && !isWhitespace(text[i]) { i += 1 }
                guard i > start else { continue }
                let constraint: ArraySlice<UInt8>? = forced.isEmpty ? nil : forced[start..<i]
                for s in try model.tag(text[start..<i], scratch: &scratch, breaker: breaker, forced: constraint) {
                    let r = (start + s.range.lowerBound)..<(start + s.range.upperBound)
                    if !forced.isEmpty && forced[r.lowerBound] != NERTags.free { continue }  // a dictionary span
                    guard let r = Entities.balanced(r, text), Entities.keepsLatinWordsWhole(r, text) else { continue }
                    spans.append((r, s.type))
                }
                // Listed companies' names in this chunk, longest first, none overlapping; each is kept when
                // the best sequence with it as one ORG scores within `companyMargin` of the model's best, over
                // the name and 20 characters either side.
                let lengths = scratch.features.companyLength
                var j = 0
                while j < lengths.count {
                    guard lengths[j] > 0 else { j += 1; continue }
                    let c = j..<(j + lengths[j])
                    let window = max(0, c.lowerBound - 20)..<min(lengths.count, c.upperBound + 20)
                    if model.margin(of: c, type: org, window: window, scratch: &scratch) <= Entities.companyMargin {
                        companies.append((start + c.lowerBound)..<(start + c.upperBound))
                    }
                    j = c.upperBound
                }
            }
        }
        spans = Entities.splitCoordinated(spans, text, model: model).map { Entities.withoutAlternativeSuffix($0, text, model: model) }
            .filter { !Entities.isCountedReference($0.range, text) }
        spans = Entities.placeAbbreviations(spans, text, free: free)
        spans = Entities.withoutStrayShortNames(spans, text)
        spans = Entities.listedCompanies(spans, companies, free: free)
        // Merge with the dictionary's entities (neither overlaps the other), in text order.
        var all = spans + fixed
        all.sort { $0.range.lowerBound < $1.range.lowerBound }
        for s in all {
            found.append(Entity(span: document.span(s.range), type: NERTags.types[s.type], text: document.text[s.range].string))
        }
        document.entities = found
    }

    /// How much lower than the model's best sequence the best one with a listed company's name as one ORG
    /// may score for the name to be kept (in the model's units, one perceptron update = 1, so it follows the
    /// scale of the shipped model's weights). Chosen on the dev sets and checked on the 12 MB bench corpus,
    /// where without it the rule makes ORGs of `线上线下`, `航天工程`, `中国电影` and `国新能源` (in
    /// `全国新能源`). For the cost-augmented model (larger weights): 50 and 100 gave the same dev mean, 200
    /// and 300 one and two more résumé companies, and 300 adds 20 ORG over 100 on the corpus, mostly
    /// companies, where no margin adds 222 more, mostly wrong. (For the plain perceptron before it, 100.)
    static let companyMargin: Float = 300

    /// Listed companies the model missed: a listed company's short name (`Gazetteer.Kind.company`: 4 or more
    /// Han characters, no dictionary word, place or person, e.g. `蓝色光标`, `东方日升`) that the model nearly
    /// took for an ORG (`apply` keeps only names within `companyMargin` of its best sequence) is one ORG where
    /// no span crosses its edges and none is the name itself; the spans inside it (`东方` ORG of `东方日升`,
    /// `泰` and `盛` LOC of `泰盛制药`) give way to it. The model learned little of names that are younger than its
    /// training text, and the list is only a feature to it. `companies` are sorted and do not overlap;
    /// `free` tells whether a range is outside every dictionary span. Linear: one pass over both lists.
    static func listedCompanies(_ spans: [(range: Range<Int>, type: Int)], _ companies: [Range<Int>],
                                free: (Range<Int>) -> Bool) -> [(range: Range<Int>, type: Int)] {
        guard !companies.isEmpty else { return spans }
        let org = NERTags.index(of: .ORG)
        let sorted = spans.sorted { $0.range.lowerBound < $1.range.lowerBound }
        var out: [(range: Range<Int>, type: Int)] = []
        out.reserveCapacity(sorted.count + companies.count)
        var i = 0
        for c in companies {
            while i < sorted.count && sorted[i].range.upperBound <= c.lowerBound { out.append(sorted[i]); i += 1 }
            var j = i, keep = false
            while j < sorted.count && sorted[j].range.lowerBound < c.upperBound {
                let r = sorted[j].range
                if r == c || r.lowerBound < c.lowerBound || r.upperBound > c.upperBound { keep = true }
                j += 1
            }
            if keep || !free(c) { continue }
            out.append((c, org))
            i = j
        }
        out.append(contentsOf: sorted[i...])
        return out
    }

    /// Place abbreviations spelled out in brackets: `“金嘉平”(上海市金山区，浙江省嘉兴市、平湖市)`. A quoted run
    /// of 2–6 Han characters right before an opening bracket is one LOC when its characters are, in order,
    /// the first characters of places tagged inside the brackets (a bracket closing within 80 characters);
    /// spans it overlaps are dropped. `free` tells whether a range is outside every dictionary span.
    /// Linear: each bracket looks at most 7 characters back and 80 ahead.
    static func placeAbbreviations(_ spans: [(range: Range<Int>, type: Int)], _ text: Scalars,
                                   free: (Range<Int>) -> Bool) -> [(range: Range<Int>, type: Int)] {
        let loc = NERTags.index(of: .LOC)
        var result = spans
        var added: [Range<Int>] = []
        var first = 0  // the first span that may lie at or after the bracket
        for (p, c) in text.enumerated() where c == 0x28 || c == 0xFF08 {
            guard p >= 3, closingQuotes.contains(text[p - 1]) else { continue }
            var o = p - 2
            while o >= 0 && p - 1 - o <= 7 && !openingQuotes.contains(text[o]) { o -= 1 }
            guard o >= 0, openingQuotes.contains(text[o]) else { continue }
            let token = (o + 1)..<(p - 1)
            guard (2...6).contains(token.count), token.allSatisfy({ isHan(text[$0]) }), free(token) else { continue }
            let close = c == 0x28 ? UInt32(0x29) : UInt32(0xFF09)
            guard let end = text[(p + 1)..<min(text.count, p + 81)].firstIndex(of: close) else { continue }
            while first < spans.count && spans[first].range.lowerBound <= p { first += 1 }
            var k = token.lowerBound
            var j = first
            while j < spans.count && spans[j].range.upperBound <= end && k < token.upperBound {
                if spans[j].type == loc && text[spans[j].range.lowerBound] == text[k] { k += 1 }
                j += 1
            }
            if k == token.upperBound { added.append(token) }
        }
        guard !added.isEmpty else { return spans }
        var covered = [Bool](repeating: false, count: text.count)
        for r in added { for i in r { covered[i] = true } }
        result.removeAll { s in s.range.contains { covered[$0] } }
        result += added.map { ($0, loc) }
        result.sort { $0.range.lowerBound < $1.range.lowerBound }
        return result
    }

    /// Two organisations joined by a connective are two entities: an ORG span is cut around 和, 与, 及, 同,
    /// 会同, 以及, 联合 or 、 when the part before it ends in an organisation suffix (before an optional bracket
    /// pair: `生态环境厅(局)`) and the part after it is at least two characters, so `中华医学会和邮电总医院`
    /// and `生态环境厅(局)会同执委会` give two ORGs each, while `住房和城乡建设部` (住房 is no suffix) stays whole.
    /// A span that begins with a connective of two characters (会同, 以及, 联合; one character could begin a
    /// name: 和记黄埔) right after a name the tagger left out begins after the connective
    /// (`两省一市生态环境厅(局)会同执委会`: ORG `会同执委会` → `执委会`).
    /// Linear: each position of a span tries at most 8 connectives and 4 suffix lengths; the text before a
    /// span is looked at for at most 12 characters.
    static func splitCoordinated(_ spans: [(range: Range<Int>, type: Int)], _ text: Scalars,
                                 model: NERModel) -> [(range: Range<Int>, type: Int)] {
        let org = NERTags.index(of: .ORG)
        var result: [(range: Range<Int>, type: Int)] = []
        result.reserveCapacity(spans.count)
        for s in spans {
            guard s.type == org else { result.append(s); continue }
            var start = s.range.lowerBound
            /// Whether the text from `from` up to `end` ends in an organisation name: a suffix, or a suffix and
            /// a bracket pair, with at least one character before the suffix.
            func endsInName(_ end: Int, from: Int) -> Bool {
                var end = end
                if end - 1 > from, text[end - 1] == 0x29 || text[end - 1] == 0xFF09,
                   let open = text[from..<(end - 1)].lastIndex(where: { $0 == 0x28 || $0 == 0xFF08 }), open > from {
                    end = open
                }
                return (1...4).contains(where: { end - $0 > from && model.isOrgSuffix(text[(end - $0)..<end]) })
            }
            if let c = connectives.first(where: { $0.count > 1 && s.range.count - $0.count >= 2 && text[s.range].starts(with: $0) }),
               endsInName(start, from: max(0, start - 12)) {
                start += c.count
            }
            var k = start + 2
            while k < s.range.upperBound - 2 {
                var cut: Int? = nil
                for connective in connectives where k + connective.count <= s.range.upperBound - 2
                    && text[k..<(k + connective.count)].elementsEqual(connective) && endsInName(k, from: start) {
                    cut = connective.count
                    break
                }
                if let length = cut {
                    result.append((start..<k, org))
                    start = k + length
                    k = start + 2
                } else {
                    k += 1
                }
            }
            result.append((start..<s.range.upperBound, org))
        }
        return result
    }

    /// An ORG ending in a bracketed government unit of one or two characters (局, 分局, 厅, 处, 委, 办, 署)
    /// right after an organisation suffix names the body without the bracket: the span is cut before it.
    /// Such brackets give the other name of the unit (provinces name the same body 厅 or 局:
    /// `生态环境厅(局)`) or its branch (`嘉善县生态环境局(分局)`); `…厂（集团）` keeps its bracket.
    static func withoutAlternativeSuffix(_ s: (range: Range<Int>, type: Int), _ text: Scalars,
                                         model: NERModel) -> (range: Range<Int>, type: Int) {
        let r = s.range
        guard s.type == NERTags.index(of: .ORG), r.count >= 5, text[r.upperBound - 1] == 0x29 || text[r.upperBound - 1] == 0xFF09,
              let open = text[r].lastIndex(where: { $0 == 0x28 || $0 == 0xFF08 }), open - r.lowerBound >= 2,
              (1...2).contains(r.upperBound - 1 - (open + 1)), governmentUnits.contains(text[r.upperBound - 2]),
              (1...4).contains(where: { open - $0 >= r.lowerBound && model.isOrgSuffix(text[(open - $0)..<open]) })
        else { return s }
        return (r.lowerBound..<open, s.type)
    }

    static let governmentUnits: [UInt32] = ["局", "厅", "处", "委", "办", "署"].map { $0.unicodeScalars.first!.value }

    static let connectives: [Scalars] = ["会同", "以及", "联合", "和", "与", "及", "同", "、"].map { Scalars(scalarsOf: $0) }

    static let openingQuotes: [UInt32] = [0x201C, 0x300C, 0x300E, 0x22, 0x2018, 0xFF02]
    static let closingQuotes: [UInt32] = [0x201D, 0x300D, 0x300F, 0x22, 0x2019, 0xFF02]

    /// Opening and closing brackets, paired by index.
    static let openers: [UInt32] = [0x28, 0xFF08, 0x5B, 0x3010, 0x300A, 0x300C, 0x300E]
    static let closers: [UInt32] = [0x29, 0xFF09, 0x5D, 0x3011, 0x300B, 0x300D, 0x300F]

    /// The span cut before its first unbalanced bracket (`嘉善县生态环境局(分局` → `嘉善县生态环境局`), or
    /// after it when the span starts with it; nil when nothing is left. The tagger sees characters, not
    /// bracket structure, and a name never holds half a bracket pair.
    static func balanced(_ r: Range<Int>, _ text: Scalars) -> Range<Int>? {
        var stack: [(Int, Int)] = []  // (bracket kind, position)
        var cut: Int? = nil
        for i in r {
            if let k = openers.firstIndex(of: text[i]) { stack.append((k, i)); continue }
            if let k = closers.firstIndex(of: text[i]) {
                if let last = stack.last, last.0 == k { stack.removeLast() } else { cut = i; break }
            }
        }
        if cut == nil, let first = stack.first { cut = first.1 }
        guard let c = cut else { return r }
        let result = c == r.lowerBound ? (c + 1)..<r.upperBound : r.lowerBound..<c
        return result.isEmpty ? nil : (result == r ? nil : balanced(result, text))
    }

    /// Whether `r` starts and ends at the edges of Latin words: `Ca` of `Café` or `da` of `data` is no name.
    /// The tagger reads characters, and Latin words are rare in its training text.
    static func keepsLatinWordsWhole(_ r: Range<Int>, _ text: Scalars) -> Bool {
        func latin(_ i: Int) -> Bool {
            guard i >= 0 && i < text.count else { return false }
            let c = text[i]
            return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7)
                || (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A)
        }
        return !(latin(r.lowerBound - 1) && latin(r.lowerBound)) && !(latin(r.upperBound - 1) && latin(r.upperBound))
    }

    /// Whether `r` is the tail of a counted reference: `两省一市生态环境厅` ("the environment departments of
    /// two provinces and a city") or `三区一县` name no one body, so a span that begins with an
    /// administrative unit right after a Han numeral (`省一市…` after `两`, `市生态环境厅` after `一`) is none.
    static func isCountedReference(_ r: Range<Int>, _ text: Scalars) -> Bool {
        guard r.lowerBound > 0 else { return false }
        return countingNumerals.contains(text[r.lowerBound - 1]) && administrativeUnits.contains(text[r.lowerBound])
    }

    /// 一 二 两 三 四 五 六 七 八 九 十 几 多 各 数.
    static let countingNumerals: Set<UInt32> = [0x4E00, 0x4E8C, 0x4E24, 0x5169, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B,
                                                 0x4E5D, 0x5341, 0x51E0, 0x5E7E, 0x591A, 0x5404, 0x6570, 0x6578]
    /// 省 市 县 縣 区 區 州 镇 鎮 乡 鄉 村 盟 旗.
    static let administrativeUnits: Set<UInt32> = [0x7701, 0x5E02, 0x53BF, 0x7E23, 0x533A, 0x5340, 0x5DDE, 0x9547, 0x93AE, 0x4E61,
                                                   0x9109, 0x6751, 0x76DF, 0x65D7]

    /// Drops a name of one or two characters that the document repeats more often outside any name than as
    /// one: `保联` tagged once inside a `共保联治` that the article writes ten times is a misfire of the
    /// tagger (which sees one sentence at a time), while `腾讯`, tagged wherever it occurs, stays. Only
    /// repeats outside every span count, and at least two are needed. The document is what the stage is
    /// given: a file longer than a streaming chunk (2¹⁸ characters) is judged chunk by chunk. Linear: one
    /// pass over the text with a hash look-up per position.
    static func withoutStrayShortNames(_ spans: [(range: Range<Int>, type: Int)], _ text: Scalars)
        -> [(range: Range<Int>, type: Int)] {
        @inline(__always) func key(_ r: Range<Int>) -> UInt64 {
            UInt64(text[r.lowerBound]) << 32 | (r.count == 1 ? 0xFFFF_FFFF : UInt64(text[r.lowerBound + 1]))
        }
        var tagged: [UInt64: Int] = [:]
        for s in spans where s.range.count <= 2 { tagged[key(s.range), default: 0] += 1 }
        guard !tagged.isEmpty else { return spans }
        var covered = [Bool](repeating: false, count: text.count)
        for s in spans { for i in s.range { covered[i] = true } }
        var free: [UInt64: Int] = [:]
        for i in text.indices where !covered[i] {
            if tagged[key(i..<(i + 1))] != nil { free[key(i..<(i + 1)), default: 0] += 1 }
            if i + 1 < text.count && !covered[i + 1] && tagged[key(i..<(i + 2))] != nil { free[key(i..<(i + 2)), default: 0] += 1 }
        }
        return spans.filter { s in
            guard s.range.count <= 2, let f = free[key(s.range)] else { return true }
            return f < 2 || f <= tagged[key(s.range)]!
        }
    }

    /// The text converted to Simplified character for character (same length), by the conversion
    /// stage itself, so the tagger's view is exactly what `--to simplified` would give.
    static func simplifiedView(_ text: Scalars) throws -> Scalars {
        var view = Document(id: "", source: text)
        try Convert(target: .simplified).apply(to: &view)
        return view.text
    }
}
