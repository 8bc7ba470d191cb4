/// The annotation stages that come after segment (entities, numbers), in pipeline order.
extension Pipeline {
    static func extraStages(options: Options, wanted: (String) -> Bool) throws -> [any Stage] {
        var stages: [any Stage] = []
        if wanted("entities") { stages.append(try Entities(modelPath: options.nerModelPath, dictionaries: options.entityDictionaries)) }
        if wanted("numbers") { stages.append(Numbers()) }
        return stages
    }
}
