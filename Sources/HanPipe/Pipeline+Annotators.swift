/// The annotation stages that come after segment (entities, numbers), in pipeline order.
extension Pipeline {
    static func extraStages(options: Options, wanted: (String) -> Bool) -> [any Stage] {
        var stages: [any Stage] = []
        _ = options
        _ = wanted
        return stages
    }
}
