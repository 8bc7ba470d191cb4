/// Errors the library reports. The command line turns each into one line on standard error.
public enum HanPipeError: Error, Equatable, CustomStringConvertible {
    /// Bytes that are not valid in the input encoding, at a byte offset from the start of the input.
    case badBytes(offset: Int, encoding: String)
    /// A line longer than `--max-line-bytes`.
    case lineTooLong(offset: Int, limit: Int)
    /// An ICU call failed.
    case icu(String)
    /// A malformed resource or model file.
    case badModel(String)
    /// Any other input problem.
    case input(String)

    public var description: String {
        switch self {
        case let .badBytes(offset, encoding): return "invalid \(encoding) bytes at byte offset \(offset)"
        case let .lineTooLong(offset, limit): return "line at byte offset \(offset) is longer than \(limit) bytes (see --max-line-bytes)"
        case let .icu(message): return "ICU: \(message)"
        case let .badModel(message): return "bad model: \(message)"
        case let .input(message): return message
        }
    }

    /// The same error with its byte offset moved by `base` (for inputs read in chunks).
    func shifted(by base: Int) -> HanPipeError {
        switch self {
        case let .badBytes(offset, encoding): return .badBytes(offset: offset + base, encoding: encoding)
        case let .lineTooLong(offset, limit): return .lineTooLong(offset: offset + base, limit: limit)
        default: return self
        }
    }
}
