#if canImport(Glibc)
import Glibc
#endif

/// The C allocator's settings for hanpipe's pattern: every streamed chunk allocates and frees the same
/// few arrays of one to five megabytes. With glibc's defaults, arrays that size are mapped and unmapped
/// one by one, or the top of the heap is handed back to the system between chunks and faulted in again
/// by the next (which took up to a third of `clean`'s time, depending on the order of the frees). Here
/// they stay in the heap, and it is not trimmed: peak memory stays what the chunks need (a few chunks'
/// arrays, not the input), but pages are reused instead of zeroed anew.
enum Allocator {
    static func tune() {
        #if os(Linux)
        // M_MMAP_THRESHOLD (-3): blocks up to 32 MiB (glibc's maximum) come from the heap;
        // M_TRIM_THRESHOLD (-1): the heap's free top is given back only beyond 256 MiB.
        _ = glibcMallopt(-3, 32 << 20)
        _ = glibcMallopt(-1, 256 << 20)
        #endif
    }
}

#if os(Linux)
/// glibc's `int mallopt(int, int)` (malloc.h, which the Glibc module does not export).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
