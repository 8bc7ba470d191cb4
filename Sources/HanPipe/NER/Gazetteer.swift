import CHanPipeData

/// Name lists whose matches are features of the entity tagger (see `NERFeatures`).
///
/// Rule: every entry has one or more kinds. Where the lists come from:
/// - `region`: ICU's Chinese display names of regions (countries and territories), read at training time.
/// - `city`: ICU's Chinese exemplar cities of the time zones, read at training time.
/// - `division`, `surname`, `orgSuffix`, `placeName`, `orgName`, `person`: `gazetteer.txt`, written by
///   `Scripts/gen/gazetteers` (China's administrative divisions from the `cpca` package, surnames from the
///   `Faker` package, the closed class of organisation suffixes, the words and the place and
///   organisation names of jieba's dictionary, and the people, organisations and places among CC-CEDICT's
///   proper nouns), embedded in the binary.
/// The lists are compiled into the model when it is trained, so a model always carries the lists it was
/// trained with, and a user's model works whatever this binary's lists are.
public struct Gazetteer: Sendable {
    public struct Kind: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let division = Kind(rawValue: 1)
        public static let region = Kind(rawValue: 2)
        public static let city = Kind(rawValue: 4)
        public static let surname = Kind(rawValue: 8)
        public static let orgSuffix = Kind(rawValue: 16)
        public static let placeName = Kind(rawValue: 32)
        public static let orgName = Kind(rawValue: 64)
        /// A dictionary word, for the longest-match word boundaries.
        public static let word = Kind(rawValue: 128)
        /// Names of well-known people (CC-CEDICT entries whose gloss gives a life span or a pen name).
        public static let person = Kind(rawValue: 256)
        /// Short names of listed companies (4 Han characters or more, no dictionary word, place or person):
        /// the entity stage makes one an ORG where the model nearly took it for one (`Entities.listedCompanies`).
        /// No feature reads this kind; the same names are also `orgName`.
        public static let company = Kind(rawValue: 1 << 30)
        /// Set on every proper prefix of an entry, so that matching can stop early.
        static let prefix = Kind(rawValue: 1 << 31)
        static let places: Kind = [.division, .region, .city, .placeName]

        static let names: [(String, Kind)] = [
            ("division", .division), ("region", .region), ("city", .city), ("surname", .surname), ("orgsuffix", .orgSuffix),
            ("placename", .placeName), ("orgname", .orgName), ("word", .word), ("person", .person), ("company", .company),
        ]
    }

    /// The longest entry, in characters; longer names are not matched.
    static let maxLength = 16
    /// The longest dictionary word used for word boundaries.
    static let maxWordLength = 6

    /// Entries by name, kinds merged.
    public private(set) var entries: [Scalars: Kind] = [:]
    /// Cluster ids of characters and words (`Cluster`), already placed in their bits of a lexicon value.
    public private(set) var clusters: [Scalars: UInt32] = [:]

    /// Where cluster ids sit in a lexicon value (beside the kinds, bits 0–8, and the prefix bit 31). Each is
    /// the cluster id plus one, so 0 means "no cluster". Clusters come from `clusters.txt`
    /// (`Scripts/gen/clusters`): 255 fine and 31 coarse character clusters, 255 word clusters.
    enum Cluster {
        static let charFineShift: UInt32 = 9, charCoarseShift: UInt32 = 17, wordShift: UInt32 = 22
        @inline(__always) static func charFine(_ v: UInt32) -> UInt64 { UInt64(v >> charFineShift & 0xFF) }
        @inline(__always) static func charCoarse(_ v: UInt32) -> UInt64 { UInt64(v >> charCoarseShift & 0x1F) }
        @inline(__always) static func word(_ v: UInt32) -> UInt64 { UInt64(v >> wordShift & 0xFF) }
    }

    public init() {}

    public mutating func add(_ name: Scalars, _ kind: Kind) {
        guard !name.isEmpty, name.count <= Gazetteer.maxLength else { return }
        entries[name, default: []].formUnion(kind)
    }

    /// Reads lines `kind<TAB>name` (`#` starts a comment line); unknown kinds are an error.
    public mutating func add(lines bytes: UnsafeBufferPointer<UInt8>) throws {
        try Gazetteer.eachLine(bytes) { scalars in
            guard let tab = scalars.firstIndex(of: 0x09) else { return }
            let kindName = Array(scalars[..<tab]).string
            guard let kind = Kind.names.first(where: { $0.0 == kindName })?.1 else {
                throw HanPipeError.input("gazetteer: unknown kind '\(kindName)'")
            }
            add(Array(scalars[(tab + 1)...]), kind)
        }
    }

    /// Calls `body` with each non-empty line of `bytes` that is not a `#` comment, decoded from UTF-8.
    private static func eachLine(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Scalars) throws -> Void) rethrows {
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) where line.first != UInt8(ascii: "#") {
            var scalars: Scalars = []
            _ = UTF8Codec.decode(UnsafeBufferPointer(rebasing: line), into: &scalars)
            try body(scalars)
        }
    }

    /// Reads cluster lines `c<TAB>char<TAB>fine<TAB>coarse` and `w<TAB>word<TAB>cluster` (`#` starts a comment
    /// line), with fine and word ids below 255 and coarse ids below 31.
    public mutating func add(clusterLines bytes: UnsafeBufferPointer<UInt8>) throws {
        try Gazetteer.eachLine(bytes) { scalars in
            let parts = scalars.split(separator: 0x09, omittingEmptySubsequences: false)
            let bad = HanPipeError.input("clusters: bad line '\(scalars.string)'")
            guard parts.count >= 3, !parts[1].isEmpty, parts[1].count <= Gazetteer.maxLength else { throw bad }
            let name = Array(parts[1])
            let ids = parts.dropFirst(2).compactMap { UInt32(Array($0).string) }
            guard ids.count == parts.count - 2 else { throw bad }
            let value: UInt32
            switch Array(parts[0]).string {
            case "c" where ids.count == 2 && ids[0] < 255 && ids[1] < 31:
                value = (ids[0] + 1) << Cluster.charFineShift | (ids[1] + 1) << Cluster.charCoarseShift
            case "w" where ids.count == 1 && ids[0] < 255:
                value = (ids[0] + 1) << Cluster.wordShift
            default:
                throw bad
            }
            clusters[name, default: 0] |= value
        }
    }

    /// The lists shipped with hanpipe: the embedded `gazetteer.txt` and `clusters.txt` plus ICU's region and
    /// city names.
    public static func bundled() throws -> Gazetteer {
        var g = Gazetteer()
        var length: Int64 = 0
        if let p = chanpipe_data("gazetteer.txt", &length) {
            try g.add(lines: UnsafeBufferPointer(start: p, count: Int(length)))
        }
        if let p = chanpipe_data("clusters.txt", &length) {
            try g.add(clusterLines: UnsafeBufferPointer(start: p, count: Int(length)))
        }
        for (_, name) in try ICU.regionNames(locale: "zh") where name.allSatisfy(isHan) { g.add(name, .region) }
        for (_, name) in try ICU.exemplarCities(locale: "zh") where name.allSatisfy(isHan) { g.add(name, .city) }
        return g
    }

    /// The (key, value) pairs of the lexicon table: each entry and each proper prefix, keyed by
    /// `Gazetteer.extend` over its characters; an entry's value holds its kinds and its cluster ids.
    func tablePairs() -> [(UInt64, UInt32)] {
        var table: [UInt64: UInt32] = [:]
        func add(_ name: Scalars, _ value: UInt32) {
            var h = Gazetteer.start
            for (i, c) in name.enumerated() {
                h = Gazetteer.extend(h, NERFeatures.normalize(c))
                table[h, default: 0] |= (i == name.count - 1 ? value : Kind.prefix.rawValue)
            }
        }
        for (name, kind) in entries { add(name, kind.rawValue) }
        for (name, value) in clusters { add(name, value) }
        return table.map { ($0.key, $0.value) }
    }

    static let start: UInt64 = 0x5F3C_9A11_0B7E_2D45
    /// The key of a prefix one character longer (never 0).
    @inline(__always) static func extend(_ h: UInt64, _ c: UInt32) -> UInt64 {
        let k = mix64(h ^ (UInt64(c) &* 0x100_0000_01B3))
        return k == 0 ? 1 : k
    }
}
