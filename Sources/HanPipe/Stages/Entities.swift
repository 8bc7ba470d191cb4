/// entities: named entities PER, LOC, ORG (issue #4; not implemented yet, so it adds none).
public struct Entities: Stage {
    public let name = "entities"
    public var requires: [String] { [] }

    public init(modelPath: String?) throws {}

    public func apply(to document: inout Document) throws {}
}
