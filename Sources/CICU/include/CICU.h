// CICU: a thin C shim over the system ICU (libicu-dev, ICU 72 on Debian bookworm).
//
// Why it exists: Swift on Linux cannot import the system ICU headers into any module that also loads
// Foundation, because Foundation carries its own ICU copy (_FoundationICU) and clang rejects the second
// definition of UErrorCode and friends. The distro libraries also export only version-suffixed names
// (ubrk_open_72), which Swift cannot reach through ICU's renaming macros. So ICU's headers are included
// only by shim.c, and this header exposes plain <stdint.h> types and opaque pointers. Every symbol is
// prefixed `cicu_`. Handles are not thread-safe: clone one per thread.
#ifndef CICU_H
#define CICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Asks the CPU to bring the cache line at `p` into cache ahead of a read. Not ICU: it lives here because
/// this is hanpipe's one C header that Swift imports, and Swift has no prefetch of its own. The entity
/// tagger issues it for the weight slots of the characters ahead, so their cache misses overlap.
static inline void cicu_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

/// `acc[i] += q[i] * step` for 16 lanes, `q` signed 8-bit: the entity tagger's weight slot added to a
/// character's scores. In C, with clang's vector types, because Swift's generic SIMD conversion from Int8
/// to Float is an out-of-line call per slot and a plain C loop is left scalar when inlined into Swift.
typedef int8_t cicu_i8x16 __attribute__((ext_vector_type(16)));
typedef float cicu_f32x16 __attribute__((ext_vector_type(16)));
static inline void cicu_add_scaled_i8x16(float *acc, const void *q, float step) {
    cicu_i8x16 w;
    cicu_f32x16 a;
    __builtin_memcpy(&w, q, sizeof w);
    __builtin_memcpy(&a, acc, sizeof a);
    a += __builtin_convertvector(w, cicu_f32x16) * step;
    __builtin_memcpy(acc, &a, sizeof a);
}

/// ICU's version as "72.1" into `out` (NUL-terminated).
void cicu_version(char *out, int32_t capacity);

/// Returns nonzero when `status` is an ICU failure code.
int32_t cicu_failure(int32_t status);
/// ICU's name for an error code (static string).
const char *cicu_error_name(int32_t status);

// MARK: - Transliteration

typedef struct cicu_translit cicu_translit;
/// Opens a transliterator by ID (UTF-16), e.g. "Hant-Hans".
cicu_translit *cicu_translit_open(const uint16_t *id, int32_t idLength, int32_t *status);
cicu_translit *cicu_translit_clone(const cicu_translit *t, int32_t *status);
void cicu_translit_close(cicu_translit *t);
/// Transforms `buffer[0..<length]` in place. Returns the new length. If the result would exceed
/// `capacity`, status is U_BUFFER_OVERFLOW_ERROR and the buffer content is undefined.
int32_t cicu_translit_apply(cicu_translit *t, uint16_t *buffer, int32_t length, int32_t capacity, int32_t *status);
/// The transliterator's rule source (UTF-16). Returns the full length (preflight with capacity 0).
int32_t cicu_translit_rules(const cicu_translit *t, uint16_t *out, int32_t capacity, int32_t *status);

// MARK: - Break iteration

enum { CICU_BREAK_CHARACTER = 0, CICU_BREAK_WORD = 1, CICU_BREAK_LINE = 2, CICU_BREAK_SENTENCE = 3 };

typedef struct cicu_breaker cicu_breaker;
cicu_breaker *cicu_breaker_open(int32_t kind, const char *locale, int32_t *status);
void cicu_breaker_close(cicu_breaker *b);
/// Sets the text (UTF-16, must stay alive during the call) and writes every boundary after 0, in UTF-16
/// units, into `boundaries`, and the rule status of each into `ruleStatus` (may be NULL). Returns the
/// number of boundaries; if that exceeds `capacity`, only `capacity` are written.
int32_t cicu_breaker_boundaries(cicu_breaker *b, const uint16_t *text, int32_t length,
                                int32_t *boundaries, int32_t *ruleStatus, int32_t capacity, int32_t *status);

// MARK: - Normalization (NFC)

/// 1 when the UTF-16 text is already in NFC.
int32_t cicu_nfc_is_normalized(const uint16_t *text, int32_t length, int32_t *status);
/// NFC-normalizes `text` into `out`. Returns the output length (may exceed capacity: preflight).
int32_t cicu_nfc_normalize(const uint16_t *text, int32_t length, uint16_t *out, int32_t capacity, int32_t *status);
/// 1 when the code point always starts a new normalization segment (NFC).
int32_t cicu_nfc_has_boundary_before(uint32_t c);

// MARK: - Charset detection and conversion

/// Detects the charset of `bytes`. Writes the best match's ICU name (e.g. "GB18030", "Big5", "UTF-16LE")
/// into `name` and returns its confidence 0...100, or -1 when nothing matched.
int32_t cicu_detect_charset(const char *bytes, int32_t length, char *name, int32_t nameCapacity, int32_t *status);

typedef struct cicu_converter cicu_converter;
/// Opens a converter that stops at the first illegal or unmappable byte sequence.
cicu_converter *cicu_converter_open(const char *name, int32_t *status);
void cicu_converter_close(cicu_converter *c);
/// Converts a chunk of bytes to UTF-16. `flush` is nonzero for the last chunk. Returns the number of
/// UTF-16 units written. On an illegal sequence, status is a failure and `*errorOffset` is the byte offset
/// of the bad sequence within this chunk. `out` needs `length + 8` units.
int32_t cicu_converter_to_utf16(cicu_converter *c, const char *bytes, int32_t length, int32_t flush,
                                uint16_t *out, int32_t capacity, int32_t *errorOffset, int32_t *status);

/// Resets a converter's state (after an error, before converting an unrelated chunk).
void cicu_converter_reset(cicu_converter *c);
/// Converts UTF-16 text to the bytes of charset `name` in one call (unmappable characters become the
/// charset's substitution bytes). Returns the byte length (may exceed capacity: preflight with 0).
int32_t cicu_convert_from_utf16(const char *name, const uint16_t *text, int32_t length, char *out, int32_t capacity,
                                int32_t *status);

// MARK: - Locale data (for generated gazetteers)

/// Region (territory) display names in `displayLocale`, as UTF-16 lines "CODE\tNAME\n".
/// Returns the full length (preflight with capacity 0).
int32_t cicu_region_names(const char *displayLocale, uint16_t *out, int32_t capacity, int32_t *status);
/// Exemplar city names of every canonical time zone in `displayLocale`, as UTF-16 lines "ZONE\tCITY\n".
int32_t cicu_exemplar_cities(const char *displayLocale, uint16_t *out, int32_t capacity, int32_t *status);

#ifdef __cplusplus
}
#endif

#endif
