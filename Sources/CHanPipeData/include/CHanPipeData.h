// CHanPipeData: generated data files embedded into the hanpipe binary.
//
// The files live in Sources/CHanPipeData/data/ and are written by scripts in Scripts/ (each file's
// header or the README names its source and licence). They are pulled in with the assembler's
// .incbin, so the executable needs no resource bundle beside it. After regenerating a file, touch
// data.c (the build system does not track .incbin inputs).
#ifndef CHANPIPEDATA_H
#define CHANPIPEDATA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The embedded file named `name` (e.g. "readings.txt"); NULL when there is none.
const uint8_t *chanpipe_data(const char *name, int64_t *length);

#ifdef __cplusplus
}
#endif

#endif
