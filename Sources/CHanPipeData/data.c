#include "CHanPipeData.h"
#include <string.h>

// Each data file is embedded with C23 `#embed` as a 16-byte-aligned array followed by one NUL byte.
// Unlike the assembler's `.incbin` (used up to 0.1), `#embed` is read by the preprocessor, so clang lists
// each file in the dependency file it writes (-MD) and the build recompiles this file, and relinks
// hanpipe, whenever a data file changes. clang 21 (Swift 6.3's) accepts `#embed` in every C mode; in
// modes before C23 it is an extension, hence the pragma. Paths are relative to this file.
#pragma clang diagnostic ignored "-Wc23-extensions"

_Alignas(16) static const uint8_t readings[] = {
#embed "data/readings.txt" suffix(, 0)
};
_Alignas(16) static const uint8_t gazetteer[] = {
#embed "data/gazetteer.txt" suffix(, 0)
};
_Alignas(16) static const uint8_t clusters[] = {
#embed "data/clusters.txt" suffix(, 0)
};
_Alignas(16) static const uint8_t ner_model[] = {
#embed "data/ner-model.bin" suffix(, 0)
};
_Alignas(16) static const uint8_t conversion_hant_hans[] = {
#embed "data/conversion-Hant-Hans.txt" suffix(, 0)
};
_Alignas(16) static const uint8_t conversion_hans_hant[] = {
#embed "data/conversion-Hans-Hant.txt" suffix(, 0)
};
_Alignas(16) static const uint8_t phrases_hant_hans[] = {
#embed "data/conversion-phrases-Hant-Hans.txt" suffix(, 0)
};
_Alignas(16) static const uint8_t phrases_hans_hant[] = {
#embed "data/conversion-phrases-Hans-Hant.txt" suffix(, 0)
};
_Alignas(16) static const uint8_t conversion_variants[] = {
#embed "data/conversion-variants.txt" suffix(, 0)
};
_Alignas(16) static const uint8_t chars_hant_hans[] = {
#embed "data/conversion-chars-Hant-Hans.txt" suffix(, 0)
};
_Alignas(16) static const uint8_t chars_hans_hant[] = {
#embed "data/conversion-chars-Hans-Hant.txt" suffix(, 0)
};

struct entry { const char *name; const uint8_t *start; int64_t length; };

// The length excludes the NUL added after each file.
#define ENTRY(name, array) {name, array, (int64_t)sizeof(array) - 1}

const uint8_t *chanpipe_data(const char *name, int64_t *length) {
    static const struct entry table[] = {
        ENTRY("readings.txt", readings),
        ENTRY("gazetteer.txt", gazetteer),
        ENTRY("clusters.txt", clusters),
        ENTRY("ner-model.bin", ner_model),
        ENTRY("conversion-Hant-Hans.txt", conversion_hant_hans),
        ENTRY("conversion-Hans-Hant.txt", conversion_hans_hant),
        ENTRY("conversion-phrases-Hant-Hans.txt", phrases_hant_hans),
        ENTRY("conversion-phrases-Hans-Hant.txt", phrases_hans_hant),
        ENTRY("conversion-variants.txt", conversion_variants),
        ENTRY("conversion-chars-Hant-Hans.txt", chars_hant_hans),
        ENTRY("conversion-chars-Hans-Hant.txt", chars_hans_hant),
    };
    for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (strcmp(table[i].name, name) == 0) {
            *length = table[i].length;
            return table[i].start;
        }
    }
    *length = 0;
    return NULL;
}
