#!/usr/bin/env python3
"""Script conversion sentence accuracy, both directions, beside the converter peers.

Run through `Scripts/eval convert` (which builds the release binary and sets $HANPIPE).
Options: --errors N       print up to N wrong sentences per set for hanpipe (default 0);
         --direction t2s|s2t   one direction only;
         --dev            UD dev only (for choosing settings; UD test is for the report).
$HANPIPE_BEFORE: another hanpipe binary to show beside (e.g. release 0.1).

Sets (Simplified→Traditional uses the same pairs the other way, and OpenCC's `s2t` cases):
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
  - hanpipe's own cases (Fixtures/convert/*.tsv, lines `t2s|s2t<TAB>input<TAB>expected`).
  - `hanpipe ... --exact-icu` (ICU's output exactly) when the build has that option.
  - `uconv -x Hant-Hans` / `Hans-Hant` (ICU's transliterator), `opencc -c t2s|s2t|s2tw` (Debian's CLI),
    OpenCC's Python bindings and zhconv-rs (`zh-hans`; `zh-hant` and `zh-tw`), where installed.
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


def own_cases(direction):
    """The hand-written pitfall and dictionary-phrase cases in Fixtures/convert/*.tsv."""
    out = []
    folder = os.path.join(ROOT, "Fixtures", "convert")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".tsv"):
            continue
        pairs = []
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                d, src, gold = line.split("\t")
                if d == direction:
                    pairs.append((src, gold))
        if pairs:
            out.append((f"Fixtures {name}", pairs))
    return out


def sets(direction, splits):
    out = []
    for split in splits:
        path = os.path.join(EVAL, "ud", f"gsd-trad-simp-{split}.pairs.jsonl")
        if os.path.exists(path):
            recs = load(path)
            if direction == "t2s":
                pairs = [(r["traditional"], r["simplified"]) for r in recs]
            else:
                pairs = [(r["simplified"], r["traditional"]) for r in recs]
            out.append((f"UD GSD pairs {split}", pairs))
    path = os.path.join(EVAL, "opencc", "testcases.jsonl")
    if os.path.exists(path):
        config = "t2s" if direction == "t2s" else "s2t"
        out.append((f"OpenCC {config} cases", [(r["input"], r["expected"]) for r in load(path) if r["config"] == config]))
    return out + own_cases(direction)


# --- systems: each maps a list of input sentences to a list of outputs ----------------------------

def hanpipe_with(extra, target, exe=None):
    exe = exe or os.environ.get("HANPIPE") or os.path.join(ROOT, ".build", "release", "hanpipe")

    def run(inputs):
        inp = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(inputs))
        p = subprocess.run([exe, "clean", "--jsonl", "--to", target, *extra],
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


def opencc_python(config):
    try:
        import opencc
    except ImportError:
        return None
    conv = opencc.OpenCC(config)
    return lambda inputs: [conv.convert(t) for t in inputs]


def zhconv_rs(variant):
    try:
        from zhconv_rs import zhconv
    except ImportError:
        return None
    return lambda inputs: [zhconv(t, variant) for t in inputs]


def version(mod):
    try:
        import importlib.metadata as m
        return m.version(mod)
    except Exception:
        return "?"


def flag(pattern):
    """A hanpipe option matching `pattern`, if this build has it."""
    exe = os.environ.get("HANPIPE") or os.path.join(ROOT, ".build", "release", "hanpipe")
    h = subprocess.run([exe, "clean", "--help"], capture_output=True, text=True).stdout
    m = re.search(pattern, h)
    return m.group(1) if m else None


def systems(direction):
    target = "simplified" if direction == "t2s" else "traditional"
    only = ["--skip", "normalize,degloss"]
    out = [("hanpipe convert stage only", hanpipe_with(only, target))]
    exact = flag(r"(--exact-icu)")
    if exact:
        out.append((f"hanpipe convert stage only {exact}", hanpipe_with(only + [exact], target)))
    before = os.environ.get("HANPIPE_BEFORE")
    if before:
        out.append(("hanpipe convert stage only (HANPIPE_BEFORE)", hanpipe_with(only, target, before)))
    icu = flag(r"(--[a-z0-9-]*icu-convert[a-z0-9-]*)")
    if icu:
        out.append((f"hanpipe convert stage only {icu}", hanpipe_with(only + [icu], target)))
    out.append(("hanpipe clean (all stages)", hanpipe_with([], target)))
    uconv = "Hant-Hans" if direction == "t2s" else "Hans-Hant"
    if shutil.which("uconv"):
        out.append((f"uconv -x {uconv}", line_tool(["uconv", "-x", uconv])))
    configs = ["t2s"] if direction == "t2s" else ["s2t", "s2tw"]
    for config in configs:
        if shutil.which("opencc"):
            out.append((f"opencc -c {config} (CLI)", line_tool(["opencc", "-c", config])))
        f = opencc_python(config)
        if f:
            out.append((f"OpenCC {version('opencc')} Python {config}", f))
    for variant in (["zh-hans"] if direction == "t2s" else ["zh-hant", "zh-tw"]):
        f = zhconv_rs(variant)
        if f:
            out.append((f"zhconv-rs {version('zhconv-rs')} {variant}", f))
    return out


def main():
    show_errors = 0
    args = sys.argv[1:]
    directions = ["t2s", "s2t"]
    splits = ["test", "dev"]
    while args:
        a = args.pop(0)
        if a == "--errors":
            show_errors = int(args.pop(0))
        elif a == "--direction":
            directions = [args.pop(0)]
        elif a == "--dev":
            splits = ["dev"]
    print("Sentence accuracy of script conversion. exact: output equals the gold sentence; folded: the same")
    print("after mapping 「」『』 to “”‘’ on both sides (GSDSimp's quotation style, not a script change);")
    print("chars: wrong code points over all sentences (outputs of another length count every position).")
    for direction in directions:
        print()
        print("== Traditional→Simplified ==" if direction == "t2s" else "== Simplified→Traditional ==")
        evaluate(sets(direction, splits), systems(direction), show_errors)


def evaluate(data, syss, show_errors):
    width = max(len(s[0]) for s in syss) + 6
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
            if show_errors and name == "hanpipe convert stage only":
                shown = 0
                for i, (o, g) in enumerate(zip(outs, golds)):
                    if o.translate(FOLD) != g.translate(FOLD) and shown < show_errors:
                        diff = [f"{inputs[i][k] if k < len(inputs[i]) else ''}→{o[k]}≠{g[k]}"
                                for k in range(min(len(o), len(g))) if o[k] != g[k]]
                        print(f"    {' '.join(diff[:6]) or 'length differs'}   {g[:40]}")
                        shown += 1


if __name__ == "__main__":
    main()
