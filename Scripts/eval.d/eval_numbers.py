#!/usr/bin/env python3
"""Scripts/eval numbers: accuracy of hanpipe's `numbers` stage, beside cn2an where it is installed.

Prints one table:
  (a) cn2an's own test cases (../shared/eval/cn2an/testcases.jsonl, cn2an 0.5.24, MIT), the
      cn2an-direction cases that are numbers in running text, counted by value; the excluded cases are
      listed with the reason;
  (b) precision and recall on the hand-annotated gold file Fixtures/numbers/gold.tsv (dev: tuned on;
      heldout: fixed before tuning; test2: drawn and annotated after tuning, never tuned on; dev2: tuned
      on in the second round; test3: annotated before the second round, measured once at its end): exact span
      (source offsets) and value; also value-only figures, the only ones cn2an can have (no offsets);
  (c) false hits on Fixtures/numbers/idioms.txt (each idiom alone and inside a short sentence);
  (d) cn2an's figures on the same inputs (cn2an.transform(text, "cn2an"), values read from its output);
  (e) speed: `hanpipe annotate` with and without the numbers stage on ../shared/eval/bench/corpus-zh.txt.

Environment: HANPIPE = the hanpipe binary (Scripts/eval sets it to the release build).
Options: --no-speed skips (e); --show-misses prints the gold mismatches.
"""
import json
import math
import os
import re
import subprocess
import sys
import time
import warnings
from collections import Counter

warnings.filterwarnings("ignore")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(ROOT, "..", "shared", "eval")
HANPIPE = os.environ.get("HANPIPE", os.path.join(ROOT, ".build", "release", "hanpipe"))

try:
    import cn2an  # type: ignore
    CN2AN = getattr(cn2an, "__version__", "installed")
except Exception:  # cn2an is optional
    cn2an = None
    CN2AN = None


def annotate(texts, to="simplified"):
    """Runs hanpipe annotate --jsonl over texts; returns the number mentions of each."""
    lines = "".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts))
    out = subprocess.run([HANPIPE, "annotate", "--jsonl", "--to", to, "--skip", "entities"],
                         input=lines.encode("utf-8"), capture_output=True, check=True).stdout.decode("utf-8")
    result = [json.loads(line)["numbers"] for line in out.splitlines() if line.strip()]
    assert len(result) == len(texts)
    return result


# ---------------------------------------------------------------- values

def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def date_parts(iso):
    return [int(p) for p in iso.split("-") if p]


def mention_values(m):
    """The numbers a hanpipe mention stands for (dates: their parts, ranges: both ends)."""
    v = m["value"]
    if isinstance(v, str):
        return [float(x) for x in date_parts(v)]
    out = [float(v)]
    if "high" in m:
        h = m["high"]
        out += [float(x) for x in date_parts(h)] if isinstance(h, str) else [float(h)]
    return out


NUM_RE = re.compile(r"(\d+)年(\d+)月(\d+)日|(\d+)月(\d+)日|-?\d+(?:\.\d+)?/\d+(?:\.\d+)?|-?\d+(?:\.\d+)?")


def text_values(s):
    """Numbers written with Arabic digits in a string (cn2an's output or its expected output)."""
    s = "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" or c == "．" else c for c in s)
    out = []
    for m in NUM_RE.finditer(s):
        if m.group(1):
            out += [float(m.group(1)), float(m.group(2)), float(m.group(3))]
        elif m.group(4):
            out += [float(m.group(4)), float(m.group(5))]
        elif "/" in m.group(0):
            a, b = m.group(0).split("/")
            out.append(float(a) / float(b) if float(b) else float("nan"))
        else:
            out.append(float(m.group(0)))
    return out


def same_values(a, b):
    a, b = sorted(a), sorted(b)
    return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))


def matched_values(gold, found):
    """How many of `found` match `gold` as multisets (with float tolerance)."""
    left = list(gold)
    hits = 0
    for f in found:
        for k, g in enumerate(left):
            if close(f, g):
                hits += 1
                del left[k]
                break
    return hits


def cn2an_transform(s):
    try:
        return cn2an.transform(s, "cn2an")
    except Exception:
        return s


# ---------------------------------------------------------------- (a) cn2an cases

REPEATED = {"一一", "一一一", "壹壹", "壹壹壹"}
NUMERAL_CHARS = set("零〇一二两兩三四五六七八九十百千壹贰貳叁參肆伍陆陸柒捌玖拾佰仟")


def exclusion(case):
    mode, inp = case["mode"], case["input"]
    if mode.startswith("an2cn") or mode.startswith("transform:an2cn"):
        return "other direction (Arabic to Chinese)"
    if case.get("error"):
        return "expects ValueError from cn2an's strict parser (a strictness test, no value)"
    if mode.endswith(":direct") or mode == "cn2an:direct":
        return "digit-by-digit mode returning strings with leading zeros ('01'), not values"
    if isinstance(inp, str) and len(inp) == 1 and inp in NUMERAL_CHARS:
        return "a lone numeral character: in running text hanpipe reads one only with a measure word, 第 or a longer numeral"
    if inp in REPEATED:
        return "repeated digit without a place (一一 is the adverb 'one by one', on the idiom list)"
    if inp == "半斤":
        return "半 'half' is not among the numerals the spec lists"
    return None


def eval_cn2an_cases():
    cases = [json.loads(l) for l in open(os.path.join(SHARED, "cn2an", "testcases.jsonl"), encoding="utf-8")]
    used, excluded = [], Counter()
    for c in cases:
        why = exclusion(c)
        if why:
            excluded[why] += 1
        else:
            used.append(c)
    found = annotate([c["input"] for c in used])
    rows, fails = Counter(), []
    cn_rows = Counter()
    for c, ms in zip(used, found):
        group = "transform (sentences)" if c["mode"].startswith("transform") else c["mode"]
        if c["mode"].startswith("transform"):
            expected = text_values(c["expected"])
        else:
            expected = [float(c["expected"])]
        got = [v for m in ms for v in mention_values(m)]
        ok = same_values(expected, got)
        rows[(group, "n")] += 1
        rows[(group, "ok")] += ok
        if not ok:
            fails.append((c["id"], c["mode"], c["input"], expected, [m["text"] for m in ms], got))
        if cn2an is not None:
            cn_ok = same_values(expected, text_values(cn2an_transform(c["input"])))
            cn_rows[group] += cn_ok
    return rows, cn_rows, fails, excluded, len(cases)


# ---------------------------------------------------------------- (b) gold

def load_gold():
    sents = []
    for line in open(os.path.join(ROOT, "Fixtures", "numbers", "gold.tsv"), encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        p = line.split("\t")
        if p[0] == "S":
            sents.append({"id": p[1], "split": p[2], "text": p[3], "mentions": [], "pos": 0})
        else:
            s = sents[-1]
            text, value, kind = p[1], p[2], p[3]
            unit = p[4] if len(p) > 4 and p[4] else None
            approx = len(p) > 5 and p[5] == "approx"
            start = s["text"].index(text, s["pos"])
            s["pos"] = start + len(text)
            if kind == "date":
                vals, key = [float(x) for x in date_parts(value)], value
            elif "~" in value:
                lo, hi = value.split("~")
                vals, key = [float(lo), float(hi)], (float(lo), float(hi))
            else:
                vals, key = [float(value)], (float(value),)
            s["mentions"].append({"start": start, "end": start + len(text), "text": text, "key": key,
                                  "values": vals, "kind": kind, "unit": unit, "approx": approx})
    return sents


def mention_key(m):
    v = m["value"]
    if isinstance(v, str):
        return v
    if "high" in m:
        return (float(v), float(m["high"]))
    return (float(v),)


def keys_equal(a, b):
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))


def eval_gold(show):
    sents = load_gold()
    found = annotate([s["text"] for s in sents])
    stats = {}
    misses = []
    for s, ms in zip(sents, found):
        st = stats.setdefault(s["split"], Counter())
        gold = {(g["start"], g["end"]): g for g in s["mentions"]}
        st["gold"] += len(gold)
        st["found"] += len(ms)
        for m in ms:
            g = gold.get((m["source_start"], m["source_end"]))
            if g is not None:
                st["span"] += 1
                if keys_equal(g["key"], mention_key(m)):
                    st["tp"] += 1
                    st["kind"] += g["kind"] == m["kind"]
                    st["unit"] += g["unit"] == m.get("unit")
                    st["approx"] += g["approx"] == bool(m.get("approximate"))
                    continue
            misses.append((s["id"], s["split"], "found", m["text"], m["value"], m.get("high"), m["kind"]))
        got = {(m["source_start"], m["source_end"]): m for m in ms}
        for g in s["mentions"]:
            m = got.get((g["start"], g["end"]))
            if m is None or not keys_equal(g["key"], mention_key(m)):
                misses.append((s["id"], s["split"], "missed", g["text"], g["key"], None, g["kind"]))
        gold_vals = [v for g in s["mentions"] for v in g["values"]]
        st["gold_values"] += len(gold_vals)
        hp_vals = [v for m in ms for v in mention_values(m)]
        st["hp_values"] += len(hp_vals)
        st["hp_value_tp"] += matched_values(gold_vals, hp_vals)
        if cn2an is not None:
            cn_vals = text_values(cn2an_transform(s["text"]))
            st["cn_values"] += len(cn_vals)
            st["cn_value_tp"] += matched_values(gold_vals, cn_vals)
    if show:
        for m in misses:
            print("   ", *m)
    return stats


# ---------------------------------------------------------------- (c) idioms

def eval_idioms():
    idioms = [l.strip() for l in open(os.path.join(ROOT, "Fixtures", "numbers", "idioms.txt"), encoding="utf-8")
              if l.strip() and not l.startswith("#")]
    texts = idioms + ["他们说" + i + "。" for i in idioms]
    found = annotate(texts, to="keep")
    hits = [(t, [m["text"] for m in ms]) for t, ms in zip(texts, found) if ms]
    cn_hits = None
    if cn2an is not None:
        cn_hits = sum(1 for t in texts if cn2an_transform(t) != t)
    return len(idioms), len(texts), hits, cn_hits


# ---------------------------------------------------------------- (e) speed

def eval_speed(runs=5):
    """Best-of-N CPU time (user + system, from getrusage of the child) and wall time, runs interleaved.
    CPU time is the figure to compare: wall time on a shared machine mostly measures the other load."""
    import resource
    corpus = os.path.join(SHARED, "bench", "corpus-zh.txt")
    size = os.path.getsize(corpus)
    best = {"off": [float("inf"), float("inf")], "on": [float("inf"), float("inf")]}
    for _ in range(runs):
        for name, args in (("off", ["--skip", "numbers"]), ("on", [])):
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run([HANPIPE, "annotate"] + args + [corpus], stdout=subprocess.DEVNULL, check=True)
            wall = time.perf_counter() - t0
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
            best[name][0] = min(best[name][0], cpu)
            best[name][1] = min(best[name][1], wall)
    return size, best


# ---------------------------------------------------------------- report

def pct(a, b):
    return f"{100.0 * a / b:5.1f}%" if b else "   - "


def prf(tp, found, gold):
    p = tp / found if found else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    show = "--show-misses" in sys.argv
    cn = f"cn2an {CN2AN}" if CN2AN else "cn2an (not installed)"
    print(f"numbers — hanpipe ({HANPIPE}) beside {cn}")
    print()

    rows, cn_rows, fails, excluded, total = eval_cn2an_cases()
    print("(a) cn2an's test cases, cn2an direction, counted by value")
    print(f"    {'group':28} {'cases':>6} {'hanpipe':>16} {'cn2an transform':>18}")
    all_n = all_ok = all_cn = 0
    for group in sorted({g for g, _ in rows}):
        n, ok = rows[(group, "n")], rows[(group, "ok")]
        all_n += n; all_ok += ok; all_cn += cn_rows[group]
        cnc = f"{cn_rows[group]:>4} {pct(cn_rows[group], n)}" if cn2an else "-"
        print(f"    {group:28} {n:6} {ok:>6} {pct(ok, n):>8} {cnc:>18}")
    cnc = f"{all_cn:>4} {pct(all_cn, all_n)}" if cn2an else "-"
    print(f"    {'applicable, total':28} {all_n:6} {all_ok:>6} {pct(all_ok, all_n):>8} {cnc:>18}")
    print(f"    excluded {sum(excluded.values())} of {total}:")
    for why, k in excluded.most_common():
        print(f"      {k:4}  {why}")
    for f in fails:
        print("    failed:", *f)
    print()

    stats = eval_gold(show)
    print("(b) hand-annotated gold, Fixtures/numbers/gold.tsv (exact span and value)")
    print(f"    {'part':10} {'gold':>5} {'found':>6} {'P':>7} {'R':>7} {'F1':>7}   {'value-only P/R':>16}   {'cn2an value-only P/R':>21}   kind/unit/approx agree")
    for split in ["dev", "heldout", "test2", "dev2", "test3", "all"]:
        if split == "all":
            st = Counter()
            for v in stats.values():
                st.update(v)
        else:
            st = stats.get(split, Counter())
        p, r, f = prf(st["tp"], st["found"], st["gold"])
        vp, vr, _ = prf(st["hp_value_tp"], st["hp_values"], st["gold_values"])
        if cn2an is not None:
            cp, cr, _ = prf(st["cn_value_tp"], st["cn_values"], st["gold_values"])
            cns = f"{cp:.3f} / {cr:.3f}"
        else:
            cns = "-"
        agree = f"{pct(st['kind'], st['tp'])} {pct(st['unit'], st['tp'])} {pct(st['approx'], st['tp'])}"
        print(f"    {split:10} {st['gold']:5} {st['found']:6} {p:7.3f} {r:7.3f} {f:7.3f}   {vp:.3f} / {vr:.3f}   {cns:>21}   {agree}")
    print()

    n_idioms, n_texts, hits, cn_hits = eval_idioms()
    print(f"(c) idiom list, Fixtures/numbers/idioms.txt: {n_idioms} words and idioms, alone and in a sentence ({n_texts} texts)")
    cnh = f"{cn_hits}" if cn_hits is not None else "-"
    print(f"    texts with a mention: hanpipe {len(hits)}   cn2an (texts it rewrites) {cnh}")
    for t, ms in hits:
        print("     ", t, ms)
    print()

    if "--no-speed" not in sys.argv:
        size, best = eval_speed()
        (off_cpu, off_wall), (on_cpu, on_wall) = best["off"], best["on"]
        print("(e) speed, hanpipe annotate on ../shared/eval/bench/corpus-zh.txt (best of 5, interleaved)")
        print(f"    {'':16} {'CPU s':>7} {'MB/s':>7} {'wall s':>7}")
        print(f"    --skip numbers   {off_cpu:7.2f} {size / off_cpu / 1e6:7.2f} {off_wall:7.2f}")
        print(f"    numbers on       {on_cpu:7.2f} {size / on_cpu / 1e6:7.2f} {on_wall:7.2f}")
        print(f"    throughput ratio on/off: CPU {off_cpu / on_cpu:.3f}, wall {off_wall / on_wall:.3f} (target >= 0.8)")


if __name__ == "__main__":
    main()
