/// A named processor over the shared `Document`, like a spaCy pipeline component.
///
/// Each stage states its rule in its doc comment, has a stable `name` (used by `--skip`), and lists the
/// stages that must run before it (`requires`), checked once when the pipeline is built.
public protocol Stage: Sendable {
    /// The stable name used by `--skip` and in edit logs.
    var name: String { get }
    /// Names of stages that must come earlier in the pipeline when this one runs.
    var requires: [String] { get }
    /// Processes the document in place.
    func apply(to document: inout Document) throws
}

extension Stage {
    public var requires: [String] { [] }
}
