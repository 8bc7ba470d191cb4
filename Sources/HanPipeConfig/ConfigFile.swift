import Foundation
import TOMLKit

/// A parsed `hanpipe.toml`: the settings it gives, each `nil` when the file leaves it out.
///
/// Keys are the command line's long option names: `to`, `keep-glosses`, `skip`, `encoding`,
/// `entities-dict`, `convert-dict` and `exclude`. Parsing is TOMLKit's (toml++); this file only checks
/// keys and values. An unknown key, a value of the wrong type or a value outside its set is a
/// `ConfigError` naming the file and line, `path/hanpipe.toml:LINE: message`. Flags on the command line
/// win over the file; files are never merged (the closest one wins, see `ConfigDiscovery`).
public struct ConfigFile: Equatable, Sendable {
    // MARK: - Public API

    /// The target script (`to`).
    public enum Target: String, Sendable, CaseIterable { case simplified, traditional, keep }
    /// The input encoding (`encoding`).
    public enum Encoding: String, Sendable, CaseIterable {
        case auto
        case utf8 = "utf-8"
        case gb18030, big5
        case utf16 = "utf-16"
    }

    /// Every key the file may hold, in the order the documentation lists them.
    public static let keys = ["to", "keep-glosses", "skip", "encoding", "entities-dict", "convert-dict", "exclude"]

    /// The file's path as it is shown in messages: relative to the working directory when below it,
    /// absolute otherwise.
    public let path: String
    /// The absolute, lexically normalised folder holding the file; relative paths in the file are
    /// resolved against it, and `exclude` globs are matched against paths relative to it.
    public let folder: String

    public var to: Target?
    public var keepGlosses: Bool?
    /// Stage names, checked against the list the caller passed in.
    public var skip: [String]?
    public var encoding: Encoding?
    /// Dictionary files, absolute (resolved against `folder`).
    public var entitiesDict: [String]?
    /// Dictionary files, absolute (resolved against `folder`).
    public var convertDict: [String]?
    /// Globs as written (see `Glob`).
    public var exclude: [String]?

    /// Reads and checks the file at `path` (`--config FILE`, or a file found by `ConfigDiscovery`).
    /// `stageNames` is the list `skip` is checked against.
    public static func load(path: String, stageNames: [String]) throws -> ConfigFile {
        let absolute = ConfigPath.absolute(path)
        let shown = ConfigPath.display(absolute)
        let text: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: absolute))
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw ConfigError(path: shown, line: nil, message: "not valid UTF-8 (TOML files are UTF-8)")
            }
            text = decoded
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(path: shown, line: nil, message: "cannot read: \(ConfigPath.reason(error))")
        }
        return try parse(text, path: shown, folder: ConfigPath.parent(absolute), stageNames: stageNames)
    }

    /// Parses TOML `text` as if read from a file shown as `path` in folder `folder` (absolute).
    public static func parse(_ text: String, path: String, folder: String, stageNames: [String]) throws -> ConfigFile {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(path: path, line: max(1, error.source.begin.line), message: "TOML syntax error: \(error.description)")
        }
        var config = ConfigFile(path: path, folder: ConfigPath.normalise(folder))
        let lines = KeyLines(text)
        // Keys in the order they appear, so that the first bad one is the one reported.
        let keys = table.keys.sorted { (lines.line(of: $0) ?? Int.max, $0) < (lines.line(of: $1) ?? Int.max, $1) }
        for key in keys {
            guard let value = table[key] else { continue }
            let line = lines.line(of: key) ?? 1
            func fail(_ message: String) -> ConfigError { ConfigError(path: path, line: line, message: message) }
            switch key {
            case "to":
                config.to = try oneOf(value, key: key, Target.self, fail)
            case "encoding":
                config.encoding = try oneOf(value, key: key, Encoding.self, fail)
            case "keep-glosses":
                guard value.type == .bool, let flag = value.bool else {
                    throw fail("keep-glosses: expected true or false, got \(describe(value))")
                }
                config.keepGlosses = flag
            case "skip":
                let names = try strings(value, key: key, allowSingle: false, fail)
                for name in names where !stageNames.contains(name) {
                    throw fail("skip: unknown stage '\(name)' (stages: \(stageNames.joined(separator: ", ")))")
                }
                config.skip = names
            case "entities-dict", "convert-dict":
                let paths = try strings(value, key: key, allowSingle: true, fail).map { item -> String in
                    if item.isEmpty { throw fail("\(key): an empty path") }
                    return ConfigPath.normalise(item.hasPrefix("/") ? item : config.folder + "/" + item)
                }
                if key == "entities-dict" { config.entitiesDict = paths } else { config.convertDict = paths }
            case "exclude":
                let globs = try strings(value, key: key, allowSingle: false, fail)
                for glob in globs where glob.isEmpty { throw fail("exclude: an empty glob") }
                config.exclude = globs
            default:
                throw fail("unknown key '\(key)' (keys: \(ConfigFile.keys.joined(separator: ", ")))")
            }
        }
        return config
    }

    /// Whether `path` (a file or folder path as given on the command line or found by walking a folder,
    /// relative to the working directory or absolute) matches an `exclude` glob. Paths outside the
    /// config file's folder are never excluded.
    public func excludes(_ path: String) -> Bool {
        guard let globs = exclude, !globs.isEmpty else { return false }
        let absolute = ConfigPath.absolute(path)
        let relative: String
        if folder == "/" {
            relative = String(absolute.dropFirst())
        } else if absolute.hasPrefix(folder + "/") {
            relative = String(absolute.dropFirst(folder.count + 1))
        } else {
            return false
        }
        if relative.isEmpty { return false }
        return globs.contains { Glob($0).matches(relative) }
    }

    // MARK: - Internals

    init(path: String, folder: String) {
        self.path = path
        self.folder = folder
    }

    private static func describe(_ value: TOMLValueConvertible) -> String {
        switch value.type {
        case .string: return "the string \"\(value.string ?? "")\""
        case .int: return "an integer"
        case .double: return "a number"
        case .bool: return "a boolean"
        case .array: return "an array"
        case .table: return "a table"
        default: return "a date or time"
        }
    }

    private static func oneOf<T: RawRepresentable & CaseIterable>(
        _ value: TOMLValueConvertible, key: String, _: T.Type, _ fail: (String) -> ConfigError
    ) throws -> T where T.RawValue == String {
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        guard value.type == .string, let string = value.string else {
            throw fail("\(key): expected one of \(allowed), got \(describe(value))")
        }
        guard let result = T(rawValue: string) else {
            throw fail("\(key): '\(string)' is not one of \(allowed)")
        }
        return result
    }

    private static func strings(_ value: TOMLValueConvertible, key: String, allowSingle: Bool,
                                _ fail: (String) -> ConfigError) throws -> [String] {
        let expected = allowSingle ? "a string or an array of strings" : "an array of strings"
        if allowSingle, value.type == .string, let string = value.string { return [string] }
        guard value.type == .array, let array = value.array else {
            throw fail("\(key): expected \(expected), got \(describe(value))")
        }
        var result: [String] = []
        for element in array {
            guard element.type == .string, let string = element.string else {
                throw fail("\(key): expected \(expected), got an array holding \(describe(element))")
            }
            result.append(string)
        }
        return result
    }
}

/// A problem in a config file, shown as `path:LINE: message` (or `path: message` when no line applies).
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let line: Int?
    public let message: String

    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }
}

/// Finds the `hanpipe.toml` that applies to a file: the one in the file's folder or the closest folder
/// above it. There is no merging. The search stops after a folder holding `.git` (a folder, or the file
/// a worktree has) or at the root. Results are cached per folder, so walking a tree reads each config
/// file once; the cache is safe to use from several threads.
public final class ConfigDiscovery: @unchecked Sendable {
    /// The file name looked for.
    public static let fileName = "hanpipe.toml"

    public let stageNames: [String]

    /// `stageNames` is the list `skip` is checked against (`Pipeline.stageNames`).
    public init(stageNames: [String]) {
        self.stageNames = stageNames
    }

    /// The config for the file at `path` (relative to the working directory or absolute), or `nil` when
    /// no `hanpipe.toml` applies. Throws `ConfigError` when the file found is bad.
    public func config(forFile path: String) throws -> ConfigFile? {
        try config(forFolder: ConfigPath.parent(ConfigPath.absolute(path)))
    }

    /// The config for standard input: found from the folder of `stdinFilename` (`--stdin-filename`) when
    /// given, from the working directory otherwise.
    public func configForStandardInput(stdinFilename: String?) throws -> ConfigFile? {
        if let stdinFilename, !stdinFilename.isEmpty, stdinFilename != "-" {
            return try config(forFile: stdinFilename)
        }
        return try config(forFolder: ConfigPath.absolute("."))
    }

    /// The config for files in `folder` (absolute).
    public func config(forFolder folder: String) throws -> ConfigFile? {
        let start = ConfigPath.normalise(folder)
        var visited: [String] = []
        var current = start
        var found: String?
        while true {
            if let cached = lock.withLock({ folders[current] }) {
                found = cached
                break
            }
            visited.append(current)
            let candidate = current == "/" ? "/" + Self.fileName : current + "/" + Self.fileName
            if ConfigPath.isRegularFile(candidate) { found = candidate; break }
            if current == "/" || ConfigPath.exists(current + "/.git") { break }
            current = ConfigPath.parent(current)
        }
        lock.withLock { for folder in visited { folders[folder] = .some(found) } }
        guard let path = found else { return nil }
        if let result = lock.withLock({ parsed[path] }) { return try result.get() }
        let result = Result { try ConfigFile.load(path: path, stageNames: stageNames) }
        lock.withLock { parsed[path] = result.mapError { $0 as! ConfigError } }
        return try result.get()
    }

    // MARK: - Internals

    private let lock = NSLock()
    /// Folder → the config path that applies to it (`.some(nil)`: none).
    private var folders: [String: String?] = [:]
    /// Config path → its parse result.
    private var parsed: [String: Result<ConfigFile, ConfigError>] = [:]
}

/// Path helpers: lexical normalisation (`.`, `..`, repeated slashes), no symlink resolution, so that the
/// folders searched are the ones the user named.
enum ConfigPath {
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return normalise(path) }
        return normalise(FileManager.default.currentDirectoryPath + "/" + path)
    }

    static func normalise(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func parent(_ absolute: String) -> String {
        guard let slash = absolute.lastIndex(of: "/"), absolute != "/" else { return "/" }
        return slash == absolute.startIndex ? "/" : String(absolute[..<slash])
    }

    /// Relative to the working directory when below it.
    static func display(_ absolute: String) -> String {
        let cwd = normalise(FileManager.default.currentDirectoryPath)
        if cwd != "/" && absolute.hasPrefix(cwd + "/") { return String(absolute.dropFirst(cwd.count + 1)) }
        return absolute
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func isRegularFile(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let message = strerror(Int32(underlying.code)) {
            return String(cString: message)
        }
        return ns.localizedDescription
    }
}

/// Finds the line where a top-level key is defined, since TOMLKit gives no positions for values: a line
/// `key = …` (bare, `"quoted"` or `'quoted'`, possibly dotted `key.sub = …`) before the first table
/// header, or a header `[key]`, `[key.sub]`, `[[key]]`. Lines inside multi-line strings are skipped.
struct KeyLines {
    private var lines: [String: Int] = [:]

    init(_ text: String) {
        var inTable = false
        var multiline: String?  // the closing delimiter of an open multi-line string
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = Substring(raw)
            if let close = multiline {
                if line.range(of: close) != nil { multiline = nil }
                continue
            }
            line = line.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("[") {
                let header = line.drop { $0 == "[" }.drop { $0 == " " || $0 == "\t" }
                if let key = KeyLines.firstKey(header), lines[key] == nil { lines[key] = number }
                inTable = true
                continue
            }
            guard !inTable, let key = KeyLines.firstKey(line) else { continue }
            if lines[key] == nil { lines[key] = number }
            // A value opening a multi-line string that does not close on this line.
            for delimiter in ["\"\"\"", "'''"] {
                if let open = line.range(of: delimiter),
                   line[open.upperBound...].range(of: delimiter) == nil {
                    multiline = delimiter
                    break
                }
            }
        }
    }

    func line(of key: String) -> Int? { lines[key] }

    /// The first component of a key at the start of `s`.
    static func firstKey(_ s: Substring) -> String? {
        guard let first = s.first else { return nil }
        if first == "\"" || first == "'" {
            let body = s.dropFirst()
            guard let end = body.firstIndex(of: first) else { return nil }
            let key = String(body[..<end])
            // Basic strings may hold escapes; the keys hanpipe knows have none, so unescaped text is enough.
            return key
        }
        let key = s.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return key.isEmpty ? nil : String(key)
    }
}

/// An `exclude` glob, matched against a `/`-separated path relative to the config file's folder.
///
/// Rule (fnmatch with `FNM_PATHNAME`, plus `**`): `*` matches any run of characters other than `/`, `?`
/// one such character, `[abc]`, `[a-z]`, `[!a-z]` (or `[^a-z]`) one character of a set, `\x` the
/// character `x`; a path component that is exactly `**` matches zero or more components. A glob without
/// `/` is matched against every component (so `*.bak` or `drafts` apply at any depth); a glob with `/`
/// is anchored at the config file's folder (a leading `/` is dropped). A glob that matches a folder
/// excludes everything below it. A trailing `/` is ignored.
///
/// Worst case: O(components × glob components) component matches, each O(characters × pattern length).
public struct Glob: Sendable, Equatable {
    public let pattern: String
    private let parts: [[Character]]
    private let anchored: Bool

    public init(_ pattern: String) {
        self.pattern = pattern
        var p = Substring(pattern)
        while p.hasSuffix("/") { p = p.dropLast() }
        anchored = p.contains("/")
        while p.hasPrefix("/") { p = p.dropFirst() }
        parts = p.split(separator: "/", omittingEmptySubsequences: true).map { Array($0) }
    }

    /// Whether the relative path `path`, or a folder above it, matches.
    public func matches(_ path: String) -> Bool {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0) }
        if parts.isEmpty { return false }
        if !anchored {
            let part = parts[0]
            if part == ["*", "*"] { return !components.isEmpty }
            return components.contains { Glob.matchComponent(part[...], $0[...]) }
        }
        // The path or any folder above it.
        for end in stride(from: components.count, through: 1, by: -1) where matchParts(components[..<end]) {
            return true
        }
        return false
    }

    /// Matches glob components against path components; `**` by dynamic programming over positions.
    private func matchParts(_ components: ArraySlice<[Character]>) -> Bool {
        let n = parts.count, m = components.count
        // reach[j]: glob parts[..<i] can match components[..<j].
        var reach = [Bool](repeating: false, count: m + 1)
        reach[0] = true
        for i in 0..<n {
            var next = [Bool](repeating: false, count: m + 1)
            let part = parts[i]
            if part == ["*", "*"] {
                var any = false
                for j in 0...m { any = any || reach[j]; next[j] = any }
            } else {
                for j in 0..<m where reach[j] {
                    if Glob.matchComponent(part[...], components[components.startIndex + j][...]) { next[j + 1] = true }
                }
            }
            reach = next
        }
        return reach[m]
    }

    /// fnmatch on one component: `*`, `?`, `[…]`, `\`. Greedy with one backtrack point, linear in practice.
    static func matchComponent(_ pattern: ArraySlice<Character>, _ name: ArraySlice<Character>) -> Bool {
        var p = pattern.startIndex, s = name.startIndex
        var starP: Int?, starS = 0
        while s < name.endIndex {
            if p < pattern.endIndex {
                let c = pattern[p]
                if c == "*" {
                    starP = p; starS = s; p += 1; continue
                }
                if c == "?" { p += 1; s += 1; continue }
                if c == "[", let (matched, end) = matchClass(pattern, from: p, name[s]) {
                    if matched { p = end; s += 1; continue }
                } else if c == "\\", p + 1 < pattern.endIndex {
                    if pattern[p + 1] == name[s] { p += 2; s += 1; continue }
                } else if c == name[s] {
                    p += 1; s += 1; continue
                }
            }
            guard let star = starP else { return false }
            p = star + 1; starS += 1; s = starS
        }
        while p < pattern.endIndex && pattern[p] == "*" { p += 1 }
        return p == pattern.endIndex
    }

    /// A `[…]` set at `start`: whether `c` is in it and the index after `]`; `nil` when the `[` does not
    /// open a set (it then matches itself).
    private static func matchClass(_ pattern: ArraySlice<Character>, from start: Int, _ c: Character) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < pattern.endIndex && (pattern[i] == "!" || pattern[i] == "^") { negate = true; i += 1 }
        var matched = false
        var first = true
        while i < pattern.endIndex {
            if pattern[i] == "]" && !first { return (matched != negate, i + 1) }
            first = false
            var low = pattern[i]
            if low == "\\" && i + 1 < pattern.endIndex { i += 1; low = pattern[i] }
            if i + 2 < pattern.endIndex && pattern[i + 1] == "-" && pattern[i + 2] != "]" {
                let high = pattern[i + 2]
                if low <= c && c <= high { matched = true }
                i += 3
            } else {
                if low == c { matched = true }
                i += 1
            }
        }
        return nil
    }
}
