// The only file that includes ICU's headers. See include/CICU.h for why.
#include "CICU.h"

#include <string.h>
#include <unicode/utypes.h>
#include <unicode/uversion.h>
#include <unicode/utrans.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ucsdet.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/uloc.h>
#include <unicode/uenum.h>
#include <unicode/uregion.h>
#include <unicode/ucal.h>
#include <unicode/udat.h>

_Static_assert(sizeof(UChar) == sizeof(uint16_t), "UChar must be 16 bits");
_Static_assert(sizeof(UErrorCode) == sizeof(int32_t), "UErrorCode must be 32 bits");

void cicu_version(char *out, int32_t capacity) {
    UVersionInfo v;
    char buf[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(v);
    u_versionToString(v, buf);
    if (capacity <= 0) return;
    strncpy(out, buf, (size_t)capacity - 1);
    out[capacity - 1] = 0;
}

int32_t cicu_failure(int32_t status) { return U_FAILURE((UErrorCode)status) ? 1 : 0; }
const char *cicu_error_name(int32_t status) { return u_errorName((UErrorCode)status); }

// MARK: - Transliteration

cicu_translit *cicu_translit_open(const uint16_t *id, int32_t idLength, int32_t *status) {
    return (cicu_translit *)utrans_openU((const UChar *)id, idLength, UTRANS_FORWARD, NULL, 0, NULL, (UErrorCode *)status);
}
cicu_translit *cicu_translit_clone(const cicu_translit *t, int32_t *status) {
    return (cicu_translit *)utrans_clone((const UTransliterator *)t, (UErrorCode *)status);
}
void cicu_translit_close(cicu_translit *t) { if (t) utrans_close((UTransliterator *)t); }
int32_t cicu_translit_apply(cicu_translit *t, uint16_t *buffer, int32_t length, int32_t capacity, int32_t *status) {
    int32_t len = length, limit = length;
    utrans_transUChars((const UTransliterator *)t, (UChar *)buffer, &len, capacity, 0, &limit, (UErrorCode *)status);
    return len;
}
int32_t cicu_translit_rules(const cicu_translit *t, uint16_t *out, int32_t capacity, int32_t *status) {
    return utrans_toRules((const UTransliterator *)t, 0, (UChar *)out, capacity, (UErrorCode *)status);
}

// MARK: - Break iteration

cicu_breaker *cicu_breaker_open(int32_t kind, const char *locale, int32_t *status) {
    return (cicu_breaker *)ubrk_open((UBreakIteratorType)kind, locale, NULL, 0, (UErrorCode *)status);
}
void cicu_breaker_close(cicu_breaker *b) { if (b) ubrk_close((UBreakIterator *)b); }
int32_t cicu_breaker_boundaries(cicu_breaker *b, const uint16_t *text, int32_t length,
                                int32_t *boundaries, int32_t *ruleStatus, int32_t capacity, int32_t *status) {
    UBreakIterator *bi = (UBreakIterator *)b;
    ubrk_setText(bi, (const UChar *)text, length, (UErrorCode *)status);
    if (U_FAILURE(*(UErrorCode *)status)) return 0;
    int32_t n = 0;
    for (int32_t p = ubrk_next(bi); p != UBRK_DONE; p = ubrk_next(bi)) {
        if (n < capacity) {
            boundaries[n] = p;
            if (ruleStatus) ruleStatus[n] = ubrk_getRuleStatus(bi);
        }
        n++;
    }
    // Do not keep a pointer to the caller's buffer.
    ubrk_setText(bi, NULL, 0, (UErrorCode *)status);
    return n;
}

// MARK: - Normalization

static const UNormalizer2 *nfc(UErrorCode *status) { return unorm2_getNFCInstance(status); }

int32_t cicu_nfc_is_normalized(const uint16_t *text, int32_t length, int32_t *status) {
    const UNormalizer2 *n = nfc((UErrorCode *)status);
    if (U_FAILURE(*(UErrorCode *)status)) return 0;
    return unorm2_isNormalized(n, (const UChar *)text, length, (UErrorCode *)status) ? 1 : 0;
}
int32_t cicu_nfc_normalize(const uint16_t *text, int32_t length, uint16_t *out, int32_t capacity, int32_t *status) {
    const UNormalizer2 *n = nfc((UErrorCode *)status);
    if (U_FAILURE(*(UErrorCode *)status)) return 0;
    return unorm2_normalize(n, (const UChar *)text, length, (UChar *)out, capacity, (UErrorCode *)status);
}
int32_t cicu_nfc_has_boundary_before(uint32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *n = nfc(&status);
    if (U_FAILURE(status)) return 1;
    return unorm2_hasBoundaryBefore(n, (UChar32)c) ? 1 : 0;
}

// MARK: - Charset detection and conversion

int32_t cicu_detect_charset(const char *bytes, int32_t length, char *name, int32_t nameCapacity, int32_t *status) {
    UErrorCode *st = (UErrorCode *)status;
    UCharsetDetector *d = ucsdet_open(st);
    if (U_FAILURE(*st)) return -1;
    ucsdet_setText(d, bytes, length, st);
    const UCharsetMatch *m = ucsdet_detect(d, st);
    int32_t confidence = -1;
    if (U_SUCCESS(*st) && m) {
        const char *n = ucsdet_getName(m, st);
        confidence = ucsdet_getConfidence(m, st);
        if (U_SUCCESS(*st) && n && nameCapacity > 0) {
            strncpy(name, n, (size_t)nameCapacity - 1);
            name[nameCapacity - 1] = 0;
        }
    }
    ucsdet_close(d);
    return confidence;
}

cicu_converter *cicu_converter_open(const char *name, int32_t *status) {
    UErrorCode *st = (UErrorCode *)status;
    UConverter *c = ucnv_open(name, st);
    if (U_FAILURE(*st)) return NULL;
    ucnv_setToUCallBack(c, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, st);
    return (cicu_converter *)c;
}
void cicu_converter_close(cicu_converter *c) { if (c) ucnv_close((UConverter *)c); }
int32_t cicu_converter_to_utf16(cicu_converter *c, const char *bytes, int32_t length, int32_t flush,
                                uint16_t *out, int32_t capacity, int32_t *errorOffset, int32_t *status) {
    UErrorCode *st = (UErrorCode *)status;
    UChar *target = (UChar *)out;
    const char *source = bytes;
    ucnv_toUnicode((UConverter *)c, &target, (UChar *)out + capacity, &source, bytes + length, NULL, flush ? 1 : 0, st);
    if (U_FAILURE(*st)) {
        char invalid[32];
        int8_t invalidLength = sizeof(invalid);
        UErrorCode s2 = U_ZERO_ERROR;
        ucnv_getInvalidChars((UConverter *)c, invalid, &invalidLength, &s2);
        int32_t consumed = (int32_t)(source - bytes);
        *errorOffset = consumed - (U_SUCCESS(s2) ? invalidLength : 0);
        if (*errorOffset < 0) *errorOffset = 0;
    }
    return (int32_t)(target - (UChar *)out);
}

void cicu_converter_reset(cicu_converter *c) { if (c) ucnv_reset((UConverter *)c); }

int32_t cicu_convert_from_utf16(const char *name, const uint16_t *text, int32_t length, char *out, int32_t capacity,
                                int32_t *status) {
    UErrorCode *st = (UErrorCode *)status;
    UConverter *c = ucnv_open(name, st);
    if (U_FAILURE(*st)) return 0;
    int32_t n = ucnv_fromUChars(c, out, capacity, (const UChar *)text, length, st);
    ucnv_close(c);
    return n;
}

// MARK: - Locale data

static int32_t append(uint16_t *out, int32_t capacity, int32_t at, const UChar *s, int32_t n) {
    for (int32_t i = 0; i < n; i++) if (at + i < capacity) out[at + i] = s[i];
    return at + n;
}
static int32_t append_ascii(uint16_t *out, int32_t capacity, int32_t at, const char *s) {
    for (; *s; s++, at++) if (at < capacity) out[at] = (uint16_t)(unsigned char)*s;
    return at;
}

int32_t cicu_region_names(const char *displayLocale, uint16_t *out, int32_t capacity, int32_t *status) {
    UErrorCode *st = (UErrorCode *)status;
    UEnumeration *e = uregion_getAvailable(URGN_TERRITORY, st);
    if (U_FAILURE(*st)) return 0;
    int32_t at = 0;
    const char *code;
    while ((code = uenum_next(e, NULL, st)) != NULL && U_SUCCESS(*st)) {
        if (code[0] >= '0' && code[0] <= '9') continue;  // numeric M.49 codes have no display names
        char locale[16] = "und_";
        strncat(locale, code, 8);
        UChar name[256];
        UErrorCode s2 = U_ZERO_ERROR;
        int32_t n = uloc_getDisplayCountry(locale, displayLocale, name, 256, &s2);
        if (U_FAILURE(s2) || n <= 0 || s2 == U_USING_DEFAULT_WARNING) continue;
        at = append_ascii(out, capacity, at, code);
        at = append_ascii(out, capacity, at, "\t");
        at = append(out, capacity, at, name, n);
        at = append_ascii(out, capacity, at, "\n");
    }
    uenum_close(e);
    return at;
}

int32_t cicu_exemplar_cities(const char *displayLocale, uint16_t *out, int32_t capacity, int32_t *status) {
    UErrorCode *st = (UErrorCode *)status;
    UEnumeration *e = ucal_openTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL_LOCATION, NULL, NULL, st);
    if (U_FAILURE(*st)) return 0;
    static const UChar pattern[] = {'V', 'V', 'V', 0};
    int32_t at = 0;
    int32_t idLength;
    const UChar *zone;
    while ((zone = uenum_unext(e, &idLength, st)) != NULL && U_SUCCESS(*st)) {
        UErrorCode s2 = U_ZERO_ERROR;
        UDateFormat *f = udat_open(UDAT_PATTERN, UDAT_PATTERN, displayLocale, zone, idLength, pattern, 3, &s2);
        if (U_FAILURE(s2)) continue;
        UChar city[256];
        int32_t n = udat_format(f, 0.0, city, 256, NULL, &s2);
        udat_close(f);
        if (U_FAILURE(s2) || n <= 0) continue;
        at = append(out, capacity, at, zone, idLength);
        at = append_ascii(out, capacity, at, "\t");
        at = append(out, capacity, at, city, n);
        at = append_ascii(out, capacity, at, "\n");
    }
    uenum_close(e);
    return at;
}
