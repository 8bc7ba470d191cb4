// CHanPipeData: generated data files embedded into the hanpipe binary.
//
// The files live in Sources/CHanPipeData/data/ and are written by the scripts in Scripts/gen/ (run them
// all with Scripts/gen-all) or trained by Scripts/train-ner; data/README.md lists each file's generator,
// inputs and licence. data.c pulls them in with C23 #embed, so the executable needs no resource bundle
// beside it, and the build tracks them: a changed data file is re-embedded by the next `swift build`.
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
