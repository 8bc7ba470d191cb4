/// Rules on ICU's words for three Simplified characters whose Traditional form the phrases and ICU's
/// rules leave wrong outside the words they list (Simplified→Traditional, default conversion only).
///
/// 1. Locative 里: `系统里` → `系統裡`. Simplified 里 is both the locative 裡 ("in", after a noun) and
///    the unit and word 里 (公里, 千里, 邻里, 故里, 里程, names). ICU's rules write 裡 only after a listed
///    character (山里, 夜里, 这里) and OpenCC's phrases only for listed words, so a locative after any
///    other noun stays 里 (`系统里`, `咖啡豆里`). Rule: a 里 left as 里 becomes 裡 when ICU's dictionary
///    word breaker, run over the run of Han characters around it, makes it a word of its own, and the
///    word before it is a word of two or more Han characters that does not end in a numeral (`三百里`,
///    `几十里`) or in a character that forms a unit with 里 (公, 英, 海, 华, 市: `五英里`), or it follows
///    a closing quote or title mark (`《红楼梦》里`); but not before a character that, as a word of its
///    own, continues a transliterated name (`罗马里奥`, `阿拉里克`). Words the breaker knows keep their
///    里 (公里, 千里, 邻里, 故里, 里程; a name it knows, 阿里巴巴).
/// 2. The surname 范: ICU writes 範 for 范 outside its listed names (`范妈妈` → `範媽媽`). Every word
///    of 範 (范围, 规范, 模范, 示范, 防范, 范畴, 师范) is a word of two or more characters to the word
///    breaker, so a 范 that is a word of its own before a word of two or more Han characters is the
///    surname: it stays 范 (`范先生`, `范妈妈`, `范柳原`). Before a one-character word it is left to
///    ICU (a word the breaker missed, 之范|例, is likelier there than a one-character given name).
/// 3. 余 for "more than": ICU writes 餘 only right after a Chinese numeral (`十余人`); after a digit too
///    (`120余公里`), and after a numeral and a unit:
///    `一年余`, `四月余` → `一年餘`, `四月餘` when 余 ends the phrase (punctuation, the end, or 的 after
///    it), so that a surname after a date keeps its form (`2019年余承东`).
/// The rules read the same view of the line as the phrase layer (gloss-shaped parentheticals skipped),
/// so `系统(xitong)里` converts as `系统里` does and cleaning stays idempotent.
///
/// Cost: a scan of the text for the three characters (three comparisons per character); for each
/// candidate, the word breaker over its run of Han characters, once per run, and the gloss view of its
/// line, once per line: linear.
enum WordRules {
    static let li: UInt32 = 0x91CC       // 里
    static let locative: UInt32 = 0x88E1 // 裡
    static let fan: UInt32 = 0x8303      // 范
    static let fanModel: UInt32 = 0x7BC4 // 範
    static let yu: UInt32 = 0x4F59       // 余
    static let yuMore: UInt32 = 0x9918   // 餘

    /// Units after which a numeral's 余 means "more than" (年余, 月余, 天余, 个余).
    static let units: Set<UInt32> = {
        var set = Set(MeasureWords.cedict.compactMap { $0.unicodeScalars.first?.value })
        for c in "年天日时分秒周倍元米斤吨里岁" { set.insert(c.unicodeScalars.first!.value) }
        return set
    }()

    static func isDigit(_ c: UInt32) -> Bool { (0x30...0x39).contains(c) || (0xFF10...0xFF19).contains(c) }

    static func isNumeral(_ c: UInt32) -> Bool {
        switch c {
        case 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, // 一二三四五六七八九十
             0x767E, 0x5343, 0x4E07, 0x4EBF, 0x4E24, 0x51E0, 0x96F6, 0x3007, 0x534A:         // 百千万亿两几零〇半
            return true
        default:
            return (0x30...0x39).contains(c) || (0xFF10...0xFF19).contains(c)
        }
    }

    /// Characters before 里 that make it a unit or a distance, not a place: numerals and 公/英/海/华/市.
    static func endsUnit(_ c: UInt32) -> Bool {
        switch c {
        case 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, // 一二三四五六七八九十
             0x767E, 0x5343, 0x4E07, 0x4EBF, 0x4E24, 0x51E0, 0x6570, 0x96F6, 0x3007, 0x534A, // 百千万亿两几数零〇半
             0x4F59, 0x591A,                                                                  // 余多
             0x516C, 0x82F1, 0x6D77, 0x534E, 0x5E02:                                          // 公英海华市
            return true
        default:
            return isDigit(c)
        }
    }

    /// Closing quotation marks and brackets after which 里 is locative (`《红楼梦》里`, `“悲情城市”里`).
    static func isClosing(_ c: UInt32) -> Bool {
        switch c {
        case 0x300B, 0x3009, 0x201D, 0x300D, 0x300F, 0x2019, 0xFF09, 0x29: return true // 》〉”」』’）)
        default: return false
        }
    }

    /// Characters that, as a word of their own right after 里, continue a transliterated name rather
    /// than a sentence (里约, 罗马里奥, 阿拉里克, 里奇蒙, 乌尔里希, 海德里克).
    static func continuesName(_ c: UInt32) -> Bool {
        switch c {
        case 0x5965, 0x7EA6, 0x6D1B, 0x5947, 0x6208, 0x5C3C, 0x6C83, 0x514B, 0x5E0C, 0x5B81, // 奥约洛奇戈尼沃克希宁
             0x5FB7, 0x65AF, 0x4E9A, 0x5361, 0x62C9, 0x7279, 0x66FC, 0x8BFA, 0x6602, 0x5C14, // 德斯亚卡拉特曼诺昂尔
             0x5170, 0x8036, 0x7EF4, 0x8428, 0x8FBE, 0x8328, 0x79D1, 0x592B, 0x59C6, 0x666E: // 兰耶维萨达茨科夫姆普
            return true
        default: return false
        }
    }

    /// Applies the rules to `dst` (the converted text) for the source `src`, skipping positions in
    /// `protected` (user entries; sorted, disjoint).
    static func apply(_ src: UnsafeBufferPointer<UInt32>, _ dst: UnsafeMutableBufferPointer<UInt32>,
                      protected: [Range<Int>]) throws {
        var u = 0
        var lineStart = -1, lineEnd = -1
        // The line's view without gloss-shaped parentheticals, as the phrase layer sees it: the line
        // itself when it has none (no copy), else a copy (`view`) with the text positions (`real`).
        var view: [UInt32] = []
        var real: [Int32] = []
        var edges = WordEdges()
        var i = 0
        let n = src.count
        while i < n {
            let c = src[i]
            guard _slowPath(c == li || c == fan || c == yu) else { i += 1; continue }
            defer { i += 1 }
            let before = i > 0 ? src[i - 1] : 0x0A
            switch c {
            case li: guard dst[i] == li, isHan(before) || isClosing(before) else { continue }
            case fan: guard dst[i] == fanModel, i + 1 < n, isHan(src[i + 1]) else { continue }
            default: guard dst[i] == yu, isHan(before) || isNumeral(before) || before == 0x29 || before == 0xFF09 else { continue }
            }
            while u < protected.count && protected[u].upperBound <= i { u += 1 }
            if u < protected.count && protected[u].contains(i) { continue }
            if i >= lineEnd {
                lineStart = i
                while lineStart > 0 && src[lineStart - 1] != 0x0A { lineStart -= 1 }
                lineEnd = i
                while lineEnd < n && src[lineEnd] != 0x0A { lineEnd += 1 }
                let glosses = Convert.glossParentheticals(src, lineStart..<lineEnd)
                if glosses.isEmpty {
                    real = []
                    view = []
                } else {
                    real = Convert.positions(lineStart..<lineEnd, outside: glosses[...])
                    view = real.map { src[Int($0)] }
                }
                edges = WordEdges()
            }
            let found: UInt32?
            if real.isEmpty {
                found = try decide(c, UnsafeBufferPointer(rebasing: src[lineStart..<lineEnd]), i - lineStart, &edges)
            } else {
                // The position in the view (never inside a gloss: glosses hold no Han).
                var lo = 0, hi = real.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if Int(real[mid]) < i { lo = mid + 1 } else { hi = mid }
                }
                guard lo < real.count, Int(real[lo]) == i else { continue }
                found = try view.withUnsafeBufferPointer { try decide(c, $0, lo, &edges) }
            }
            if let found { dst[i] = found }
        }
    }

    /// The new form of `c` at `v[j]` (a line's view), or nil to leave it.
    static func decide(_ c: UInt32, _ v: UnsafeBufferPointer<UInt32>, _ j: Int, _ edges: inout WordEdges) throws -> UInt32? {
        switch c {
        case fan:
            // A word of its own, before a word of two or more Han characters (the name or a title).
            guard j + 2 < v.count, isHan(v[j + 1]), isHan(v[j + 2]) else { return nil }
            let alone = try edges.isBoundary(j, v) && edges.isBoundary(j + 1, v) && !edges.isBoundary(j + 2, v)
            return alone ? fan : nil
        case yu:
            // A digit + 余 (ICU's rule has only the Chinese numerals: 120余公里).
            if j >= 1, isDigit(v[j - 1]) { return yuMore }
            // numeral + unit + 余, then not a Han character (except 的).
            guard j >= 2, units.contains(v[j - 1]), isNumeral(v[j - 2]) else { return nil }
            if j + 1 < v.count, isHan(v[j + 1]), v[j + 1] != 0x7684 { return nil }
            return yuMore
        default:
            guard j >= 1, try edges.isBoundary(j + 1, v) else { return nil }
            // Not the first character of a transliterated name (里约, 里奥尼河).
            if j + 1 < v.count, continuesName(v[j + 1]), try edges.isBoundary(j + 2, v) { return nil }
            if isClosing(v[j - 1]) { return locative }
            guard j >= 2, isHan(v[j - 1]), isHan(v[j - 2]), !endsUnit(v[j - 1]) else { return nil }
            guard try edges.isBoundary(j, v) else { return nil }
            // The word before 里 has two or more characters, all Han.
            return try edges.isBoundary(j - 1, v) ? nil : locative
        }
    }
}
