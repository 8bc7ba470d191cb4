#!/usr/bin/env python3
"""Mojibake recovery and false positives of the repair stage, beside ftfy.

Run through `Scripts/eval repair` (which builds the release binary and sets $HANPIPE).
Options: --split dev|test (default test; thresholds were chosen on dev), --errors N (print N failures
per way), --speed-runs N (default 9; 0 leaves the speed table out), --speed-only.

Recovery. Every UD Chinese GSD sentence of the split (../shared/eval/ud, Traditional and Simplified,
500 + 500) is garbled in each supported way, and a garbled sentence counts as recovered when
`hanpipe clean` of it equals `hanpipe clean` of the original, byte for byte. A way applies to the
sentences that its charset can encode (GBK: the Simplified ones, Big5: the Traditional ones; the UTF-8
ways: all). The ways:

    utf8-as-cp1252        UTF-8 bytes read as Windows-1252 the way browsers and ICU read it (the five
                          bytes it leaves undefined become U+0081 U+008D U+008F U+0090 U+009D)
    utf8-as-cp1252-lossy  the same, with those five bytes dropped (Python's errors="ignore")
    utf8-as-latin1        UTF-8 bytes read as Latin-1
    gbk-as-latin1         GBK bytes read as Latin-1
    gbk-as-cp1252         GBK bytes read as Windows-1252 (browser style)
    big5-as-latin1        Big5 bytes read as Latin-1
    big5-as-cp1252        Big5 bytes read as Windows-1252 (browser style)
    utf8-as-gbk           UTF-8 bytes read as GB18030. Whole sentences are almost never valid GB18030
                          (a clause with an odd number of characters leaves a lone byte, which a
                          reader turns into U+FFFD or "?", beyond exact repair), so this way works on
                          clauses (cut after ，。；：、！？) whose bytes decode as GB18030 with no error

ftfy (PyPI) is run on the ways it claims (UTF-8 read as Windows-1252 or Latin-1) with
`ftfy.fix_encoding`, its mojibake repair alone (`fix_text` would also fold full-width punctuation such
as `，` to ASCII, which no Chinese pipeline wants); its output then goes through
`hanpipe clean --skip repair`, so the row compares the repairs alone.

False positives. `hanpipe clean` with and without `--skip repair` on clean text: all 2,000 UD
sentences (dev and test, both scripts), the two bench corpora (one article per line) and the seed
article; a line counts when the outputs differ.

Speed. `hanpipe clean` (release build) over the two bench corpora concatenated (15.3 MB), with repair
(the default) and with `--skip repair`, runs interleaved; medians of wall time and CPU time (user +
system), and the ratio of throughputs. CPU time is the steadier figure on a shared machine.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EVAL = os.path.join(ROOT, "..", "shared", "eval")
HANPIPE = os.environ.get("HANPIPE", os.path.join(ROOT, ".build", "release", "hanpipe"))

CP1252 = {}
for b in range(0x80, 0xA0):
    try:
        CP1252[b] = bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        CP1252[b] = None


def cp1252(bs, lossy=False):
    out = []
    for b in bs:
        if 0x80 <= b < 0xA0:
            c = CP1252[b]
            if c is None:
                if lossy:
                    continue
                c = chr(b)
            out.append(c)
        else:
            out.append(chr(b))
    return "".join(out)


def latin1(bs):
    return bs.decode("latin-1")


WAYS = [
    ("utf8-as-cp1252", "all", lambda s: cp1252(s.encode("utf-8"))),
    ("utf8-as-cp1252-lossy", "all", lambda s: cp1252(s.encode("utf-8"), lossy=True)),
    ("utf8-as-latin1", "all", lambda s: latin1(s.encode("utf-8"))),
    ("gbk-as-latin1", "simp", lambda s: latin1(s.encode("gbk"))),
    ("gbk-as-cp1252", "simp", lambda s: cp1252(s.encode("gbk"))),
    ("big5-as-latin1", "trad", lambda s: latin1(s.encode("big5"))),
    ("big5-as-cp1252", "trad", lambda s: cp1252(s.encode("big5"))),
    ("utf8-as-gbk", "clauses", lambda s: s.encode("utf-8").decode("gb18030")),
]
FTFY_WAYS = {"utf8-as-cp1252", "utf8-as-cp1252-lossy", "utf8-as-latin1"}


def sentences(name):
    out = []
    with open(os.path.join(EVAL, "ud", name), encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            for a, b in doc["sentences"]:
                s = doc["text"][a:b].strip()
                if s:
                    out.append(s)
    return out


def clean_lines(texts, *extra):
    """hanpipe clean over many texts at once (JSON Lines), in order."""
    payload = "".join(json.dumps({"id": str(k), "text": t}, ensure_ascii=False) + "\n" for k, t in enumerate(texts))
    r = subprocess.run([HANPIPE, "clean", "--jsonl", *extra], input=payload.encode("utf-8"),
                       stdout=subprocess.PIPE, check=False)
    if r.returncode not in (0, 3):
        sys.exit(f"hanpipe clean failed ({r.returncode})")
    out = [json.loads(l)["text"] for l in r.stdout.decode("utf-8").splitlines()]
    assert len(out) == len(texts)
    return out


def clean_file_lines(path, *extra):
    r = subprocess.run([HANPIPE, "clean", *extra, path], stdout=subprocess.PIPE, check=True)
    return r.stdout.decode("utf-8").split("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=["dev", "test"], default="test")
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--speed-runs", type=int, default=9)
    ap.add_argument("--speed-only", action="store_true")
    args = ap.parse_args()
    try:
        import ftfy
    except ImportError:
        ftfy = None

    if args.speed_only:
        speed(args.speed_runs)
        return
    simp = sentences(f"gsdsimp-{args.split}.sentences.jsonl")
    trad = sentences(f"gsd-trad-{args.split}.sentences.jsonl")
    clauses = [c for s in simp + trad for c in re.findall(r"[^，。；：、！？]+[，。；：、！？]*", s)]
    pool = {"simp": simp, "trad": trad, "all": simp + trad, "clauses": clauses}
    print(f"Repair: recovery on UD GSD {args.split} ({len(simp)} Simplified + {len(trad)} Traditional sentences); "
          f"recovered = clean(garbled) == clean(original)")
    print()
    print(f"| way | sentences | hanpipe | ftfy {ftfy.__version__ if ftfy else '(not installed)'} |")
    print("| --- | ---: | ---: | ---: |")
    for name, which, garble in WAYS:
        originals, garbled = [], []
        for s in pool[which]:
            try:
                g = garble(s)
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if g == s:
                continue  # nothing garbled (pure ASCII)
            originals.append(s)
            garbled.append(g)
        want = clean_lines(originals)
        got = clean_lines(garbled)
        ok = sum(a == b for a, b in zip(want, got))
        cell_ftfy = "n/a"
        if ftfy is not None and name in FTFY_WAYS:
            fixed = clean_lines([ftfy.fix_encoding(g) for g in garbled], "--skip", "repair")
            cell_ftfy = f"{sum(a == b for a, b in zip(want, fixed)) / len(want):.1%}"
        print(f"| {name} | {len(want)} | {ok / len(want):.1%} ({ok}) | {cell_ftfy} |")
        shown = 0
        for o, g, a, b in zip(originals, garbled, want, got):
            if a != b and shown < args.errors:
                print(f"    want {a!r}\n    got  {b!r}\n    from {g!r}")
                shown += 1

    print()
    print("False positives: lines that `clean` changes differently with repair on (should be 0)")
    print()
    print("| clean text | lines | changed by repair |")
    print("| --- | ---: | ---: |")
    ud = []
    for split in ("dev", "test"):
        ud += sentences(f"gsdsimp-{split}.sentences.jsonl") + sentences(f"gsd-trad-{split}.sentences.jsonl")
    a, b = clean_lines(ud), clean_lines(ud, "--skip", "repair")
    print(f"| UD GSD sentences (dev + test, both scripts) | {len(ud)} | {sum(x != y for x, y in zip(a, b))} |")
    files = [os.path.join(EVAL, "bench", "corpus-zh.txt"), os.path.join(EVAL, "bench", "corpus-zh-hant.txt")]
    seeds = os.path.join(ROOT, "..", "shared", "seeds")
    if os.path.isdir(seeds):
        files += [os.path.join(seeds, f) for f in sorted(os.listdir(seeds))]
    for path in files:
        a, b = clean_file_lines(path), clean_file_lines(path, "--skip", "repair")
        changed = sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b))
        print(f"| {os.path.relpath(path, ROOT)} | {len(a) - 1} | {changed} |")

    if args.speed_runs > 0:
        speed(args.speed_runs)


def timed(cmd):
    """Wall and CPU seconds of one process, its output thrown away."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen(cmd, stdout=null)
        _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{cmd} failed")
    return wall, usage.ru_utime + usage.ru_stime


def speed(runs):
    with tempfile.NamedTemporaryFile(suffix=".txt") as f:
        for name in ("corpus-zh.txt", "corpus-zh-hant.txt"):
            with open(os.path.join(EVAL, "bench", name), "rb") as src:
                f.write(src.read())
        f.flush()
        size = os.path.getsize(f.name) / 1e6
        rows = {"repair on (default)": [], "--skip repair": []}
        for _ in range(runs):
            rows["repair on (default)"].append(timed([HANPIPE, "clean", f.name]))
            rows["--skip repair"].append(timed([HANPIPE, "clean", "--skip", "repair", f.name]))
    print()
    print(f"Speed: `hanpipe clean` over the bench corpora ({size:.1f} MB), median of {runs} interleaved runs; "
          f"load average {os.getloadavg()[0]:.1f}")
    print()
    print("| clean | wall s (median) | MB/s | CPU s (median) | CPU s (best) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    med = {}
    for k, v in rows.items():
        wall = statistics.median(w for w, _ in v)
        cpu = statistics.median(c for _, c in v)
        best = min(c for _, c in v)
        med[k] = (wall, cpu, best)
        print(f"| {k} | {wall:.3f} | {size / wall:.1f} | {cpu:.3f} | {best:.3f} |")
    on, off = med["repair on (default)"], med["--skip repair"]
    print(f"\nThroughput with repair / without: wall {off[0] / on[0]:.3f}, CPU {off[1] / on[1]:.3f} (median), "
          f"{off[2] / on[2]:.3f} (best) "
          f"(1.000 = no cost; below 0.900 would miss the 10% target)")


if __name__ == "__main__":
    main()
