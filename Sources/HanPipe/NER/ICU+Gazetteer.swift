import CICU

/// ICU locale data used to generate gazetteers: region display names and time-zone exemplar cities.
extension ICU {
    /// (region code, display name) pairs in `locale`.
    static func regionNames(locale: String) throws -> [(String, Scalars)] {
        try lines { cicu_region_names(locale, $0, $1, $2) }
    }

    /// (time zone, exemplar city) pairs in `locale`.
    static func exemplarCities(locale: String) throws -> [(String, Scalars)] {
        try lines { cicu_exemplar_cities(locale, $0, $1, $2) }
    }

    /// Calls a shim function that fills a UTF-16 buffer with "KEY\tNAME\n" lines, preflighting its size.
    private static func lines(_ call: (UnsafeMutablePointer<UInt16>?, Int32, UnsafeMutablePointer<Int32>) -> Int32) throws
        -> [(String, Scalars)]
    {
        var status: Int32 = 0
        let n = call(nil, 0, &status)
        var out = [UInt16](repeating: 0, count: Int(n) + 1)
        status = 0
        let written = out.withUnsafeMutableBufferPointer { call($0.baseAddress, Int32($0.count), &status) }
        try check(status, "reading ICU locale data")
        var scalars: Scalars = []
        out.withUnsafeBufferPointer { UTF16Codec.decode(UnsafeBufferPointer(rebasing: $0[0..<Int(written)]), into: &scalars) }
        return scalars.split(separator: 0x0A).compactMap { line in
            guard let tab = line.firstIndex(of: 0x09) else { return nil }
            return (Array(line[..<tab]).string, Array(line[(tab + 1)...]))
        }
    }
}
