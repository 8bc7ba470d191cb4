/// numbers: number mentions (issue #3; not implemented yet, so it adds none).
public struct Numbers: Stage {
    public let name = "numbers"
    public init() {}
    public func apply(to document: inout Document) throws {}
}
