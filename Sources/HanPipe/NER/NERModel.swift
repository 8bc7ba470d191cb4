import CHanPipeData
import CICU
#if canImport(Glibc)
import Glibc
#endif

/// A trained entity model, used in place from its bytes (the embedded default or a file read in one go).
///
/// Rule: the file is a header, the 13 × 13 transition scores, the feature table and the gazetteer table,
/// each section 32-byte aligned, little-endian. The feature table is open-addressed like `KeyTable`, but each
/// 16-byte slot holds the feature's 13 weights as signed 8-bit numbers times a power of two (one exponent
/// byte per slot, chosen so the largest weight of the row uses the full range) and a 16-bit fingerprint of
/// the key, so a look-up touches one cache line and its weights are added as one vector. A 256 KiB filter
/// (one bit per hash position) rejects most absent features before the table is touched. Nothing is parsed or copied on load, so loading costs only reading the
/// file (the embedded model costs nothing). A character's score for a tag is the sum of its features'
/// weights; `NERTags` and `Viterbi` turn scores into entities.
public final class NERModel: @unchecked Sendable {
    static let magic: [UInt8] = Array("HPNER\u{0}\u{0}\u{2}".utf8)
    static let headerSize = 64
    /// Bits of the presence filter: one bit per 2²¹ positions (256 KiB, small enough to stay in cache).
    static let filterBits = 21
    static let transitionBytes = (NERTags.count * NERTags.count * 4 + 31) / 32 * 32

    let featureBits: Int
    let slots: UnsafeRawPointer
    /// A bit per hash position, set where some feature of the model hashes: most absent features are
    /// rejected here without touching the large slot table.
    let filter: UnsafePointer<UInt64>
    /// Bit 0: the model's word features come from ICU's dictionary break iterator (else from the
    /// gazetteer's dictionary words).
    let flags: UInt32
    var usesWords: Bool { flags & 1 != 0 }
    let lexicon: KeyTable
    let rowCount: Int
    let transitions: UnsafePointer<Float>
    /// The whole model, for `bytes`.
    let base: UnsafeRawBufferPointer
    private let owned: UnsafeMutableRawBufferPointer?

    /// Wraps model bytes that stay alive and unchanged for the model's lifetime (16-byte aligned).
    init(bytes: UnsafeRawBufferPointer, owned: UnsafeMutableRawBufferPointer? = nil) throws {
        self.base = bytes
        self.owned = owned
        func bad(_ why: String) -> HanPipeError { HanPipeError.input("not a hanpipe entity model (\(why))") }
        guard bytes.count >= NERModel.headerSize + NERModel.transitionBytes,
              Array(bytes[0..<8]) == NERModel.magic else { throw bad("bad header") }
        func u32(_ at: Int) -> Int { Int(bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian) }
        guard u32(8) == NERFeatures.templateCount, u32(12) == NERTags.count else { throw bad("different feature set") }
        flags = UInt32(u32(32))
        guard u32(36) == NERModel.filterBits else { throw bad("different filter size") }
        let featureBits = u32(16), rowCount = u32(20), lexiconBits = u32(24)
        guard featureBits < 40, lexiconBits < 40 else { throw bad("bad table size") }
        var at = NERModel.headerSize
        let raw = bytes.baseAddress!
        guard Int(bitPattern: raw) % 16 == 0 else { throw bad("misaligned") }
        transitions = (raw + at).assumingMemoryBound(to: Float.self)
        at += NERModel.transitionBytes
        func section(_ size: Int) throws -> UnsafeRawPointer {
            guard at + size <= bytes.count else { throw bad("truncated") }
            defer { at += (size + 31) / 32 * 32 }
            return raw + at
        }
        filter = try section(1 << (NERModel.filterBits - 3)).assumingMemoryBound(to: UInt64.self)
        slots = try section(16 << featureBits)
        self.featureBits = featureBits
        let lk = try section(4 << lexiconBits).assumingMemoryBound(to: UInt32.self)
        let lv = try section(4 << lexiconBits).assumingMemoryBound(to: UInt32.self)
        guard at == bytes.count else { throw bad("trailing bytes") }
        lexicon = KeyTable(bits: lexiconBits, keys: lk, values: lv)
        self.rowCount = rowCount
    }

    deinit { owned?.deallocate() }

    /// The model embedded in the binary (`ner-model.bin`), loaded once.
    static let bundled: Result<NERModel, Error> = Result {
        var length: Int64 = 0
        guard let p = chanpipe_data("ner-model.bin", &length), length > 0 else {
            throw HanPipeError.input("this hanpipe was built without an entity model")
        }
        return try NERModel(bytes: UnsafeRawBufferPointer(start: p, count: Int(length)))
    }

    /// Reads a model file made by `hanpipe train-ner`.
    public static func load(path: String) throws -> NERModel {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HanPipeError.input("\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw HanPipeError.input("\(path): \(String(cString: strerror(errno)))") }
        let size = Int(st.st_size)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 8), alignment: 16)
        var done = 0
        while done < size {
            let r = read(fd, buffer.baseAddress! + done, size - done)
            if r < 0 && errno == EINTR { continue }
            guard r > 0 else { buffer.deallocate(); throw HanPipeError.input("\(path): short read") }
            done += r
        }
        do {
            return try NERModel(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<size]), owned: buffer)
        } catch {
            buffer.deallocate()
            throw HanPipeError.input("\(path): \(error)")
        }
    }

    /// A model made from its parts (used by training and tests): builds the file bytes and loads them.
    static func make(transitions: [Float], features: [(key: UInt64, weights: [Float])], lexicon: [(UInt64, UInt32)],
                     flags: UInt32 = 1) throws -> NERModel
    {
        let bytes = serialize(transitions: transitions, features: features, lexicon: lexicon, flags: flags)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
        buffer.copyBytes(from: bytes)
        return try NERModel(bytes: UnsafeRawBufferPointer(buffer), owned: buffer)
    }

    /// A row of weights as 8-bit numbers times 2^e, with the smallest e that keeps every weight within ±127.
    static func quantize(_ weights: [Float]) -> (q: [Int8], e: Int8) {
        let maxAbs = weights.reduce(Float(0)) { max($0, abs($1)) }
        guard maxAbs > 0, maxAbs.isFinite else { return ([Int8](repeating: 0, count: weights.count), 0) }
        var e = Int(maxAbs.exponent) - 7
        while maxAbs / Float(sign: .plus, exponent: e, significand: 1) > 127 { e += 1 }
        e = min(max(e, -100), 100)
        let step = Float(sign: .plus, exponent: e, significand: 1)
        return (weights.map { Int8(clamping: Int(($0 / step).rounded())) }, Int8(e))
    }

    /// The file bytes of a model. Features are stored in key order, so equal inputs give equal files.
    static func serialize(transitions: [Float], features: [(key: UInt64, weights: [Float])], lexicon: [(UInt64, UInt32)],
                          flags: UInt32 = 1) -> [UInt8]
    {
        precondition(transitions.count == NERTags.count * NERTags.count)
        let sorted = features.sorted { $0.key < $1.key }
        let table = KeyTable.build(sorted.enumerated().map { ($0.element.key, UInt32($0.offset)) })
        let lex = KeyTable.build(lexicon)
        var out: [UInt8] = []
        func pad() { while out.count % 32 != 0 { out.append(0) } }
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        out.append(contentsOf: magic)
        u32(UInt32(NERFeatures.templateCount)); u32(UInt32(NERTags.count))
        u32(UInt32(table.bits)); u32(UInt32(sorted.count))
        u32(UInt32(lex.bits)); u32(0)
        u32(flags); u32(UInt32(filterBits))
        pad()
        for t in transitions { u32(t.bitPattern) }
        pad()
        var filter = [UInt64](repeating: 0, count: 1 << (filterBits - 6))
        for f in sorted { let b = NERModel.filterPosition(f.key); filter[b >> 6] |= 1 << UInt64(b & 63) }
        for word in filter { withUnsafeBytes(of: word.littleEndian) { out.append(contentsOf: $0) } }
        pad()
        for (fingerprint, row) in zip(table.keys, table.values) {
            guard fingerprint != 0 else { out.append(contentsOf: repeatElement(0, count: 16)); continue }
            let weights = sorted[Int(row)].weights
            let (q, e) = quantize(weights)
            for v in q { out.append(UInt8(bitPattern: v)) }
            out.append(UInt8(bitPattern: e))
            withUnsafeBytes(of: UInt16(truncatingIfNeeded: fingerprint).littleEndian) { out.append(contentsOf: $0) }
        }
        pad()
        for k in lex.keys { u32(k) }
        for v in lex.values { u32(v) }
        pad()
        return out
    }

    /// The presence-filter bit of the feature `key`.
    @inline(__always) static func filterPosition(_ key: UInt64) -> Int { filterPosition(hash: mix64(key)) }

    /// The presence-filter bit of a feature whose key mixes to `h` (bits 24 and up of the mix).
    @inline(__always) static func filterPosition(hash h: UInt64) -> Int {
        Int(truncatingIfNeeded: (h >> 24) & ((1 << UInt64(filterBits)) - 1))
    }

    /// The feature's hash as the look-ups use it: `mix64(key)` with bit 0 set (never 0; bit 0 is set in the
    /// fingerprint anyway), or 0 when the presence filter rules the feature out.
    @inline(__always) func lookupHash(_ key: UInt64) -> UInt64 {
        let h = mix64(key)
        let b = NERModel.filterPosition(hash: h)
        return filter[b >> 6] & (1 << UInt64(b & 63)) == 0 ? 0 : h | 1
    }

    /// The slot where the look-up of `hash` starts.
    @inline(__always) func home(_ hash: UInt64) -> UnsafeRawPointer {
        slots + Int(truncatingIfNeeded: hash >> UInt64(64 - featureBits)) &* 16
    }

    /// Adds the weights of the feature `key` (13 tags) to `acc`, in 16 lanes at once (lanes 13…15 collect
    /// nothing useful); nothing when the model lacks it.
    @inline(__always) func accumulate(_ key: UInt64, into acc: inout SIMD16<Float>) {
        let h = lookupHash(key)
        if h != 0 { accumulate(hash: h, into: &acc) }
    }

    /// `accumulate` for a hash from `lookupHash` (not 0): the slot's 16 bytes converted and added at once.
    @inline(__always) func accumulate(hash h: UInt64, into acc: inout SIMD16<Float>) {
        guard let p = slot(ofHash: h) else { return }
        let step = NERModel.step(p)
        withUnsafeMutableBytes(of: &acc) { cicu_add_scaled_i8x16($0.baseAddress!.assumingMemoryBound(to: Float.self), p, step) }
    }

    /// The slot of the feature whose look-up hash is `h` (fingerprint: its low 16 bits; home: its top
    /// `featureBits`), or nil when the model lacks it. Collisions probe linearly.
    @inline(__always) func slot(ofHash h: UInt64) -> UnsafeRawPointer? {
        let fingerprint = UInt16(truncatingIfNeeded: h)
        var slot = Int(truncatingIfNeeded: h >> UInt64(64 - featureBits))
        let m = (1 << featureBits) - 1
        while true {
            let p = slots + slot &* 16
            let f = p.loadUnaligned(fromByteOffset: 14, as: UInt16.self)
            if f == fingerprint { return p }
            if f == 0 { return nil }
            slot = (slot + 1) & m
        }
    }

    /// The power of two a slot's 8-bit weights are multiplied by (its byte 13 is the exponent).
    @inline(__always) static func step(_ slot: UnsafeRawPointer) -> Float {
        Float(sign: .plus, exponent: Int(Int8(bitPattern: slot.load(fromByteOffset: 13, as: UInt8.self))), significand: 1)
    }

    /// Whether `text[range]` is an organisation suffix of the model's gazetteer (局, 厅, 委员会, 公司, …).
    func isOrgSuffix(_ text: ArraySlice<UInt32>) -> Bool {
        guard !text.isEmpty, text.count <= Gazetteer.maxLength else { return false }
        var h = Gazetteer.start
        for c in text { h = Gazetteer.extend(h, NERFeatures.normalize(c)) }
        guard let v = lexicon.find(h) else { return false }
        return v & Gazetteer.Kind.orgSuffix.rawValue != 0
    }

    /// The weights of `key` as scores, or nil when the model lacks the feature (for tests and tools; the
    /// presence filter is not consulted).
    func scores(_ key: UInt64) -> [Float]? {
        guard let p = slot(ofHash: mix64(key) | 1) else { return nil }
        let step = NERModel.step(p)
        return (0..<NERTags.count).map { Float(Int8(bitPattern: p.load(fromByteOffset: $0, as: UInt8.self))) * step }
    }

    /// The entity spans of one chunk of text (no line breaks inside), as (range in the chunk, type index).
    /// `forced`, when given, holds one entry per character: `NERTags.free`, or the only tag the character
    /// may take (the user dictionary's spans); the best sequence is found among those that agree.
    func tag(_ chunk: ArraySlice<UInt32>, scratch: inout NERScratch, breaker: BreakIterator,
             forced: ArraySlice<UInt8>? = nil) throws -> [(range: Range<Int>, type: Int)] {
        let n = chunk.count
        guard n > 0 else { return [] }
        scratch.features.wordSource = usesWords ? .icu : .lexicon
        try scratch.features.extract(chunk, lexicon: lexicon, breaker: breaker, into: &scratch.keys)
        let k = NERFeatures.templateCount, tags = NERTags.count
        if scratch.emission.count < n * tags { scratch.emission = [Float](repeating: 0, count: n * tags) }
        // Two passes: hash every key once and drop the ones the filter rules out; then sum each character's
        // weights while prefetching the slots of the characters `ahead` of it, so that the cache misses of
        // the (megabytes large) slot table overlap instead of coming one after another.
        let ahead = 3
        NERFeatures.reset(&scratch.hashes, 0, n * k)
        scratch.keys.withUnsafeBufferPointer { keys in
            scratch.hashes.withUnsafeMutableBufferPointer { hashes in
                for j in 0..<(n * k) where keys[j] != 0 { hashes[j] = lookupHash(keys[j]) }
            }
        }
        scratch.hashes.withUnsafeBufferPointer { hashes in
            scratch.emission.withUnsafeMutableBufferPointer { em in
                for j in 0..<min(ahead, n) * k where hashes[j] != 0 { cicu_prefetch(home(hashes[j])) }
                for i in 0..<n {
                    if i + ahead < n {
                        for j in (i + ahead) * k..<(i + ahead + 1) * k where hashes[j] != 0 { cicu_prefetch(home(hashes[j])) }
                    }
                    let row = em.baseAddress! + i * tags
                    var acc = SIMD16<Float>(repeating: 0)
                    for j in i * k..<(i + 1) * k where hashes[j] != 0 { accumulate(hash: hashes[j], into: &acc) }
                    for t in 0..<tags { row[t] = acc[t] }
                }
                if let forced {
                    for (i, tag) in forced.enumerated() where tag != NERTags.free {
                        let row = em.baseAddress! + i * tags
                        for t in 0..<tags where t != Int(tag) { row[t] = -1e30 }
                    }
                }
            }
        }
        _ = scratch.emission.withUnsafeBufferPointer { em in
            NERScratch.viterbi.decode(emission: em.baseAddress!, length: n, transition: transitions,
                                      back: &scratch.back, tags: &scratch.tags)
        }
        return NERTags.decode(scratch.tags)
    }
}

extension NERModel {
    /// How much lower the best tag sequence over `window` of the chunk the last `tag` call on `scratch` read
    /// scores when `span` (inside `window`, chunk offsets) must be one entity of `type`: 0 when the model's
    /// best already has it. The emission scores of that call are reused (the window's features saw the
    /// whole chunk); only the window is decoded again, twice, so a caller that asks once per candidate does
    /// work linear in the text.
    func margin(of span: Range<Int>, type: Int, window: Range<Int>, scratch: inout NERScratch) -> Float {
        let t = NERTags.count, n = window.count
        var emission = Array(scratch.emission[(window.lowerBound * t)..<(window.upperBound * t)])
        var tags: [UInt8] = []
        func best() -> Float {
            emission.withUnsafeBufferPointer { em in
                NERScratch.viterbi.decode(emission: em.baseAddress!, length: n, transition: transitions, back: &scratch.back, tags: &tags)
            }
        }
        let free = best()
        let local = (span.lowerBound - window.lowerBound)..<(span.upperBound - window.lowerBound)
        let wanted = NERTags.encode([(local, type)], length: n)
        for i in local { for k in 0..<t where k != Int(wanted[i]) { emission[i * t + k] = -1e30 } }
        return free - best()
    }
}

/// Per-call working memory of the tagger, reused across chunks.
struct NERScratch {
    static let viterbi = Viterbi()
    var features = NERFeatures()
    var keys: [UInt64] = []
    /// The keys' look-up hashes (`NERModel.lookupHash`).
    var hashes: [UInt64] = []
    var emission: [Float] = []
    var back: [UInt8] = []
    var tags: [UInt8] = []
}
