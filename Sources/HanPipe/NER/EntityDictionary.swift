#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A user's entity dictionary: names that must be (or must not be) entities, whatever the model says.
///
/// Format: UTF-8 text, one entry per line, `text<TAB>TYPE`, where TYPE is `PER`, `LOC`, `ORG`, or `-` (the
/// text is never an entity, nor part of one). `#` starts a comment line; blank lines and trailing spaces or
/// `\r` are ignored. A malformed line is an error naming the file and the line (`ents.tsv:3: unknown type
/// 'CITY' (PER, LOC, ORG or -)`). When a text occurs twice, the later entry wins (also across dictionaries).
///
/// Rule (used by the entities stage): entries match the Simplified view of the clean text (entries are
/// converted to Simplified the same way), so an entry in either script matches both. Where matches
/// overlap, the longest wins (then the leftmost). Each kept match forces its span: an entry with a type is
/// that entity, a `-` entry holds no entity; the model tags the rest of the text around them and never
/// across them. Worst case: linear in the text (at most `maxLength` look-ups per character, plus sorting the
/// matches, which are at most one per character).
public struct EntityDictionary: Sendable {
    /// What an entry makes of its text.
    public enum Action: Sendable, Equatable {
        case entity(Entity.Kind)
        case suppress
    }

    /// A malformed dictionary line. The CLI reports it as a usage error (exit 2).
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let file: String
        public let line: Int
        public let message: String
        public var description: String { "\(file):\(line): \(message)" }
    }

    /// Entries by their Simplified text.
    public private(set) var entries: [Scalars: Action] = [:]
    /// The longest entry, in characters.
    public private(set) var maxLength = 0
    /// Every proper prefix of an entry, so matching stops as soon as no entry can follow.
    private var prefixes: Set<Scalars> = []

    public init() {}

    /// Entries given directly, e.g. `[("谷腾环保网", .entity(.ORG)), ("长三角", .suppress)]`.
    public init(_ list: [(String, Action)]) throws {
        for (text, action) in list { try add(Scalars(scalarsOf: text), action) }
    }

    /// Parses a dictionary file's bytes; `file` is the name errors carry.
    public init(bytes: [UInt8], file: String) throws {
        var text: Scalars = []
        if let bad = bytes.withUnsafeBufferPointer({ UTF8Codec.decode($0, into: &text) }) {
            let line = 1 + bytes[..<bad].count(where: { $0 == 0x0A })
            throw ParseError(file: file, line: line, message: "invalid UTF-8 at byte offset \(bad)")
        }
        var lineNumber = 0
        for line in text.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = line[...]
            while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 { line = line.dropLast() }
            if lineNumber == 1, line.first == 0xFEFF { line = line.dropFirst() }
            if line.isEmpty || line.first == 0x23 { continue }  // blank or '#'
            func fail(_ message: String) -> ParseError { ParseError(file: file, line: lineNumber, message: message) }
            guard let tab = line.firstIndex(of: 0x09) else { throw fail("expected text<TAB>TYPE") }
            let name = Scalars(line[..<tab])
            let typeName = Scalars(line[(tab + 1)...]).string
            guard !name.isEmpty else { throw fail("empty text") }
            if name.contains(0x09) { throw fail("more than one tab") }
            let action: Action
            switch typeName {
            case "PER": action = .entity(.PER)
            case "LOC": action = .entity(.LOC)
            case "ORG": action = .entity(.ORG)
            case "-": action = .suppress
            default:
                if typeName.contains("\t") { throw fail("more than one tab") }
                throw fail("unknown type '\(typeName)' (PER, LOC, ORG or -)")
            }
            try add(name, action)
        }
    }

    /// Reads and parses the file at `path` (errors name `path` as given). A file that cannot be read is
    /// `HanPipeError.input`.
    public init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HanPipeError.input("\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let r = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if r < 0 && errno == EINTR { continue }
            guard r >= 0 else { throw HanPipeError.input("\(path): \(String(cString: strerror(errno)))") }
            if r == 0 { break }
            bytes.append(contentsOf: chunk[..<r])
        }
        try self.init(bytes: bytes, file: path)
    }

    /// Adds (or replaces) one entry; `text` in either script.
    public mutating func add(_ text: Scalars, _ action: Action) throws {
        let key = try Entities.simplifiedView(text)
        guard !key.isEmpty else { return }
        entries[key] = action
        maxLength = max(maxLength, key.count)
        for end in 1..<key.count { prefixes.insert(Scalars(key[..<end])) }
    }

    /// The entries of `other` added to these (its entries win).
    public mutating func merge(_ other: EntityDictionary) throws {
        for (key, action) in other.entries.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) { try add(key, action) }
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The kept matches in `text` (a Simplified view), sorted by start: longest first where they overlap,
    /// then leftmost.
    public func matches(in text: Scalars) -> [(range: Range<Int>, action: Action)] {
        guard !entries.isEmpty else { return [] }
        var found: [(range: Range<Int>, action: Action)] = []
        let n = text.count
        var probe: Scalars = []
        for start in 0..<n {
            probe.removeAll(keepingCapacity: true)
            var best: (Int, Action)? = nil
            var end = start
            while end < n && end - start < maxLength {
                probe.append(text[end])
                end += 1
                if let action = entries[probe] { best = (end, action) }
                if !prefixes.contains(probe) { break }
            }
            if let (e, action) = best { found.append((start..<e, action)) }
        }
        // Longest first, then leftmost; keep those that overlap nothing kept.
        found.sort { $0.range.count != $1.range.count ? $0.range.count > $1.range.count : $0.range.lowerBound < $1.range.lowerBound }
        var taken = [Bool](repeating: false, count: n)
        var kept: [(range: Range<Int>, action: Action)] = []
        for m in found where !m.range.contains(where: { taken[$0] }) {
            for i in m.range { taken[i] = true }
            kept.append(m)
        }
        kept.sort { $0.range.lowerBound < $1.range.lowerBound }
        return kept
    }
}
