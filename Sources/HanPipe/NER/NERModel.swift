import CHanPipeData
#if canImport(Glibc)
import Glibc
#endif

/// A trained entity model, used in place from its bytes (the embedded default or a file read in one go).
///
/// Rule: the file is a header, the 13 × 13 transition scores, the feature table (feature key → weight row),
/// the weight rows (13 signed 16-bit weights each, times one scale) and the gazetteer table, each section
/// 8-byte aligned, little-endian. Nothing is parsed or copied on load, so loading costs only reading the
/// file (the embedded model costs nothing). A character's score for a tag is the sum of its features'
/// weights; `NERTags` and `Viterbi` turn scores into entities.
public final class NERModel: @unchecked Sendable {
    static let magic: [UInt8] = Array("HPNER\u{0}\u{0}\u{2}".utf8)
    static let headerSize = 32
    static let transitionBytes = (NERTags.count * NERTags.count * 4 + 7) / 8 * 8

    let features: KeyTable
    let lexicon: KeyTable
    let weights: UnsafePointer<Int16>
    let rowCount: Int
    let scale: Float
    let transitions: UnsafePointer<Float>
    /// The whole model, for `bytes`.
    let base: UnsafeRawBufferPointer
    private let owned: UnsafeMutableRawBufferPointer?

    /// Wraps model bytes that stay alive and unchanged for the model's lifetime (8-byte aligned).
    init(bytes: UnsafeRawBufferPointer, owned: UnsafeMutableRawBufferPointer? = nil) throws {
        self.base = bytes
        self.owned = owned
        func bad(_ why: String) -> HanPipeError { HanPipeError.input("not a hanpipe entity model (\(why))") }
        guard bytes.count >= NERModel.headerSize + NERModel.transitionBytes,
              Array(bytes[0..<8]) == NERModel.magic else { throw bad("bad header") }
        func u32(_ at: Int) -> Int { Int(bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian) }
        guard u32(8) == NERFeatures.templateCount, u32(12) == NERTags.count else { throw bad("different feature set") }
        let featureBits = u32(16), rowCount = u32(20), lexiconBits = u32(24)
        guard featureBits < 40, lexiconBits < 40 else { throw bad("bad table size") }
        scale = Float(bitPattern: UInt32(u32(28)))
        var at = NERModel.headerSize
        let raw = bytes.baseAddress!
        guard Int(bitPattern: raw) % 8 == 0 else { throw bad("misaligned") }
        transitions = (raw + at).assumingMemoryBound(to: Float.self)
        at += NERModel.transitionBytes
        func section(_ size: Int) throws -> UnsafeRawPointer {
            guard at + size <= bytes.count else { throw bad("truncated") }
            defer { at += (size + 7) / 8 * 8 }
            return raw + at
        }
        let fk = try section(4 << featureBits).assumingMemoryBound(to: UInt32.self)
        let fv = try section(4 << featureBits).assumingMemoryBound(to: UInt32.self)
        weights = try section(rowCount * NERTags.count * 2).assumingMemoryBound(to: Int16.self)
        let lk = try section(4 << lexiconBits).assumingMemoryBound(to: UInt32.self)
        let lv = try section(4 << lexiconBits).assumingMemoryBound(to: UInt32.self)
        guard at == bytes.count else { throw bad("trailing bytes") }
        features = KeyTable(bits: featureBits, keys: fk, values: fv)
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
    static func make(transitions: [Float], features: [(key: UInt64, weights: [Float])], lexicon: [(UInt64, UInt32)]) throws
        -> NERModel
    {
        let bytes = serialize(transitions: transitions, features: features, lexicon: lexicon)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
        buffer.copyBytes(from: bytes)
        return try NERModel(bytes: UnsafeRawBufferPointer(buffer), owned: buffer)
    }

    /// The file bytes of a model. Weights are quantised to 16 bits with one scale (the largest magnitude
    /// maps to 32767); features are stored in key order, so equal inputs give equal files.
    static func serialize(transitions: [Float], features: [(key: UInt64, weights: [Float])], lexicon: [(UInt64, UInt32)])
        -> [UInt8]
    {
        precondition(transitions.count == NERTags.count * NERTags.count)
        let sorted = features.sorted { $0.key < $1.key }
        let maxAbs = sorted.reduce(Float(0)) { m, f in f.weights.reduce(m) { max($0, abs($1)) } }
        let scale = maxAbs > 0 ? maxAbs / 32767 : 1
        let table = KeyTable.build(sorted.enumerated().map { ($0.element.key, UInt32($0.offset)) })
        let lex = KeyTable.build(lexicon)
        var out: [UInt8] = []
        func pad() { while out.count % 8 != 0 { out.append(0) } }
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        out.append(contentsOf: magic)
        u32(UInt32(NERFeatures.templateCount)); u32(UInt32(NERTags.count))
        u32(UInt32(table.bits)); u32(UInt32(sorted.count))
        u32(UInt32(lex.bits)); u32(scale.bitPattern)
        for t in transitions { u32(t.bitPattern) }
        pad()
        for k in table.keys { u32(k) }
        for v in table.values { u32(v) }
        pad()
        for f in sorted {
            for w in f.weights {
                let q = Int16(clamping: Int((w / scale).rounded()))
                withUnsafeBytes(of: q.littleEndian) { out.append(contentsOf: $0) }
            }
        }
        pad()
        for k in lex.keys { u32(k) }
        for v in lex.values { u32(v) }
        pad()
        return out
    }

    /// The entity spans of one chunk of text (no line breaks inside), as (range in the chunk, type index).
    func tag(_ chunk: ArraySlice<UInt32>, scratch: inout NERScratch, breaker: BreakIterator) throws -> [(range: Range<Int>, type: Int)] {
        let n = chunk.count
        guard n > 0 else { return [] }
        try scratch.features.extract(chunk, lexicon: lexicon, breaker: breaker, into: &scratch.keys)
        let k = NERFeatures.templateCount, tags = NERTags.count
        if scratch.emission.count < n * tags { scratch.emission = [Float](repeating: 0, count: n * tags) }
        let sc = scale
        scratch.keys.withUnsafeBufferPointer { keys in
            scratch.emission.withUnsafeMutableBufferPointer { em in
                var acc = [Int32](repeating: 0, count: tags)
                acc.withUnsafeMutableBufferPointer { acc in
                    for i in 0..<n {
                        for t in 0..<tags { acc[t] = 0 }
                        for j in 0..<k {
                            guard let row = features.find(keys[i * k + j]) else { continue }
                            let w = weights + Int(row) * tags
                            for t in 0..<tags { acc[t] &+= Int32(w[t]) }
                        }
                        for t in 0..<tags { em[i * tags + t] = Float(acc[t]) * sc }
                    }
                }
            }
        }
        scratch.emission.withUnsafeBufferPointer { em in
            NERScratch.viterbi.decode(emission: em.baseAddress!, length: n, transition: transitions,
                                      back: &scratch.back, tags: &scratch.tags)
        }
        return NERTags.decode(scratch.tags)
    }
}

/// Per-call working memory of the tagger, reused across chunks.
struct NERScratch {
    static let viterbi = Viterbi()
    var features = NERFeatures()
    var keys: [UInt64] = []
    var emission: [Float] = []
    var back: [UInt8] = []
    var tags: [UInt8] = []
}
