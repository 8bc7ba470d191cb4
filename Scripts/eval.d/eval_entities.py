#!/usr/bin/env python3
"""Entity accuracy: hanpipe beside jieba.posseg and THULAC, exact span and type, micro and per type.

Run through `Scripts/eval entities` (which builds hanpipe and sets $HANPIPE). Files: the MSRA and
People's Daily 1998 NER test files in ../shared/eval/ner (`--dev` scores the dev files instead, the ones
used for tuning; `--no-peers` scores hanpipe alone). hanpipe runs `annotate --jsonl` on records holding only id and text; its entities are
compared by source offsets (source_start/source_end), so changes made by cleaning do not matter.
Peers, where installed in the Python running this script: jieba.posseg (nr → PER, ns → LOC, nt → ORG)
and THULAC (np → PER, ns → LOC, ni → ORG); their words are mapped back to offsets by position.
"""
import json
import os
import subprocess
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
EVAL = os.path.join(ROOT, "..", "shared", "eval", "ner")
TYPES = ["PER", "LOC", "ORG"]


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score(gold_docs, predicted):
    c = {t: [0, 0, 0] for t in TYPES}  # correct, predicted, gold
    for doc, pred in zip(gold_docs, predicted):
        gold = {(e["start"], e["end"], e["type"]) for e in doc["entities"]}
        for s, e, t in gold:
            c[t][2] += 1
        for s, e, t in set(pred):
            if t not in c:
                continue
            c[t][1] += 1
            if (s, e, t) in gold:
                c[t][0] += 1

    def prf(k, p, g):
        pr = k / p if p else 0.0
        re = k / g if g else 0.0
        return pr, re, (2 * pr * re / (pr + re) if pr + re else 0.0)

    total = [sum(c[t][i] for t in TYPES) for i in range(3)]
    return prf(*total), {t: prf(*c[t]) for t in TYPES}


def run_hanpipe(docs):
    exe = os.environ.get("HANPIPE") or os.path.join(ROOT, ".build", "release", "hanpipe")
    data = "".join(json.dumps({"id": d["id"], "text": d["text"]}, ensure_ascii=False) + "\n" for d in docs)
    out = subprocess.run([exe, "annotate", "--jsonl", "-j", "1"], input=data.encode("utf-8"),
                         stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")
    result = []
    for line in out.splitlines():
        rec = json.loads(line)
        result.append([(e["source_start"], e["source_end"], e["type"]) for e in rec.get("entities", [])])
    return result


def words_to_spans(words, mapping):
    spans, at = [], 0
    for word, flag in words:
        t = mapping.get(flag)
        if t:
            spans.append((at, at + len(word), t))
        at += len(word)
    return spans


def jieba_peer():
    try:
        import jieba
        import jieba.posseg as pseg
    except ImportError:
        return None
    jieba.setLogLevel(60)
    mapping = {"nr": "PER", "ns": "LOC", "nt": "ORG"}
    return lambda text: words_to_spans([(w.word, w.flag) for w in pseg.cut(text)], mapping)


def thulac_peer():
    try:
        import thulac
    except ImportError:
        return None
    if not hasattr(time, "clock"):  # THULAC 0.2.x still calls time.clock, removed in Python 3.8
        time.clock = time.perf_counter
    try:
        model = thulac.thulac()
    except Exception as e:  # a broken install: report it as not installed
        print(f"THULAC could not start: {e}", file=sys.stderr)
        return None
    mapping = {"np": "PER", "ns": "LOC", "ni": "ORG"}
    return lambda text: words_to_spans([tuple(p) for p in model.cut(text)], mapping)


def main():
    split = "dev" if "--dev" in sys.argv[1:] else "test"
    files = [("MSRA", os.path.join(EVAL, "msra", f"{split}.jsonl")),
             ("PD1998", os.path.join(EVAL, "peoples-daily-1998", f"{split}.jsonl"))]
    systems = [("hanpipe", None), ("jieba.posseg", jieba_peer), ("THULAC", thulac_peer)]
    if "--no-peers" in sys.argv[1:]:
        systems = systems[:1]
    print(f"Entities ({split}): exact span and type; P/R/F1 in %, micro and per type")
    print(f"{'file':8} {'system':13} {'P':>6} {'R':>6} {'F1':>6} | {'PER F1':>6} {'LOC F1':>6} {'ORG F1':>6} | {'seconds':>7}")
    peers = {}
    for label, path in files:
        if not os.path.exists(path):
            print(f"{label:8} (missing {path})")
            continue
        docs = load(path)
        for name, make in systems:
            start = time.perf_counter()
            if name == "hanpipe":
                predicted = run_hanpipe(docs)
            else:
                if name not in peers:
                    peers[name] = make()
                tagger = peers[name]
                if tagger is None:
                    print(f"{label:8} {name:13} not installed (Scripts/setup-peers, or .venv/bin/pip install jieba thulac)")
                    continue
                predicted = [tagger(d["text"]) for d in docs]
            seconds = time.perf_counter() - start
            (p, r, f), per = score(docs, predicted)
            cells = " ".join(f"{per[t][2] * 100:6.2f}" for t in TYPES)
            print(f"{label:8} {name:13} {p * 100:6.2f} {r * 100:6.2f} {f * 100:6.2f} | {cells} | {seconds:7.1f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
