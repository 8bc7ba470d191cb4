import Foundation

/// A user's conversion dictionary (`--convert-dict FILE`): phrases that win over the phrase layer and
/// ICU, and texts that are never converted.
///
/// Format: UTF-8 text, one entry a line.
/// - `from<TAB>to`: `from` becomes `to` (any lengths: `的士<TAB>計程車`);
/// - `from` alone: `from` is protected, it is never converted (`于谦`);
/// - a line whose first character is `#` is a comment; blank lines are skipped; a CR before the LF and
///   a BOM at the start are ignored.
/// Anything else — an empty `from` or `to`, more than one TAB, invalid UTF-8 — is an error that names
/// the file and line (`d.tsv:3: …`). A later entry with the same `from` replaces an earlier one, also
/// across files in the order they are given.
///
/// Directions: an entry applies to both targets, read in the script of the text it meets. For a
/// target, the key is `from` as written and also `from` converted into the other script (so
/// `自行车<TAB>腳踏車` matches 自行車 in Traditional input), and `to` is converted into the target
/// script (腳踏車 becomes 脚踏车 with `--to simplified`).
public struct ConversionDictionary: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var from: String
        /// The replacement; nil protects `from`.
        public var to: String?
        /// The 1-based line of the entry in its file.
        public var line: Int
    }

    /// A malformed line.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    /// The file name used in error messages.
    public let name: String
    public let entries: [Entry]

    /// Reads a dictionary file. Throws `ParseError` for a malformed line, `HanPipeError.input` when the
    /// file cannot be read.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HanPipeError.input("cannot read conversion dictionary '\(path)'")
        }
        try self.init(bytes: [UInt8](data), name: path)
    }

    /// Parses dictionary bytes; `name` is used in error messages.
    public init(bytes: [UInt8], name: String) throws {
        self.name = name
        var entries: [Entry] = []
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        var lineNumber = 0
        while start < bytes.count {
            lineNumber += 1
            var end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let next = end + 1
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            defer { start = next }
            let raw = bytes[start..<end]
            func fail(_ message: String) -> ParseError { ParseError(file: name, line: lineNumber, message: message) }
            guard let text = String(validating: raw, as: UTF8.self) else { throw fail("invalid UTF-8") }
            if text.allSatisfy({ $0 == " " || $0 == "\t" }) || text.hasPrefix("#") { continue }
            let fields = text.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count <= 2 else { throw fail("more than one TAB (expected from<TAB>to, or from alone)") }
            let from = String(fields[0])
            guard !from.isEmpty, !from.unicodeScalars.allSatisfy({ $0 == " " }) else { throw fail("empty 'from'") }
            if fields.count == 2 {
                guard !fields[1].isEmpty else { throw fail("empty 'to' (write 'from' alone to protect it)") }
                entries.append(Entry(from: from, to: String(fields[1]), line: lineNumber))
            } else {
                entries.append(Entry(from: from, to: nil, line: lineNumber))
            }
        }
        self.entries = entries
    }
}
