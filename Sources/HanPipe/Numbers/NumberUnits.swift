/// The units and measure words a number mention may carry, matched longest first.
///
/// Rule: a unit is taken when it directly follows the numeral (or its 多/余). Money units make the
/// mention `money`. Time units may take 多 after them (`4年多`). Single-character units that also begin
/// ordinary words (部 in 部门, 人 in 人民, 年 in 年轻) are *checked* units: the numbers stage keeps them
/// only when ICU's word breaker puts a word boundary after them (or the word after them is one of the
/// time-suffix words 年来, 年前, …). The list is written in Simplified; the Traditional forms are derived
/// once with ICU's `Hans-Hant` transliterator, so both scripts match without a second hand-made list.
/// No ICU service lists Chinese measure words: the single-character measure words come from CC-CEDICT
/// (generated into `MeasureWords`, see Scripts/gen/measure-words); the hand-made list adds the units,
/// currencies and multi-character measure words a dictionary does not mark as classifiers.
final class NumberUnits: Sendable {
    struct Unit: Sendable {
        let scalars: [UInt32]
        /// The unit as a string (made once, not per mention).
        let string: String
        let money: Bool
        let time: Bool
        let checked: Bool
    }

    static let shared = NumberUnits()

    /// Measure words and units (Simplified).
    static let plain: [String] = [
        "个", "项", "名", "位", "人", "次", "件", "家", "所", "座", "条", "张", "台", "辆", "架", "艘", "只", "头",
        "匹", "本", "部", "篇", "份", "种", "类", "批", "届", "期", "轮", "场", "套", "户", "口", "层", "栋", "幢",
        "间", "块", "片", "根", "支", "枚", "颗", "粒", "株", "棵", "首", "封", "笔", "例", "宗", "处", "段", "节",
        "章", "集", "卷", "册", "幅", "遍", "趟", "组", "对", "双", "副", "群", "支", "级", "票", "员", "列",
        "款", "剂", "针", "包", "箱", "袋", "瓶", "杯", "桶", "盏", "扇", "门",
        "顿", "阵", "步", "站", "圈", "行", "杆", "代", "句", "声", "股", "把", "堆", "串", "束", "朵", "则",
        "桩", "尾", "枝", "顶", "辈", "番", "眼", "届", "拨", "批次", "年度", "周年", "台套", "年代",
        "个百分点", "百分点", "人次", "剂次", "架次", "任", "起", "车次", "班次", "场次",
        "斤", "公斤", "千克", "克", "毫克", "吨", "米", "公里", "千米", "厘米", "毫米", "微米", "纳米", "英里",
        "海里", "英尺", "平方米", "平方公里", "平方千米", "立方米", "立方", "公顷", "亩", "升", "毫升",
        "瓦", "千瓦", "兆瓦", "千瓦时", "度", "摄氏度", "℃", "伏", "千伏", "赫兹", "兆赫", "倍", "成", "折",
        "分", "点", "时", "秒", "月", "半", "世纪", "季度", "周岁", "日", "年",
        "马力", "光年", "帧", "像素", "字", "页", "分贝", "卡", "千卡", "焦耳", "帕", "千帕", "安", "欧",
        "km", "kg", "cm", "mm", "m", "g", "t", "kW", "MW", "GW", "kWh", "GB", "MB", "TB", "PB", "EB", "Hz", "MHz", "GHz",
    ]
    /// Time units that may take 多 after them (`4年多`, `3个多月` is handled by the stage).
    static let time: [String] = ["年", "个月", "天", "小时", "个小时", "周", "星期", "个星期", "岁", "分钟", "秒钟", "周年", "个季度"]
    /// Currency units.
    static let money: [String] = ["元", "美元", "欧元", "日元", "英镑", "港元", "港币", "澳元", "加元", "卢布", "韩元",
                                  "法郎", "马克", "新台币", "台币", "澳门元", "块钱", "圆", "元人民币", "元钱"]
    /// Single-character units that never begin a longer word in practice: no ICU check needed.
    static let pureClassifiers: Set<String> = ["个", "项", "名", "位", "次", "件", "只", "条", "张", "辆", "架", "艘", "匹",
                                               "枚", "颗", "株", "棵", "座", "栋", "幢", "吨", "亩", "斤", "倍", "例", "届",
                                               "岁", "元", "圆", "米", "克", "升", "瓦", "℃", "余", "多"]

    /// Units by first character, longest first.
    private let byFirst: [UInt32: [Unit]]

    private init() {
        // Each unit string with its flags and the Simplified form it comes from.
        var all: [String: (money: Bool, time: Bool, simplified: String)] = [:]
        // Hand-made units first, then the measure words generated from CC-CEDICT (MeasureWords.swift).
        for u in NumberUnits.plain + MeasureWords.cedict where all[u] == nil { all[u] = (false, false, u) }
        for u in NumberUnits.time { all[u] = (false, true, u) }
        for u in NumberUnits.money { all[u] = (true, false, u) }
        // Traditional forms through ICU's Hans-Hant (项 → 項, 个 → 個, 吨 → 噸).
        var extra: [String: (money: Bool, time: Bool, simplified: String)] = [:]
        _ = try? ICUCache.hansToHant.with { t in
            for (u, flags) in all {
                if let out = try? t.apply(Array(u.utf16)[...]) {
                    let s = String(decoding: out, as: UTF16.self)
                    if s != u && all[s] == nil { extra[s] = flags }
                }
            }
        }
        // Variant Traditional forms in common use that the transliterator does not produce.
        for (s, t) in [("台", "臺"), ("只", "隻"), ("周", "週"), ("个", "箇")] where all[t] == nil && extra[t] == nil {
            if let flags = all[s] { extra[t] = flags }
        }
        for (k, v) in extra { all[k] = v }
        var table: [UInt32: [Unit]] = [:]
        for (u, flags) in all {
            let s = u.unicodeScalars.map(\.value)
            let checked = s.count == 1 && !NumberUnits.pureClassifiers.contains(flags.simplified)
            table[s[0], default: []].append(Unit(scalars: s, string: u, money: flags.money, time: flags.time, checked: checked))
        }
        for k in table.keys { table[k]!.sort { $0.scalars.count > $1.scalars.count } }
        byFirst = table
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        for c in table.keys where c < 0x10000 { bits[Int(c >> 6)] |= 1 << UInt64(c & 63) }
        firstBits = bits
    }

    /// One bit per BMP character: whether some unit starts with it.
    private let firstBits: [UInt64]

    /// Whether a unit may start with `c` (a quick test before `match`).
    @inline(__always) func mayStart(_ c: UInt32) -> Bool {
        c < 0x10000 && firstBits[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0
    }

    /// The longest unit at `i`, or nil.
    func match(_ text: Scalars, _ i: Int, _ limit: Int) -> Unit? {
        guard i < limit, let list = byFirst[text[i]] else { return nil }
        for u in list where i + u.scalars.count <= limit {
            var ok = true
            for k in 0..<u.scalars.count where text[i + k] != u.scalars[k] { ok = false; break }
            if ok {
                // ASCII units must not run on into a longer word (`5m` but not `5million`).
                if isASCIILetter(u.scalars.last!) && i + u.scalars.count < limit && isASCIILetter(text[i + u.scalars.count]) { continue }
                return u
            }
        }
        return nil
    }
}

@inline(__always) func isASCIILetter(_ c: UInt32) -> Bool { isASCIILower(c) || isASCIIUpper(c) }
