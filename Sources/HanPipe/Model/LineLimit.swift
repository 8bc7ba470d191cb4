/// The `--max-line-bytes` limit: the one rule for how long an input line may be, shared by the stream
/// decoder (every command's input) and the JSON Lines reader (`--jsonl`), so that both refuse the same
/// lines with the same message.
///
/// A line's length is counted in input bytes, without its line feed (a CR before the LF counts). In
/// UTF-16 input, where byte 0x0A is not a line feed, the length is counted after decoding, two bytes
/// per code unit. A refused line is reported as ``HanPipeError/lineTooLong(offset:limit:)`` at the byte
/// offset where it starts. Checking is O(1) per line; the readers find the line ends.
public struct LineLimit: Sendable, Equatable {
    /// The default limit: 256 MiB.
    public static let defaultBytes = 256 << 20

    /// The longest line accepted, in bytes (at least 1).
    public let bytes: Int

    public init(bytes: Int = LineLimit.defaultBytes) {
        self.bytes = bytes
    }

    /// Whether a line of `length` bytes is longer than the limit.
    @inline(__always) public func refuses(length: Int) -> Bool { length > bytes }

    /// The error for a refused line starting at byte `offset`.
    public func error(lineAt offset: Int) -> HanPipeError { .lineTooLong(offset: offset, limit: bytes) }

    /// Throws ``error(lineAt:)`` when the line starting at byte `offset` is `length` bytes long and that
    /// is over the limit.
    @inline(__always) public func check(lineAt offset: Int, length: Int) throws {
        if length > bytes { throw error(lineAt: offset) }
    }
}
