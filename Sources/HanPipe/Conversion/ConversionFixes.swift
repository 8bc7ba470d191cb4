/// ICU's own conversion defects, fixed in the compiled table that the default conversion (`.phrases`)
/// uses. `--exact-icu` (`Convert.Mode.icuTable`) and `--icu-convert` keep ICU's rules as they are.
///
/// Rule: each fix gives a context-free rule of ICU's a new replacement of the same length. A fix is
/// listed only where ICU's choice is not the everyday one in the target script, judged against OpenCC's
/// character tables (whose first candidate differs from ICU's) and confirmed on UD GSD dev and the
/// fixtures of `Fixtures/convert/`:
/// - Traditional→Simplified: 俱 stays 俱 (ICU: 具, so 俱樂部 → 具乐部); ICU's phrase 慰藉 > 慰借 becomes
///   慰藉; 諮 → 咨 (咨询, ICU: 谘); 逕 → 径 (径自, ICU: 迳); 鉅 → 巨 (巨额, ICU: 钜); 襬 → 摆 (下摆,
///   ICU: 䙓); 鏇 → 旋 (ICU: 镟); 阪 stays 阪 (大阪, ICU: 坂).
/// - Simplified→Traditional: 征 stays 征 (ICU: 徵, so 远征 → 遠徵); the words that take 徵 (特征,
///   征收, 象征, 征兆 …) come from the phrase layer. 宣布, 公布, 发布 keep 布 (ICU: 宣佈, 公佈, 發佈,
///   while ICU writes 分布, 散布, 遍布; UD dev has 宣布 twice and 宣佈 never, the Taiwan bench prose 布
///   about 300 times to 佈 11). Scripts/gen/conversion-phrases applies the same three to its phrases.
/// - Characters ICU leaves unconverted although they have one form in the target script
///   (`conversion-chars-*.txt`, from OpenCC's character tables by `Scripts/gen/conversion-phrases`):
///   459 Traditional characters (擡 → 抬, 冑 → 胄, 遶 → 绕) and, Simplified→Traditional, rare
///   simplified forms outside the main CJK block (𫫇 → 噁). They are appended after ICU's rules.
enum ConversionFixes {
    static let hantToHans: [(String, String)] = [
        ("俱", "俱"), ("慰藉", "慰藉"), ("諮", "咨"), ("逕", "径"), ("鉅", "巨"), ("襬", "摆"), ("鏇", "旋"), ("阪", "阪"),
    ]
    static let hansToHant: [(String, String)] = [
        ("征", "征"), ("宣布", "宣布"), ("公布", "公布"), ("发布", "發布"),
    ]

    /// The rules with the fixes of the transliterator `id` applied.
    static func apply(to rules: ConversionRules, id: String) -> ConversionRules {
        var rules = rules
        for (key, replacement) in id == "Hant-Hans" ? hantToHans : hansToHant {
            _ = rules.override(key: Scalars(scalarsOf: key), with: Scalars(scalarsOf: replacement))
        }
        for (key, replacement) in PhraseTables.missingCharacters(id: id) {
            if let replacement { rules.append(key: key, replacement: replacement) }
        }
        return rules
    }
}
