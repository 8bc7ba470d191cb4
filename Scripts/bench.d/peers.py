#!/usr/bin/env python3
"""The Python peers as whole processes, for Scripts/bench.

    peers.py opencc-t2s   FILE   OpenCC's Python bindings, OpenCC("t2s")
    peers.py zhconv-hans  FILE   zhconv-rs, zhconv(text, "zh-hans")
    peers.py jieba-posseg FILE   jieba.posseg, word/flag per token

Each reads FILE, writes the result to standard output and prints the seconds spent inside the
library call (after import and set-up) to standard error as `inproc <seconds>`. The converters get
their best case: one call on the whole text. jieba is called line by line, as it is meant to be used.
"""
import sys
import time


def main():
    what, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = sys.stdout
    if what == "opencc-t2s":
        import opencc
        conv = opencc.OpenCC("t2s")
        t0 = time.perf_counter()
        result = conv.convert(text)
        dt = time.perf_counter() - t0
        out.write(result)
    elif what == "zhconv-hans":
        from zhconv_rs import zhconv
        t0 = time.perf_counter()
        result = zhconv(text, "zh-hans")
        dt = time.perf_counter() - t0
        out.write(result)
    elif what == "jieba-posseg":
        import jieba
        import jieba.posseg as pseg
        jieba.setLogLevel(60)
        jieba.initialize()
        t0 = time.perf_counter()
        for line in text.splitlines(keepends=True):
            out.write(" ".join(f"{w.word}/{w.flag}" for w in pseg.cut(line)))
        dt = time.perf_counter() - t0
    else:
        sys.exit(f"peers.py: unknown peer {what}")
    out.flush()
    print(f"inproc {dt:.6f}", file=sys.stderr)


if __name__ == "__main__":
    main()
