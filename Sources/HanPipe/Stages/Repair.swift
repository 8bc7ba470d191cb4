/// repair: undoes the damage scraped text carries inside valid bytes. The first stage after decode.
///
/// Rule:
/// 1. HTML character references are decoded (`CharacterReferences`): `&amp;` → `&`, `&ldquo;` → `“`,
///    `&#20013;` / `&#x4E2D;` → `中`, `&nbsp;` → a space; `AT&T` and `&unknown;` stay.
/// 2. Mojibake is undone by re-encoding a run with the charset it was wrongly read as and decoding the
///    bytes with the right one, through ICU's converters (`Mojibake`, `RepairCharset`):
///    - UTF-8, GB18030/GBK or Big5 bytes read as Latin-1 or Windows-1252 (`å‘å¸ƒ`, `·¢²¼` → `发布`):
///      a run is a stretch of characters that are all bytes of those charsets (ASCII included) starting
///      at a non-ASCII one; it is cut into chunks at the bytes that cannot start a character of the
///      right charset, each chunk is decoded, and the charset whose accepted chunks weigh most wins;
///    - UTF-8 bytes read as GBK/GB18030 (`鍙戝竷` → `发布`, `璁㈤槄` → `订阅`): a run starts at a
///      character whose GBK code begins like a three-byte UTF-8 character and goes on over characters
///      with a two-byte GBK code and ASCII while the bytes are valid UTF-8.
///    A decoded chunk is kept only when it is plausible Chinese (`Plausibility`): no control, private-use
///    or replacement character; for GB18030 and Big5 at least two Han characters of a high mean
///    frequency score with few rare ones; for UTF-8 read as GBK, a high mean score that beats the run as
///    it stood by a margin. Odd letters alone never trigger a repair, so `café`, `Müller`, `·`, `«»`,
///    `½`, rare characters and ordinary Chinese stay as they are.
/// Every decoded character replaces exactly the characters its bytes came from, as a `repair` edit, so
/// the source is rebuilt from text plus edits and offsets point at the garbled characters.
///
/// Worst case: linear. One pass lists the characters where a run can start (clean Chinese has next to
/// none, and then nothing else runs); each character belongs to at most one run; a run is tokenized
/// once per charset (three), and each byte is decoded by ICU at most twice per charset (in its chunk
/// and, if ICU refuses the chunk, alone); a character rebuilt from a lost byte tries at most ten
/// completions, each on a seven-character window of ICU's word breaker; GBK runs resume at the
/// character holding the first invalid byte, so no byte is tokenized more than twice. A character
/// reference reads at most 33 characters. Covered by `WorstCaseTests` (1 MB of adversarial runs).
public struct Repair: Stage {
    public let name = "repair"
    public init() {}

    public func apply(to document: inout Document) throws {
        let text = document.text
        var candidates = Mojibake.candidates(text)
        var referenced = false
        if candidates.ampersand {
            document.rewrite(stage: StageCode.repair) { r in
                var i = 0
                while i < text.count {
                    if text[i] == 0x26, let ref = CharacterReferences.reference(in: text, at: i) {
                        r.replace(i..<i + ref.length, with: ref.value)
                        referenced = true
                        i += ref.length
                    } else {
                        i += 1
                    }
                }
            }
        }
        if referenced { candidates = Mojibake.candidates(document.text) }
        guard !candidates.latin.isEmpty || !candidates.gbk.isEmpty else { return }
        var mojibake = Mojibake()
        let fixes = mojibake.fixes(in: document.text, candidates: candidates)
        guard !fixes.isEmpty else { return }
        document.rewrite(stage: StageCode.repair) { r in
            for fix in fixes { r.replace(fix.range, with: fix.replacement) }
        }
    }
}
