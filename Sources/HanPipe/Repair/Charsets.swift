import CICU

/// The charsets the repair stage knows, and the tables it needs to re-encode text with the wrong one.
///
/// Every table is derived once per process from ICU's own converters (the first time it is needed), so
/// the repair undoes exactly what a converter did:
/// - `windows-1252` (a superset of Latin-1 as browsers read it: its five undefined bytes 0x81, 0x8D, 0x8F,
///   0x90, 0x9D stay U+0081…, as in Latin-1) gives `latinByte`, the byte each character came from;
/// - `GB18030` gives `gbk`, the two-byte code of every BMP character that has one.
/// The right charsets (UTF-8, GB18030, Big5 = ICU's `windows-950-2000`) decode through ICU in
/// `RepairDecoder`.
enum RepairCharset: Int, CaseIterable, Sendable {
    case utf8, gb18030, big5

    /// ICU's converter name.
    var icuName: String {
        switch self {
        case .utf8: return "UTF-8"
        case .gb18030: return "GB18030"
        case .big5: return "Big5"
        }
    }

    /// The length of the character that starts at `bytes[p]` in this charset, judged by the byte
    /// structure alone (ICU still decides whether the code is assigned), or 0 when no character can
    /// start there.
    @inline(__always)
    func tokenLength(_ bytes: [UInt8], _ p: Int) -> Int {
        let n = bytes.count
        let b = bytes[p]
        if b < 0x80 { return 1 }
        func cont(_ k: Int) -> Bool { p + k < n && bytes[p + k] >= 0x80 && bytes[p + k] <= 0xBF }
        switch self {
        case .utf8:
            switch b {
            case 0xC2...0xDF: return cont(1) ? 2 : 0
            case 0xE0: return p + 1 < n && bytes[p + 1] >= 0xA0 && bytes[p + 1] <= 0xBF && cont(2) ? 3 : 0
            case 0xED: return p + 1 < n && bytes[p + 1] >= 0x80 && bytes[p + 1] <= 0x9F && cont(2) ? 3 : 0
            case 0xE1...0xEF: return cont(1) && cont(2) ? 3 : 0
            case 0xF0: return p + 1 < n && bytes[p + 1] >= 0x90 && bytes[p + 1] <= 0xBF && cont(2) && cont(3) ? 4 : 0
            case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
            case 0xF4: return p + 1 < n && bytes[p + 1] >= 0x80 && bytes[p + 1] <= 0x8F && cont(2) && cont(3) ? 4 : 0
            default: return 0
            }
        case .gb18030:
            guard b >= 0x81 && b <= 0xFE, p + 1 < n else { return 0 }
            let t = bytes[p + 1]
            if (t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFE) { return 2 }
            if t >= 0x30 && t <= 0x39, p + 3 < n, bytes[p + 2] >= 0x81 && bytes[p + 2] <= 0xFE,
               bytes[p + 3] >= 0x30 && bytes[p + 3] <= 0x39 { return 4 }
            return 0
        case .big5:
            guard b >= 0x81 && b <= 0xFE, p + 1 < n else { return 0 }
            let t = bytes[p + 1]
            return (t >= 0x40 && t <= 0x7E) || (t >= 0xA1 && t <= 0xFE) ? 2 : 0
        }
    }
}

/// Tables derived from ICU's converters, built on first use and shared by all threads.
enum RepairTables {
    /// The Windows-1252 characters outside Latin-1 (U+0152 … U+2122) with their bytes 0x80…0x9F.
    static let cp1252: [(UInt32, UInt8)] = {
        var pairs: [(UInt32, UInt8)] = []
        guard let decoder = try? RepairDecoder(.cp1252) else { return pairs }
        for b in UInt8(0x80)...UInt8(0x9F) {
            if let c = decoder.decode([b])?.first, c > 0xFF { pairs.append((c, b)) }
        }
        return pairs
    }()

    /// For every BMP character, its two-byte GB18030 (GBK) code, high byte first; 0 when it has none
    /// (ASCII, or a four-byte code).
    static let gbk: [UInt16] = {
        var table = [UInt16](repeating: 0, count: 0x10000)
        var units: [UInt16] = []
        units.reserveCapacity(0x10000)
        for c in 0x80..<0x10000 where !(0xD800...0xDFFF).contains(c) { units.append(UInt16(c)) }
        var status: Int32 = 0
        let needed = Int(cicu_convert_from_utf16("GB18030", units, Int32(units.count), nil, 0, &status))
        var bytes = [UInt8](repeating: 0, count: needed + 8)
        status = 0
        let n = bytes.withUnsafeMutableBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) {
                Int(cicu_convert_from_utf16("GB18030", units, Int32(units.count), $0.baseAddress, Int32($0.count), &status))
            }
        }
        guard cicu_failure(status) == 0, n == needed else { return table }
        bytes.removeLast(bytes.count - n)
        var p = 0
        for u in units {
            let length = RepairCharset.gb18030.tokenLength(bytes, p)
            guard length > 0 else { return [UInt16](repeating: 0, count: 0x10000) } // out of step: give up safely
            if length == 2 { table[Int(u)] = UInt16(bytes[p]) << 8 | UInt16(bytes[p + 1]) }
            p += length
        }
        return table
    }()

    /// `cp1252` as a table over U+0152 … U+2122: the byte, or 0.
    static let cp1252Bytes: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 0x2123 - 0x152)
        for (c, b) in cp1252 { table[Int(c) - 0x152] = b }
        return table
    }()

    /// The byte a character stands for when bytes were read as Latin-1 or Windows-1252, or nil.
    @inline(__always)
    static func latinByte(_ c: UInt32) -> UInt8? {
        if c <= 0xFF { return UInt8(c) }
        if c < 0x152 || c > 0x2122 { return nil }
        let b = cp1252Bytes[Int(c) - 0x152]
        return b == 0 ? nil : b
    }

    /// Whether the character is in Windows-1252's 0x80…0x9F block (Œ š Ÿ ƒ ˆ ˜ ‚ „ … † ‡ ‰ ‹ › ‘ ’ “ ” • – — ™ €).
    @inline(__always)
    static func isCP1252Extra(_ c: UInt32) -> Bool { c >= 0x152 && c <= 0x2122 && latinByte(c) != nil }
}

/// One ICU converter to Unicode, used for one document by one thread.
final class RepairDecoder {
    enum Name { case charset(RepairCharset), cp1252 }
    private let handle: OpaquePointer
    private var units: [UInt16] = []

    init(_ name: Name) throws {
        let icuName: String
        switch name {
        case .charset(let c): icuName = c.icuName
        case .cp1252: icuName = "windows-1252"
        }
        var status: Int32 = 0
        let h = cicu_converter_open(icuName, &status)
        try ICU.check(status, "opening converter \(icuName)")
        guard let h else { throw HanPipeError.icu("opening converter \(icuName)") }
        handle = h
    }

    convenience init(_ charset: RepairCharset) throws { try self.init(.charset(charset)) }

    deinit { cicu_converter_close(handle) }

    /// Decodes `bytes` completely, as code points; nil when ICU finds an illegal or unmappable sequence.
    func decode(_ bytes: ArraySlice<UInt8>) -> Scalars? {
        let capacity = bytes.count * 2 + 16
        if units.count < capacity { units = [UInt16](repeating: 0, count: capacity) }
        var status: Int32 = 0
        var errorOffset: Int32 = 0
        let n = bytes.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { cb in
                units.withUnsafeMutableBufferPointer { u in
                    cicu_converter_to_utf16(handle, cb.baseAddress, Int32(cb.count), 1, u.baseAddress,
                                            Int32(capacity), &errorOffset, &status)
                }
            }
        }
        if cicu_failure(status) != 0 { cicu_converter_reset(handle); return nil }
        var scalars: Scalars = []
        scalars.reserveCapacity(Int(n))
        units.withUnsafeBufferPointer { UTF16Codec.decode(UnsafeBufferPointer(rebasing: $0[0..<Int(n)]), into: &scalars) }
        return scalars
    }

    func decode(_ bytes: [UInt8]) -> Scalars? { decode(bytes[...]) }
}
