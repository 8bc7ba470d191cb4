/// A set of conversion phrases, `key → value`, looked up by the longest keys starting at a position:
/// the OpenCC phrase layer (`PhraseTables`) and the user's dictionaries (`ConversionDictionary`) are
/// both held this way.
///
/// Rule: a key is matched literally; keys never hold a line break, so a match never crosses a line.
/// `matches(at:in:end:into:)` lists every key that starts at a position, shortest first.
///
/// Speed: a bit set over code points says which characters start a key, so most positions cost one
/// load; from a starting character, one hash probe per further character follows the key's prefixes
/// (every proper prefix of a key is in the hash table too), and stops at the first one that no key has.
///
/// Worst case: linear in the text times the longest key (`maxLength` probes per position).
struct PhraseTable: Sendable {
    struct Entry: Sendable {
        var key: Range<Int32>
        /// Where the value is in `chars`; nil protects the key (it stays as it is).
        var value: Range<Int32>?
    }

    private(set) var chars: Scalars = []
    private(set) var entries: [Entry] = []
    private(set) var maxLength = 0
    /// Bit c set: some key starts with code point c (c < `startLimit`; higher ones start no key).
    private var starts: [UInt64] = []
    private var startLimit: UInt32 = 0
    /// A filter of the first two characters of the keys (bit `pairBit(c0, c1)` set for each key).
    private var pairFilter: [UInt64] = []
    private var singleStarts = false
    @inline(__always) static func pairBit(_ a: UInt32, _ b: UInt32) -> Int {
        Int(truncatingIfNeeded: ((UInt64(a) &* 0x9E37_79B1) ^ (UInt64(b) &* 0x85EB_CA77)) >> 7) & 0x3_FFFF
    }
    /// Open addressing: prefix hash (0 = empty slot) → entry index + 1 (0: a prefix only).
    private var slotHash: [UInt64] = []
    private var slotEntry: [Int32] = []
    private var mask = 0

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }

    /// Builds the table; a later entry with the same key replaces an earlier one.
    init(_ pairs: [(key: Scalars, value: Scalars?)]) {
        var prefixCount = 0
        for (key, _) in pairs { prefixCount += key.count }
        var size = 16
        while size < prefixCount * 2 { size <<= 1 }
        mask = size - 1
        slotHash = [UInt64](repeating: 0, count: size)
        slotEntry = [Int32](repeating: 0, count: size)
        pairFilter = [UInt64](repeating: 0, count: (0x3_FFFF + 64) / 64)
        var limit: UInt32 = 0
        for (key, _) in pairs where !key.isEmpty && !key.contains(0x0A) { limit = max(limit, key[0] + 1) }
        startLimit = limit
        // One word more than the bits need, so that `startLimit` itself (never a start) has a bit.
        starts = [UInt64](repeating: 0, count: Int(limit >> 6) + 1)
        chars.reserveCapacity(prefixCount * 2)
        for (key, value) in pairs where !key.isEmpty && !key.contains(0x0A) {
            // The slot of the whole key (every prefix gets a slot on the way).
            var h = PhraseTable.seed
            var slot = 0
            for c in key {
                h = PhraseTable.extend(h, c)
                var s = Int(truncatingIfNeeded: h) & mask
                while slotHash[s] != 0 && slotHash[s] != h { s = (s + 1) & mask }
                slotHash[s] = h
                slot = s
            }
            let k = Int32(chars.count)
            chars.append(contentsOf: key)
            let keyRange = k..<Int32(chars.count)
            var valueRange: Range<Int32>? = nil
            if let value {
                let v = Int32(chars.count)
                chars.append(contentsOf: value)
                valueRange = v..<Int32(chars.count)
            }
            let existing = slotEntry[slot]
            if existing > 0, entries[Int(existing - 1)].key.count == key.count,
               chars[Int(entries[Int(existing - 1)].key.lowerBound)..<Int(entries[Int(existing - 1)].key.upperBound)].elementsEqual(key) {
                entries[Int(existing - 1)] = Entry(key: keyRange, value: valueRange)
                continue
            }
            // (A hash collision between two different whole keys keeps the first; keys are verified on lookup.)
            guard existing == 0 else { continue }
            entries.append(Entry(key: keyRange, value: valueRange))
            slotEntry[slot] = Int32(entries.count)
            maxLength = max(maxLength, key.count)
            starts[Int(key[0] >> 6)] |= 1 << UInt64(key[0] & 63)
            if key.count == 1 {
                singleStarts = true
            } else {
                let bit = PhraseTable.pairBit(key[0], key[1])
                pairFilter[bit >> 6] |= 1 << UInt64(bit & 63)
            }
        }
    }

    static let seed: UInt64 = 0x243F_6A88_85A3_08D3
    @inline(__always) static func extend(_ h: UInt64, _ c: UInt32) -> UInt64 {
        var x = (h ^ UInt64(c)) &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 29
        x = x &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 32
        return x == 0 ? 1 : x
    }

    /// Whether some key starts with `c`.
    @inline(__always) func mayStart(_ c: UInt32) -> Bool {
        c < startLimit && starts[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0
    }

    /// The first position `i` in `from..<to` where a key of two or more characters may start: `text[i]`
    /// starts some key and the pair `text[i]`, `text[i + 1]` passes the filter of the keys' first two
    /// characters; `to` when there is none. A position passed over starts no key of two or more
    /// characters (one returned may still start none). `text[to]` must exist.
    ///
    /// This is the phrase layer's per-character cost: one bit test for most characters, a hashed
    /// pair test for the few that start keys, with no call, allocation or exclusivity check.
    func nextPairCandidate(in text: UnsafeBufferPointer<UInt32>, from: Int, to: Int) -> Int {
        guard startLimit > 0, from < to, let p = text.baseAddress else { return max(from, to) }
        precondition(to < text.count)
        return starts.withUnsafeBufferPointer { startBits in
            pairFilter.withUnsafeBufferPointer { pairBits in
                let s = startBits.baseAddress!, f = pairBits.baseAddress!
                let limit = startLimit
                var i = from
                var c = p[i]
                // Both tests on every position, without a branch on either: about one character in
                // ten starts a key, too many for a well-predicted branch.
                while i < to {
                    let next = p[i + 1]
                    let k = min(c, limit)
                    let start = s[Int(k >> 6)] >> UInt64(k & 63)
                    let bit = PhraseTable.pairBit(c, next)
                    let pair = f[bit >> 6] >> UInt64(bit & 63)
                    if _slowPath(start & pair & 1 != 0) { return i }
                    c = next
                    i += 1
                }
                return to
            }
        }
    }

    /// Appends to `found` the entries whose key starts at `i` and ends at or before `end`, shortest first.
    func matches(at i: Int, in text: UnsafeBufferPointer<UInt32>, end: Int, into found: inout [Int32]) {
        found.removeAll(keepingCapacity: true)
        guard mayStart(text[i]) else { return }
        if !singleStarts {
            guard i + 1 < end else { return }
            let bit = PhraseTable.pairBit(text[i], text[i + 1])
            guard pairFilter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { return }
        }
        var h = PhraseTable.seed
        var j = i
        let limit = min(end, i + maxLength)
        while j < limit {
            let c = text[j]
            h = PhraseTable.extend(h, c)
            var s = Int(truncatingIfNeeded: h) & mask
            while slotHash[s] != h {
                if slotHash[s] == 0 { return }
                s = (s + 1) & mask
            }
            j += 1
            let e = slotEntry[s]
            if e > 0 {
                let key = entries[Int(e - 1)].key
                if key.count == j - i && chars[Int(key.lowerBound)..<Int(key.upperBound)].elementsEqual(text[i..<j]) {
                    found.append(e - 1)
                }
            }
        }
    }

    func key(_ e: Int32) -> ArraySlice<UInt32> {
        let r = entries[Int(e)].key
        return chars[Int(r.lowerBound)..<Int(r.upperBound)]
    }

    /// The entry's value (nil: protected).
    func value(_ e: Int32) -> ArraySlice<UInt32>? {
        guard let r = entries[Int(e)].value else { return nil }
        return chars[Int(r.lowerBound)..<Int(r.upperBound)]
    }

    /// Parses lines `key<TAB>value` (`#` comment lines, blank lines skipped) of embedded data; a line
    /// whose key and value differ in length is skipped (the phrase layer keeps lengths).
    static func parse(embedded bytes: UnsafeBufferPointer<UInt8>) -> [(key: Scalars, value: Scalars?)] {
        var pairs: [(key: Scalars, value: Scalars?)] = []
        var line: Scalars = []
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
            if raw.first == UInt8(ascii: "#") { continue }
            line.removeAll(keepingCapacity: true)
            _ = UTF8Codec.decode(UnsafeBufferPointer(rebasing: raw), into: &line)
            guard let tab = line.firstIndex(of: 0x09) else { continue }
            let key = Array(line[..<tab]), value = Array(line[(tab + 1)...])
            guard key.count == value.count, !key.isEmpty else { continue }
            pairs.append((key, value))
        }
        return pairs
    }
}
