/// A read-only open-addressing hash table from 64-bit keys to 32-bit values, laid out as two flat arrays
/// so that it can be written to a model file and used in place without parsing.
///
/// Rule: a key is mixed with `mix64`; the top bits of the mix choose the home slot and the low 32 bits,
/// with the lowest bit set, are the fingerprint stored in the slot instead of the key (fingerprint 0 means
/// empty). Collisions probe linearly. The slot count is a power of two at least twice the number of
/// keys: at a load of 0.7 a lookup of an absent key probes about 5 slots, at 0.5 or less about 2.5, and the
/// entity model's weight table, which is laid out from this one and stores 16-bit fingerprints, is mostly
/// asked for keys it lacks (with 355,000 features, `annotate` took 15% longer at a load of 0.68 than at
/// 0.34, and an absent key that matches a fingerprint by chance adds a stranger's weights). A lookup of an
/// absent key matches a stored 32-bit fingerprint with probability about 2⁻³¹ per probe, a price paid for
/// tables half the size. Keys are inserted in sorted order, so the layout depends only on
/// the set of keys (deterministic files).
struct KeyTable {
    let bits: Int
    let keys: UnsafePointer<UInt32>
    let values: UnsafePointer<UInt32>

    var mask: Int { (1 << bits) - 1 }

    @inline(__always) static func slot(_ key: UInt64, bits: Int) -> (home: Int, fingerprint: UInt32) {
        let h = mix64(key)
        return (Int(truncatingIfNeeded: h >> UInt64(64 - bits)), UInt32(truncatingIfNeeded: h) | 1)
    }

    /// The value stored for `key`, or nil.
    @inline(__always) func find(_ key: UInt64) -> UInt32? {
        var (slot, fingerprint) = KeyTable.slot(key, bits: bits)
        let m = mask
        while true {
            let k = keys[slot]
            if k == fingerprint { return values[slot] }
            if k == 0 { return nil }
            slot = (slot + 1) & m
        }
    }

    /// The slot-count exponent for `count` keys.
    static func bits(for count: Int) -> Int {
        var b = 4
        while (1 << b) < count * 2 { b += 1 }
        return b
    }

    /// Lays out `pairs` (distinct keys) into slot arrays.
    static func build(_ pairs: [(UInt64, UInt32)]) -> (bits: Int, keys: [UInt32], values: [UInt32]) {
        let b = bits(for: pairs.count)
        var keys = [UInt32](repeating: 0, count: 1 << b)
        var values = [UInt32](repeating: 0, count: 1 << b)
        let m = (1 << b) - 1
        for (k, v) in pairs.sorted(by: { $0.0 < $1.0 }) {
            var (slot, fingerprint) = KeyTable.slot(k, bits: b)
            while keys[slot] != 0 { slot = (slot + 1) & m }
            keys[slot] = fingerprint
            values[slot] = v
        }
        return (b, keys, values)
    }
}

/// 64-bit mixing (the SplitMix64 finalizer): spreads structured keys and chains character hashes.
@inline(__always) func mix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
