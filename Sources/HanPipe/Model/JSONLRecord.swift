/// One JSON Lines record: `{"id": …, "text": …, …}`.
///
/// A small hand-written scanner instead of Foundation's JSONSerialization, because the record must come
/// out with every other member byte for byte as it came in (key order, number spelling, escapes), which
/// a decode/encode round trip does not keep.
public struct JSONLRecord {
    /// A member of the top-level object: the raw bytes of the key and of the value.
    struct Member {
        var key: String
        var raw: Range<Int>          // from the key's opening quote to the end of the value
        var value: Range<Int>
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case invalidJSON(String)
        case noText
        public var description: String {
            switch self {
            case let .invalidJSON(why): return "not valid JSON (\(why))"
            case .noText: return "no string \"text\" field"
            }
        }
    }

    let bytes: [UInt8]
    let members: [Member]
    /// The decoded `text` value.
    public let text: Scalars
    /// The `id` value: a string's content, or a number's spelling; nil when absent.
    public let id: String?

    public init(_ line: ArraySlice<UInt8>) throws {
        bytes = Array(line)
        var p = Parser(bytes: bytes)
        p.skipSpace()
        guard p.peek == UInt8(ascii: "{") else { throw Problem.invalidJSON("not an object") }
        p.pos += 1
        var members: [Member] = []
        p.skipSpace()
        if p.peek == UInt8(ascii: "}") { p.pos += 1 } else {
            while true {
                p.skipSpace()
                let keyStart = p.pos
                guard p.peek == UInt8(ascii: "\"") else { throw Problem.invalidJSON("expected a key at byte \(p.pos)") }
                let key = try p.string()
                p.skipSpace()
                guard p.peek == UInt8(ascii: ":") else { throw Problem.invalidJSON("expected ':' at byte \(p.pos)") }
                p.pos += 1
                p.skipSpace()
                let valueStart = p.pos
                try p.skipValue()
                members.append(Member(key: key.string, raw: keyStart..<p.pos, value: valueStart..<p.pos))
                p.skipSpace()
                if p.peek == UInt8(ascii: ",") { p.pos += 1; continue }
                if p.peek == UInt8(ascii: "}") { p.pos += 1; break }
                throw Problem.invalidJSON("expected ',' or '}' at byte \(p.pos)")
            }
        }
        p.skipSpace()
        guard p.pos == bytes.count else { throw Problem.invalidJSON("trailing bytes at \(p.pos)") }
        self.members = members
        guard let textMember = members.last(where: { $0.key == "text" }),
              bytes[textMember.value.lowerBound] == UInt8(ascii: "\"") else { throw Problem.noText }
        var q = Parser(bytes: bytes, pos: textMember.value.lowerBound)
        text = try q.string()
        if let idMember = members.last(where: { $0.key == "id" }) {
            if bytes[idMember.value.lowerBound] == UInt8(ascii: "\"") {
                var r = Parser(bytes: bytes, pos: idMember.value.lowerBound)
                id = try r.string().string
            } else {
                id = String(decoding: bytes[idMember.value], as: UTF8.self)
            }
        } else {
            id = nil
        }
    }

    /// The record with `text` replaced and, when `annotate` is set, the annotation members appended.
    /// Every other byte of the record stays as it was; members that share a name with an annotation
    /// member are dropped (the record is then rebuilt with ", " between members). No newline at the end.
    public func output(_ doc: Document, annotate: Bool) -> [UInt8] {
        let added: Set<String> = annotate ? Set(["to", "edits"] + StageRegistry.standard.fields.map(\.name)) : []
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + doc.text.count * 3)
        let textMember = members.last { $0.key == "text" }!
        if !members.contains(where: { added.contains($0.key) }) {
            let close = bytes.lastIndex(of: UInt8(ascii: "}"))!
            out.append(contentsOf: bytes[..<textMember.value.lowerBound])
            JSONWriter.appendString(doc.text[...], to: &out)
            out.append(contentsOf: bytes[textMember.value.upperBound..<close])
        } else {
            out.append(UInt8(ascii: "{"))
            var first = true
            for m in members where !added.contains(m.key) {
                if !first { out.append(contentsOf: ", ".utf8) }
                first = false
                if m.value == textMember.value {
                    out.append(contentsOf: bytes[m.raw.lowerBound..<m.value.lowerBound])
                    JSONWriter.appendString(doc.text[...], to: &out)
                } else {
                    out.append(contentsOf: bytes[m.raw])
                }
            }
        }
        if annotate {
            out.append(contentsOf: (members.isEmpty ? "\"to\": " : ", \"to\": ").utf8)
            JSONWriter.appendString(doc.target.rawValue, to: &out)
            JSONWriter.appendFields(doc, to: &out, pretty: false)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A minimal JSON scanner over bytes (RFC 8259), iterative so deep nesting cannot overflow the stack.
    struct Parser {
        let bytes: [UInt8]
        var pos = 0

        var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

        mutating func skipSpace() {
            while pos < bytes.count, bytes[pos] == 0x20 || bytes[pos] == 0x09 || bytes[pos] == 0x0A || bytes[pos] == 0x0D { pos += 1 }
        }

        /// Parses a string literal at `pos` and returns its code points.
        mutating func string() throws -> Scalars {
            guard peek == UInt8(ascii: "\"") else { throw Problem.invalidJSON("expected a string at byte \(pos)") }
            pos += 1
            var out: Scalars = []
            var runStart = pos
            func flush(_ end: Int) throws {
                if end > runStart {
                    let bad = bytes.withUnsafeBufferPointer {
                        UTF8Codec.decode(UnsafeBufferPointer(rebasing: $0[runStart..<end]), into: &out)
                    }
                    if bad != nil { throw Problem.invalidJSON("invalid UTF-8") }
                }
            }
            while true {
                guard pos < bytes.count else { throw Problem.invalidJSON("unterminated string") }
                let b = bytes[pos]
                if b == UInt8(ascii: "\"") { try flush(pos); pos += 1; return out }
                if b < 0x20 { throw Problem.invalidJSON("control character in string at byte \(pos)") }
                if b != UInt8(ascii: "\\") { pos += 1; continue }
                try flush(pos)
                pos += 1
                guard pos < bytes.count else { throw Problem.invalidJSON("unterminated escape") }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    // A surrogate must come as a high-low pair. A lone one encodes no character (I-JSON,
                    // RFC 7493, forbids it, and strict parsers reject it): the line is not valid JSON,
                    // rather than silently getting U+FFFD.
                    let escape = pos - 2
                    var u = try hex4()
                    if u >= 0xD800 && u <= 0xDBFF, pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
                        let save = pos
                        pos += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low <= 0xDFFF { u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00) } else { pos = save }
                    }
                    if u >= 0xD800 && u <= 0xDFFF { throw Problem.invalidJSON("lone surrogate escape at byte \(escape)") }
                    out.append(u)
                default: throw Problem.invalidJSON("bad escape at byte \(pos - 1)")
                }
                runStart = pos
            }
        }

        private mutating func hex4() throws -> UInt32 {
            guard pos + 4 <= bytes.count else { throw Problem.invalidJSON("short \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[pos]
                let d: UInt32
                switch b {
                case 0x30...0x39: d = UInt32(b - 0x30)
                case 0x41...0x46: d = UInt32(b - 0x41 + 10)
                case 0x61...0x66: d = UInt32(b - 0x61 + 10)
                default: throw Problem.invalidJSON("bad \\u escape")
                }
                v = v * 16 + d
                pos += 1
            }
            return v
        }

        /// Skips one value of any type, validating it.
        mutating func skipValue() throws {
            var stack: [UInt8] = []  // expected closers
            var expectValue = true
            while true {
                skipSpace()
                guard let b = peek else { throw Problem.invalidJSON("unexpected end") }
                if expectValue {
                    switch b {
                    case UInt8(ascii: "{"):
                        pos += 1; skipSpace()
                        if peek == UInt8(ascii: "}") { pos += 1; expectValue = false } else {
                            stack.append(UInt8(ascii: "}"))
                            _ = try string(); skipSpace()
                            guard peek == UInt8(ascii: ":") else { throw Problem.invalidJSON("expected ':' at byte \(pos)") }
                            pos += 1
                            continue
                        }
                    case UInt8(ascii: "["):
                        pos += 1; skipSpace()
                        if peek == UInt8(ascii: "]") { pos += 1; expectValue = false } else {
                            stack.append(UInt8(ascii: "]")); continue
                        }
                    case UInt8(ascii: "\""): _ = try string(); expectValue = false
                    case UInt8(ascii: "t"): try literal("true"); expectValue = false
                    case UInt8(ascii: "f"): try literal("false"); expectValue = false
                    case UInt8(ascii: "n"): try literal("null"); expectValue = false
                    default: try number(); expectValue = false
                    }
                }
                // After a value: close containers or move to the next element.
                skipSpace()
                guard let closer = stack.last else { return }
                guard let c = peek else { throw Problem.invalidJSON("unexpected end") }
                if c == closer { pos += 1; stack.removeLast(); continue }
                guard c == UInt8(ascii: ",") else { throw Problem.invalidJSON("expected ',' at byte \(pos)") }
                pos += 1
                if closer == UInt8(ascii: "}") {
                    skipSpace()
                    _ = try string(); skipSpace()
                    guard peek == UInt8(ascii: ":") else { throw Problem.invalidJSON("expected ':' at byte \(pos)") }
                    pos += 1
                }
                expectValue = true
            }
        }

        private mutating func literal(_ word: String) throws {
            for b in word.utf8 {
                guard peek == b else { throw Problem.invalidJSON("bad literal at byte \(pos)") }
                pos += 1
            }
        }

        private mutating func number() throws {
            let start = pos
            if peek == UInt8(ascii: "-") { pos += 1 }
            guard let d = peek, d >= 0x30 && d <= 0x39 else { throw Problem.invalidJSON("unexpected byte at \(start)") }
            if d == 0x30 { pos += 1 } else { while let c = peek, c >= 0x30 && c <= 0x39 { pos += 1 } }
            if peek == UInt8(ascii: ".") {
                pos += 1
                guard let c = peek, c >= 0x30 && c <= 0x39 else { throw Problem.invalidJSON("bad number at \(start)") }
                while let c = peek, c >= 0x30 && c <= 0x39 { pos += 1 }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                pos += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { pos += 1 }
                guard let c = peek, c >= 0x30 && c <= 0x39 else { throw Problem.invalidJSON("bad number at \(start)") }
                while let c = peek, c >= 0x30 && c <= 0x39 { pos += 1 }
            }
        }
    }
}
