/// An exact decimal number, `mantissa × 10^exponent`, as the numbers stage computes values.
///
/// Rule: values are computed in decimal, not in binary floating point, so that `1.2万亿` is exactly
/// 1200000000000 and `零点零…一` exactly 1e-15; only the final value of a non-integer becomes a Double
/// (read from its decimal digits, so it is the Double nearest to the written number).
struct DecimalNumber: Equatable {
    var mantissa: Int64
    var exponent: Int

    init(_ mantissa: Int64, exponent: Int = 0) {
        self.mantissa = mantissa
        self.exponent = exponent
        normalize()
    }

    /// Moves trailing zeros into the exponent and, where it fits, a positive exponent into the mantissa.
    private mutating func normalize() {
        while exponent < 0 && mantissa != 0 && mantissa % 10 == 0 { mantissa /= 10; exponent += 1 }
        if mantissa == 0 { exponent = 0 }
        while exponent > 0 {
            let (m, o) = mantissa.multipliedReportingOverflow(by: 10)
            if o { break }
            mantissa = m; exponent -= 1
        }
    }

    var isInteger: Bool { exponent >= 0 }
    var isZero: Bool { mantissa == 0 }

    /// The value times `10^power`.
    func scaled(by power: Int) -> DecimalNumber { DecimalNumber(mantissa, exponent: exponent + power) }

    var negated: DecimalNumber { DecimalNumber(-mantissa, exponent: exponent) }

    /// The sum, or nil when it does not fit.
    static func + (a: DecimalNumber, b: DecimalNumber) -> DecimalNumber? {
        var x = a, y = b
        // Bring both to the smaller exponent.
        while x.exponent > y.exponent {
            let (m, o) = x.mantissa.multipliedReportingOverflow(by: 10); if o { return nil }
            x.mantissa = m; x.exponent -= 1
        }
        while y.exponent > x.exponent {
            let (m, o) = y.mantissa.multipliedReportingOverflow(by: 10); if o { return nil }
            y.mantissa = m; y.exponent -= 1
        }
        let (s, o) = x.mantissa.addingReportingOverflow(y.mantissa)
        return o ? nil : DecimalNumber(s, exponent: x.exponent)
    }

    var double: Double {
        if exponent == 0 { return Double(mantissa) }
        return Double("\(mantissa)e\(exponent)") ?? Double(mantissa)
    }

    /// The value as written in the output: an integer when it is one and fits, else a real.
    var value: NumberMention.Value {
        if exponent == 0 { return .integer(mantissa) }
        return .real(double)
    }

    static func < (a: DecimalNumber, b: DecimalNumber) -> Bool { a.double < b.double }
}
