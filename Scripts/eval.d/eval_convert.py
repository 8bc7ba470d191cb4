#!/usr/bin/env python3
"""Traditional→Simplified sentence accuracy beside the converter peers.

Run through `Scripts/eval convert` (which builds the release binary and sets $HANPIPE).
Options: --errors N  print up to N wrong sentences per set for hanpipe (default 0).

Sets:
  - UD GSD→GSDSimp pairs, test and dev (../shared/eval/ud/gsd-trad-simp-*.pairs.jsonl): input the
    Traditional sentence, expect the Simplified one. GSDSimp was made with OpenCC plus manual fixes and
    also maps 「」『』 to “”‘’, which is a punctuation-style choice, not a script conversion; so two
    accuracies are shown: exact, and with those quotation marks folded together.
  - OpenCC's own `t2s` cases (../shared/eval/opencc/testcases.jsonl, config == "t2s"): these encode
    OpenCC's conventions, so OpenCC passes them by construction.

Systems, each run once per set over all sentences (one process, one sentence per line or record):
  - `hanpipe clean --jsonl --to simplified --skip normalize,degloss`: the convert stage alone. This is
    the fair comparison with a converter: normalize would (rightly, per the spec) turn full-width
    digits and letters into ASCII and degloss drop pinyin parentheticals, and the gold keeps both.
  - the same with the option that forces ICU's transliterator (`--icu-convert`), when the build has
    one: the fast table path must give the same output.
  - `hanpipe clean --jsonl --to simplified`: every cleaning stage on, for information.
  - `uconv -x Hant-Hans` (ICU's transliterator, the one hanpipe's convert stage is defined by),
    `opencc -c t2s` (Debian's CLI), OpenCC's Python bindings (`OpenCC("t2s")`) and zhconv-rs
    (`zhconv(text, "zh-hans")`), where installed.
"""
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EVAL = os.path.join(ROOT, "..", "shared", "eval")
FOLD = str.maketrans("「」『』", "“”‘’")


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def sets():
    out = []
    for split in ["test", "dev"]:
        path = os.path.join(EVAL, "ud", f"gsd-trad-simp-{split}.pairs.jsonl")
        if os.path.exists(path):
            out.append((f"UD GSD pairs {split}", [(r["traditional"], r["simplified"]) for r in load(path)]))
    path = os.path.join(EVAL, "opencc", "testcases.jsonl")
    if os.path.exists(path):
        out.append(("OpenCC t2s cases", [(r["input"], r["expected"]) for r in load(path) if r["config"] == "t2s"]))
    return out


# --- systems: each maps a list of input sentences to a list of outputs ----------------------------

def hanpipe_with(extra):
    exe = os.environ.get("HANPIPE") or os.path.join(ROOT, ".build", "release", "hanpipe")

    def run(inputs):
        inp = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(inputs))
        p = subprocess.run([exe, "clean", "--jsonl", "--to", "simplified", *extra],
                           input=inp.encode(), capture_output=True)
        if p.returncode != 0:
            raise RuntimeError(f"hanpipe exited {p.returncode}: {p.stderr.decode()[:500]}")
        recs = [json.loads(line) for line in p.stdout.decode().splitlines()]
        return [r["text"] for r in sorted(recs, key=lambda r: r["id"])]
    return run


def line_tool(argv):
    """A command that converts standard input line by line."""
    def run(inputs):
        p = subprocess.run(argv, input=("\n".join(inputs) + "\n").encode(), capture_output=True)
        if p.returncode != 0:
            raise RuntimeError(f"{argv[0]} exited {p.returncode}: {p.stderr.decode()[:300]}")
        out = p.stdout.decode().split("\n")
        return out[:len(inputs)]
    return run


def opencc_python():
    try:
        import opencc
    except ImportError:
        return None
    conv = opencc.OpenCC("t2s")
    return lambda inputs: [conv.convert(t) for t in inputs]


def zhconv_rs():
    try:
        from zhconv_rs import zhconv
    except ImportError:
        return None
    return lambda inputs: [zhconv(t, "zh-hans") for t in inputs]


def version(mod):
    try:
        import importlib.metadata as m
        return m.version(mod)
    except Exception:
        return "?"


def icu_only_flag():
    """The option that forces ICU's transliterator instead of the fast table path, if this build has one."""
    exe = os.environ.get("HANPIPE") or os.path.join(ROOT, ".build", "release", "hanpipe")
    h = subprocess.run([exe, "clean", "--help"], capture_output=True, text=True).stdout
    m = re.search(r"(--[a-z0-9-]*icu[a-z0-9-]*)", h)
    return m.group(1) if m else None


def systems():
    out = [("hanpipe convert stage only", hanpipe_with(["--skip", "normalize,degloss"]))]
    flag = icu_only_flag()
    if flag:
        out.append((f"hanpipe convert stage only {flag}", hanpipe_with(["--skip", "normalize,degloss", flag])))
    out.append(("hanpipe clean (all stages)", hanpipe_with([])))
    if shutil.which("uconv"):
        out.append(("uconv -x Hant-Hans", line_tool(["uconv", "-x", "Hant-Hans"])))
    if shutil.which("opencc"):
        out.append(("opencc -c t2s (CLI)", line_tool(["opencc", "-c", "t2s"])))
    f = opencc_python()
    if f:
        out.append((f"OpenCC {version('opencc')} Python t2s", f))
    f = zhconv_rs()
    if f:
        out.append((f"zhconv-rs {version('zhconv-rs')} zh-hans", f))
    return out


def main():
    show_errors = 0
    if sys.argv[1:2] == ["--errors"]:
        show_errors = int(sys.argv[2])
    data = sets()
    syss = systems()
    print("Traditional→Simplified sentence accuracy. exact: output equals the gold sentence; folded: the same")
    print("after mapping 「」『』 to “”‘’ on both sides (GSDSimp's quotation style, not a script change);")
    print("chars: wrong code points over all sentences (outputs of another length count every position).")
    width = max(len(s[0]) for s in syss)
    for set_name, pairs in data:
        inputs = [a for a, _ in pairs]
        golds = [b for _, b in pairs]
        print()
        print(f"{set_name + f' ({len(pairs)})':<{width}}  {'exact':>7} {'folded':>7} {'chars':>9}")
        for name, fn in syss:
            outs = fn(inputs)
            exact = sum(o == g for o, g in zip(outs, golds))
            folded = sum(o.translate(FOLD) == g.translate(FOLD) for o, g in zip(outs, golds))
            wrong = total = 0
            for o, g in zip(outs, golds):
                total += len(g)
                wrong += sum(a != b for a, b in zip(o, g)) if len(o) == len(g) else len(g)
            n = len(pairs)
            print(f"{name:<{width}}  {exact / n:7.2%} {folded / n:7.2%} {wrong:4d}/{total:<5d}")
            if show_errors and name.startswith("hanpipe convert"):
                shown = 0
                for i, (o, g) in enumerate(zip(outs, golds)):
                    if o.translate(FOLD) != g.translate(FOLD) and shown < show_errors:
                        diff = [f"{inputs[i][k] if k < len(inputs[i]) else ''}→{o[k]}≠{g[k]}"
                                for k in range(min(len(o), len(g))) if o[k] != g[k]]
                        print(f"    {' '.join(diff[:6]) or 'length differs'}   {g[:40]}")
                        shown += 1


if __name__ == "__main__":
    main()
