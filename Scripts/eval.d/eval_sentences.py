#!/usr/bin/env python3
"""Sentence-boundary precision, recall and F1 on the UD Chinese GSD gold (../shared/eval/ud).

Run through `Scripts/eval sentences` (which builds the release binary and sets $HANPIPE).
Options: --errors N  print up to N boundary errors per file for hanpipe (default 0).

What is counted. A gold document is 10 treebank sentences concatenated with nothing between them;
the sentence spans tile the text. A *boundary* is a code-point offset into the gold text where one
sentence ends and the next begins. The end of the document is always a boundary and is not counted
(it would only inflate the figures). Whitespace between two sentences belongs to the earlier one: a
predicted sentence end is moved forward over whitespace before it is compared, so a system that
leaves spaces out of its spans is not penalised for that.

hanpipe's spans come from `hanpipe annotate --jsonl --to keep --skip entities,numbers` (the two
skipped stages run after segment and cannot change sentences). Its `sentences` offsets index the
clean text, which equals the gold text except for normalize edits, so each sentence end is taken
from `source_end`, which indexes the record's `text` as given, i.e. the gold text.

Peers: sentence splitting is not what the converter peers do, so the table shows two baselines,
labelled as such: a regex splitter (after a run of 。！？!? plus any closing quotes/brackets), and
ICU's sentence break iterator alone (through PyICU, when it is installed in .venv).
"""
import json
import os
import re
import subprocess
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UD = os.path.join(ROOT, "..", "shared", "eval", "ud")
BLOCKS = [
    ("test", ["gsd-trad-test.sentences.jsonl", "gsdsimp-test.sentences.jsonl"]),
    ("dev", ["gsd-trad-dev.sentences.jsonl", "gsdsimp-dev.sentences.jsonl"]),
]
WS = set(" \t\n\r\u3000\u00a0")


def cols(s):
    """Terminal columns of s: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def pad(s, width):
    return s + " " * max(0, width - cols(s))


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def boundaries(text, ends):
    """Set of interior boundary offsets from a list of sentence end offsets (see module doc)."""
    out = set()
    for e in ends:
        while e < len(text) and text[e] in WS:
            e += 1
        if 0 < e < len(text):
            out.add(e)
    return out


def gold_boundaries(doc):
    return boundaries(doc["text"], [end for _, end in doc["sentences"]])


# --- systems: each returns {id: [sentence end offsets into the gold text]} ----------------------------

def hanpipe(docs):
    exe = os.environ.get("HANPIPE") or os.path.join(ROOT, ".build", "release", "hanpipe")
    inp = "".join(json.dumps({"id": d["id"], "text": d["text"]}, ensure_ascii=False) + "\n" for d in docs)
    p = subprocess.run([exe, "annotate", "--jsonl", "--to", "keep", "--skip", "entities,numbers"],
                       input=inp.encode(), capture_output=True)
    if p.returncode != 0:
        raise RuntimeError(f"hanpipe exited {p.returncode}: {p.stderr.decode()[:500]}")
    out = {}
    for line in p.stdout.decode().splitlines():
        r = json.loads(line)
        out[r["id"]] = [s["source_end"] for s in r["sentences"]]
    return out


REGEX = re.compile(r"[。！？!?]+[」』”’）)]*")


def regex_baseline(docs):
    """Baseline: a sentence ends after a run of 。！？!? and any closing quotes or brackets, and at a line break."""
    out = {}
    for d in docs:
        ends = [m.end() for m in REGEX.finditer(d["text"])]
        ends += [i for i, c in enumerate(d["text"]) if c == "\n"]
        out[d["id"]] = ends
    return out


def icu_baseline():
    try:
        import icu  # PyICU
    except ImportError:
        return None

    def run(docs):
        out = {}
        for d in docs:
            text = d["text"]
            bi = icu.BreakIterator.createSentenceInstance(icu.Locale("zh"))
            bi.setText(icu.UnicodeString(text))
            # PyICU reports UTF-16 offsets; map them to code points.
            u16 = []
            for i, c in enumerate(text):
                u16.append(i)
                if ord(c) > 0xFFFF:
                    u16.append(i)
            u16.append(len(text))
            out[d["id"]] = [u16[b] for b in bi]
        return out
    return run


def score(docs, predicted):
    tp = fp = fn = 0
    errors = []
    for d in docs:
        gold = gold_boundaries(d)
        pred = boundaries(d["text"], predicted.get(d["id"], []))
        tp += len(gold & pred)
        for b in sorted(pred - gold):
            fp += 1
            errors.append(("extra", d, b))
        for b in sorted(gold - pred):
            fn += 1
            errors.append(("missed", d, b))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, tp, fp, fn, errors


def main():
    show_errors = 0
    args = sys.argv[1:]
    if args[:1] == ["--errors"]:
        show_errors = int(args[1])
    systems = [("hanpipe annotate --to keep", hanpipe),
               ("baseline: regex on 。！？!? + closers", regex_baseline)]
    icu_run = icu_baseline()
    if icu_run:
        systems.append(("baseline: ICU sentence iterator (PyICU)", icu_run))

    print("Sentence boundaries, UD Chinese GSD (../shared/eval/ud). A boundary is the code-point offset in the")
    print("gold text where one sentence ends and the next begins (whitespace after a sentence belongs to it;")
    print("document ends are not counted). hanpipe: sentence source_end from `annotate --jsonl --to keep`.")
    width = max(cols(s[0]) for s in systems)
    for block, files in BLOCKS:
        print()
        print(f"{'[' + block + ']':<{width}}  {'file':<30} {'P':>7} {'R':>7} {'F1':>7} {'tp':>5} {'fp':>4} {'fn':>4}")
        for name, fn_ in systems:
            for fname in files:
                path = os.path.join(UD, fname)
                if not os.path.exists(path):
                    print(f"{pad(name, width)}  {fname:<30} (missing)")
                    continue
                docs = load(path)
                p, r, f, tp, fp, fn, errors = score(docs, fn_(docs))
                print(f"{pad(name, width)}  {fname:<30} {p:7.4f} {r:7.4f} {f:7.4f} {tp:5d} {fp:4d} {fn:4d}")
                if fn_ is hanpipe and show_errors and errors:
                    for kind, d, b in errors[:show_errors]:
                        t = d["text"]
                        print(f"    {kind:6s} {d['id']} @{b}: …{t[max(0, b - 20):b]}|{t[b:b + 12]}…")
    print()
    print("Target (issue 2): F1 >= 0.995 on both test files.")


if __name__ == "__main__":
    main()
