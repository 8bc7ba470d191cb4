import CHanPipeData

/// The process-wide conversion tables, one per direction, built on first use.
///
/// Rule: a table is compiled from the rule source embedded by `Scripts/gen/conversion-table` when the
/// running ICU has the version recorded in that file's header (no ICU transliterator is opened, which
/// saves about 9 ms at start-up); otherwise from the rule source of the running ICU's own transliterator.
/// When neither can be compiled (a rule outside the subset `ConversionRules` accepts), there is no
/// table and the conversion stage uses ICU's transliterator for everything.
enum ConversionTables {
    /// Where a table's rules came from.
    enum Origin: Equatable { case embedded, installedICU }

    static let hantToHans: (table: ConversionTable, origin: Origin)? = load(id: "Hant-Hans", pool: ICUCache.hantToHans)
    static let hansToHant: (table: ConversionTable, origin: Origin)? = load(id: "Hans-Hant", pool: ICUCache.hansToHant)
    /// The same with `ConversionFixes` applied (the base of the default conversion).
    static let hantToHansFixed: ConversionTable? = load(id: "Hant-Hans", pool: ICUCache.hantToHans, fixed: true)?.table
    static let hansToHantFixed: ConversionTable? = load(id: "Hans-Hant", pool: ICUCache.hansToHant, fixed: true)?.table

    /// The table for a target script (nil for `.keep`, or when none could be built): ICU's rules exactly,
    /// or with `fixed`, with ICU's defects fixed.
    static func table(for target: Script, fixed: Bool = false) -> ConversionTable? {
        switch target {
        case .simplified: return fixed ? hantToHansFixed : hantToHans?.table
        case .traditional: return fixed ? hansToHantFixed : hansToHant?.table
        case .keep: return nil
        }
    }

    /// The embedded rule source of a transliterator ID, with the ICU version of its header.
    static func embedded(id: String) -> (version: String, rules: UnsafeBufferPointer<UInt8>)? {
        var length: Int64 = 0
        guard let pointer = chanpipe_data("conversion-\(id).txt", &length) else { return nil }
        let bytes = UnsafeBufferPointer(start: pointer, count: Int(length))
        // Header: comment lines, one of them "# icu-version: X". The rules follow the last one.
        var version: String? = nil
        var at = 0
        while at < bytes.count && bytes[at] == UInt8(ascii: "#") {
            let end = bytes[at...].firstIndex(of: 0x0A) ?? bytes.count
            let line = String(decoding: bytes[at..<end], as: UTF8.self)
            let tag = "# icu-version: "
            if line.hasPrefix(tag) { version = String(line.dropFirst(tag.count)) }
            at = min(end + 1, bytes.count)
        }
        guard let version else { return nil }
        return (version, UnsafeBufferPointer(rebasing: bytes[at...]))
    }

    static func load(id: String, pool: ICUPool<Transliterator>, fixed: Bool = false) -> (table: ConversionTable, origin: Origin)? {
        func compile(_ rules: ConversionRules) -> ConversionTable {
            ConversionTable(rules: fixed ? ConversionFixes.apply(to: rules, id: id) : rules)
        }
        if let (version, source) = embedded(id: id), version == ICU.version,
           let rules = try? ConversionRules(utf8: source) {
            return (compile(rules), .embedded)
        }
        guard let source = try? pool.with({ try $0.rules() }),
              let rules = try? ConversionRules(scalars: Scalars(scalarsOf: source)) else { return nil }
        return (compile(rules), .installedICU)
    }
}
