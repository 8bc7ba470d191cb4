#include "CHanPipeData.h"
#include <string.h>

// Each EMBED(sym, "file") defines sym_start/sym_end around the file's bytes, NUL-terminated.
#define EMBED(sym, file)                                                   \
    __asm__(".section .rodata\n"                                           \
            ".balign 16\n"                                                 \
            ".global chanpipe_" #sym "_start\n"                            \
            "chanpipe_" #sym "_start:\n"                                   \
            ".incbin \"" file "\"\n"                                       \
            ".global chanpipe_" #sym "_end\n"                              \
            "chanpipe_" #sym "_end:\n"                                     \
            ".byte 0\n"                                                    \
            ".previous\n");                                                \
    extern const uint8_t chanpipe_##sym##_start[], chanpipe_##sym##_end[];

EMBED(readings, "readings.txt")
EMBED(gazetteer, "gazetteer.txt")
EMBED(ner_model, "ner-model.bin")
EMBED(conversion_hant_hans, "conversion-Hant-Hans.txt")
EMBED(conversion_hans_hant, "conversion-Hans-Hant.txt")
EMBED(phrases_hant_hans, "conversion-phrases-Hant-Hans.txt")
EMBED(phrases_hans_hant, "conversion-phrases-Hans-Hant.txt")
EMBED(conversion_variants, "conversion-variants.txt")
EMBED(chars_hant_hans, "conversion-chars-Hant-Hans.txt")
EMBED(chars_hans_hant, "conversion-chars-Hans-Hant.txt")

struct entry { const char *name; const uint8_t *start; const uint8_t *end; };

const uint8_t *chanpipe_data(const char *name, int64_t *length) {
    const struct entry table[] = {
        {"readings.txt", chanpipe_readings_start, chanpipe_readings_end},
        {"gazetteer.txt", chanpipe_gazetteer_start, chanpipe_gazetteer_end},
        {"ner-model.bin", chanpipe_ner_model_start, chanpipe_ner_model_end},
        {"conversion-Hant-Hans.txt", chanpipe_conversion_hant_hans_start, chanpipe_conversion_hant_hans_end},
        {"conversion-Hans-Hant.txt", chanpipe_conversion_hans_hant_start, chanpipe_conversion_hans_hant_end},
        {"conversion-phrases-Hant-Hans.txt", chanpipe_phrases_hant_hans_start, chanpipe_phrases_hant_hans_end},
        {"conversion-phrases-Hans-Hant.txt", chanpipe_phrases_hans_hant_start, chanpipe_phrases_hans_hant_end},
        {"conversion-variants.txt", chanpipe_conversion_variants_start, chanpipe_conversion_variants_end},
        {"conversion-chars-Hant-Hans.txt", chanpipe_chars_hant_hans_start, chanpipe_chars_hant_hans_end},
        {"conversion-chars-Hans-Hant.txt", chanpipe_chars_hans_hant_start, chanpipe_chars_hans_hant_end},
    };
    for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (strcmp(table[i].name, name) == 0) {
            *length = table[i].end - table[i].start;
            return table[i].start;
        }
    }
    *length = 0;
    return NULL;
}
