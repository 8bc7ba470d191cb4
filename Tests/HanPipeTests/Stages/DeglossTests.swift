import Testing
@testable import HanPipe

@Suite struct DeglossTests {
    func clean(_ s: String, _ target: Script = .keep) throws -> String {
        var options = Pipeline.Options()
        options.target = target
        options.annotate = false
        let job = Job(pipeline: try Pipeline(options: options))
        return try job.document(id: "t", bytes: Array(s.utf8)).text.string
    }

    @Test func removesRepeatedAndToneGlosses() throws {
        #expect(try clean("生(sheng)(sheng)態(tai)") == "生態")
        #expect(try clean("長(cháng)城") == "長城")
        #expect(try clean("長(chang2)城") == "長城")
        #expect(try clean("女(nü)人(ren)") == "女人")
        #expect(try clean("女(nv)女(nu:)") == "女女")
    }

    @Test func keepsRealParentheticals() throws {
        #expect(try clean("生態環境廳(ting)(局)") == "生態環境廳(局)")
        #expect(try clean("世界衛生組織(WHO)") == "世界衛生組織(WHO)")
        #expect(try clean("人工智能(ai)") == "人工智能(ai)")
        #expect(try clean("北京(Beijing)") == "北京(Beijing)")
        #expect(try clean("成立(2023)") == "成立(2023)")
    }

    @Test func multiSyllableAndNested() throws {
        #expect(try clean("長三角(chang san jiao)") == "長三角")
        #expect(try clean("長三角(changsanjiao)") == "長三角")
        #expect(try clean("(上海市(shi)金山區,浙江(jiang)省)") == "(上海市金山區，浙江省)")
    }

    @Test func zhuyin() throws {
        #expect(try clean("中(ㄓㄨㄥ)文(ㄨㄣˊ)") == "中文")
    }
}
