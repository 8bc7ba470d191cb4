#!/usr/bin/env python3
"""hanpipe beside its peers: one table from one run. Started by Scripts/bench (see there for options).

Every figure is a whole process: the command is started, reads its input file and writes its output
(to /dev/null, or to a temporary folder for `run`), and the wall time from start to exit is taken.
Throughput is the UTF-8 bytes of the input text divided by that time; peak RSS is the child's
ru_maxrss from wait4(). With several repeats the median wall time is shown. Start-up is the median
wall time of `echo 中文 | COMMAND` over many runs.
"""
import argparse
import hashlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "..", "shared", "eval", "bench")
HANT = os.path.join(BENCH, "corpus-zh-hant.txt")
HANS = os.path.join(BENCH, "corpus-zh.txt")
PEERS = os.path.join(ROOT, "Scripts", "bench.d", "peers.py")
MB = 1e6


# --- running one measured process ---------------------------------------------------------------

class Result:
    def __init__(self, wall, rss_kb, code, stderr, killed=False, cpu=0.0):
        self.wall, self.rss_kb, self.code, self.stderr, self.killed = wall, rss_kb, code, stderr, killed
        self.cpu = cpu

    @property
    def inproc(self):
        m = re.search(r"inproc ([0-9.]+)", self.stderr)
        return float(m.group(1)) if m else None


def rss_now_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


TIME = "/usr/bin/time"   # GNU time (Debian package `time`, installed by Scripts/setup-peers)


def child_pid(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = f.read().split()
        return int(kids[0]) if kids else None
    except OSError:
        return None


def run_once(argv, stdin=None, stdout=os.devnull, cap_mb=None):
    """Runs argv; returns wall seconds, CPU seconds and peak RSS. The command is started by GNU time,
    whose %M is the command's own peak: a child forked straight from this Python process would inherit
    Python's high-water mark (Linux keeps ru_maxrss across fork and exec), so every small tool would
    show this script's ~70 MB. With cap_mb, the command is killed once its resident set passes that
    many MB (so a non-streaming build cannot eat the shared machine)."""
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
    fout = open(stdout, "wb")
    ferr = tempfile.TemporaryFile()
    stats = tempfile.NamedTemporaryFile(prefix="bench-time-", delete=False)
    stats.close()
    wrapped = [TIME, "-q", "-f", "%M %U %S", "-o", stats.name, *argv] if os.path.exists(TIME) else argv
    t0 = time.perf_counter()
    p = subprocess.Popen(wrapped, stdin=fin, stdout=fout, stderr=ferr, start_new_session=True)
    killed = False
    if cap_mb is None:
        _, status, ru = os.wait4(p.pid, 0)
    else:
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            target = child_pid(p.pid) if wrapped is not argv else p.pid
            if target and rss_now_kb(target) > cap_mb * 1024:
                os.killpg(p.pid, 9)
                killed = True
            time.sleep(0.02)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    for f in (fin, fout):
        if f is not subprocess.DEVNULL:
            f.close()
    ferr.seek(0)
    err = ferr.read().decode("utf-8", "replace")
    ferr.close()
    rss_kb, cpu = ru.ru_maxrss, ru.ru_utime + ru.ru_stime
    with open(stats.name) as f:
        fields = f.read().split()
    os.unlink(stats.name)
    if wrapped is not argv and len(fields) >= 3 and not killed:
        rss_kb, cpu = int(fields[-3]), float(fields[-2]) + float(fields[-1])
    if killed:
        rss_kb = max(rss_kb, cap_mb * 1024)
    if p.returncode != 0 and not killed:
        raise RuntimeError(f"{' '.join(argv)} exited {p.returncode}: {err.strip()[:400]}")
    return Result(wall, rss_kb, p.returncode, err, killed, cpu)


def spec(name, mb, argv, hanpipe=False, stdout=os.devnull, out_dir=None, once=False):
    return dict(name=name, mb=mb, argv=argv, hanpipe=hanpipe, stdout=stdout, out_dir=out_dir, once=once)


def run_group(rows, repeats, log):
    """Runs the rows of one group in interleaved rounds (A B C, A B C, …), so that a change in the
    load of this shared machine hits every command alike; keeps the median wall time and the largest
    peak RSS. A row marked once (jieba: a minute on the full corpus) runs in the first round only."""
    runs = {id(r): [] for r in rows}
    for k in range(repeats):
        for r in rows:
            if r["once"] and k > 0:
                continue
            log(f"{r['name']} (round {k + 1}/{repeats})")
            if r["out_dir"]:
                shutil.rmtree(r["out_dir"], ignore_errors=True)
            runs[id(r)].append(run_once(r["argv"], stdout=r["stdout"]))
    for r in rows:
        rs = sorted(runs[id(r)], key=lambda x: x.wall)
        res = rs[len(rs) // 2]
        res.rss_kb = max(x.rss_kb for x in rs)
        r["res"] = res


def startup(argv, n):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        p = subprocess.run(argv, input="中文\n".encode(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {p.returncode}")
    return statistics.median(times)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tree_digest(folder):
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            p = os.path.join(dirpath, name)
            h.update(os.path.relpath(p, folder).encode() + b"\0")
            with open(p, "rb") as f:
                h.update(f.read())
    return h.hexdigest()


# --- inputs -------------------------------------------------------------------------------------

def articles(path):
    with open(path, encoding="utf-8") as f:
        return [a for a in f.read().split("\n\n") if a.strip()]


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def repeat_file(src, dst, target_bytes):
    size = os.path.getsize(src)
    with open(src, "rb") as f:
        data = f.read()
    with open(dst, "wb") as out:
        for _ in range(max(1, -(-target_bytes // size))):
            out.write(data)
    return dst


def one_line_file(src, dst, target_bytes):
    """One line of target_bytes or a little more: the corpus with its line breaks removed, repeated."""
    with open(src, "rb") as f:
        data = f.read().replace(b"\n", b"")
    with open(dst, "wb") as out:
        written = 0
        while written < target_bytes:
            out.write(data)
            written += len(data)
        out.write(b"\n")
    return dst


def split_articles(corpora, folder):
    import json
    n = 0
    for name, path in corpora:
        sub = os.path.join(folder, name)
        os.makedirs(sub, exist_ok=True)
        for i, a in enumerate(articles(path)):
            write(os.path.join(sub, f"{i + 1:05d}.txt"), a + "\n")
            n += 1
    return n


def text_bytes(path):
    return os.path.getsize(path)


# --- the table ----------------------------------------------------------------------------------

class Table:
    def __init__(self):
        self.groups = []   # (title, rows); row = dict(name, mb, res, kind)

    def group(self, title):
        self.groups.append((title, []))
        return self.groups[-1][1]


def fmt_rss(res):
    if res is None:
        return "-"
    s = f"{res.rss_kb / 1024:.0f}"
    return (">" + s + ", killed") if res.killed else s


def main():
    ap = argparse.ArgumentParser(prog="Scripts/bench")
    ap.add_argument("--full", action="store_true",
                    help="median of 3 runs, annotate/jieba on the whole 12 MB corpus-zh.txt")
    ap.add_argument("--no-big", action="store_true", help="leave out the 1 GB and 100 MB-single-line RSS rows")
    ap.add_argument("--startup-runs", type=int, default=None)
    ap.add_argument("--repeats", type=int, default=None, help="runs per row (median shown); default 1, 3 with --full")
    ap.add_argument("--only", help="comma-separated groups to run: clean, annotate, run, big, startup")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder of inputs and outputs")
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else None
    unknown = (only or set()) - {"clean", "annotate", "run", "big", "startup"}
    if unknown:
        ap.error(f"unknown --only group(s): {', '.join(sorted(unknown))}")
    big = not args.no_big

    def want(group):
        return (only is None or group in only) and (group != "big" or big)
    repeats = args.repeats or (3 if args.full else 1)
    n_start = args.startup_runs or (40 if args.full else 20)
    exe = os.environ.get("HANPIPE") or os.path.join(ROOT, ".build", "release", "hanpipe")
    py = sys.executable
    have = {t: shutil.which(t) is not None for t in ["uconv", "opencc"]}
    for mod in ["opencc", "zhconv_rs", "jieba"]:
        have["py-" + mod] = subprocess.run([py, "-c", f"import {mod}"], capture_output=True).returncode == 0
    for path in (HANT, HANS):
        if not os.path.exists(path):
            sys.exit(f"bench: {path} is missing (../shared/eval/bench)")

    args.load0 = os.getloadavg()[0]
    tmp = tempfile.mkdtemp(prefix="hanpipe-bench-")
    log = lambda msg: print(f"bench: {msg}", file=sys.stderr, flush=True)
    try:
        # Inputs.
        hant30 = repeat_file(HANT, os.path.join(tmp, "hant-30mb.txt"), 30_000_000)
        if args.full:
            ann_in, ann_label = HANS, "corpus-zh.txt, 12.0 MB"
        else:
            sample = articles(HANS)[::4]
            ann_in = write(os.path.join(tmp, "zh-sample.txt"), "\n\n".join(sample) + "\n")
            ann_label = f"every 4th article of corpus-zh.txt, {text_bytes(ann_in) / MB:.1f} MB"
        art_dir = os.path.join(tmp, "articles")
        n_art = split_articles([("zh", HANS), ("zh-hant", HANT)], art_dir)
        art_mb = (text_bytes(HANS) + text_bytes(HANT)) / MB
        import json
        jsonl = os.path.join(tmp, "articles.jsonl")
        with open(jsonl, "w", encoding="utf-8") as f:
            for i, a in enumerate(articles(ann_in)):
                f.write(json.dumps({"id": i, "text": a}, ensure_ascii=False) + "\n")

        # Warm-up: page cache, jieba's dictionary cache, dynamic loading.
        tiny = write(os.path.join(tmp, "tiny.txt"), "中文測試。\n")
        run_once([exe, "annotate", tiny])
        for peer, mod in [("opencc-t2s", "opencc"), ("zhconv-hans", "zhconv_rs"), ("jieba-posseg", "jieba")]:
            if have["py-" + mod]:
                run_once([py, PEERS, peer, tiny])
        for path in (hant30, ann_in):
            with open(path, "rb") as f:
                while f.read(1 << 24):
                    pass

        table = Table()
        checks, starts, start_ms = [], [], {}
        hant_mb = text_bytes(hant30) / MB
        ann_mb = text_bytes(ann_in) / MB

        # 1. clean, Traditional → Simplified.
        if want("clean"):
            rows = table.group(f"clean, Traditional → Simplified: corpus-zh-hant.txt repeated, {hant_mb:.1f} MB")
            # The default conversion (ICU's rules with its defects fixed, plus phrases), at -j 1 and 2
            # where this build has -j.
            jobs = (1, 2) if has_option(exe, "-j") else (None,)
            for j in jobs:
                name = CLEAN if j is None else f"{CLEAN} -j {j}"
                rows.append(spec(name, hant_mb, [exe, "clean", "--to", "simplified", *(["-j", str(j)] if j else []), hant30],
                                 hanpipe=True, stdout=os.path.join(tmp, f"clean-j{j or 1}.txt")))
            # ICU's output exactly, by the compiled table (--exact-icu) and by ICU's transliterator
            # (--icu-convert): the two must be identical. --exact-icu is passed whether or not the help
            # lists it; a build that refuses it gets a check line saying so instead of the row.
            exact_ok = accepts(exe, ["clean", "--to", "simplified", "--exact-icu"], tiny)
            if exact_ok:
                rows.append(spec(f"{CLEAN} --exact-icu", hant_mb,
                                 [exe, "clean", "--to", "simplified", "--exact-icu", hant30],
                                 hanpipe=True, stdout=os.path.join(tmp, "clean-exact.txt")))
            icu_only = detect_icu_only_flag(exe)
            if icu_only:
                rows.append(spec(f"{CLEAN} {icu_only}", hant_mb,
                                 [exe, "clean", "--to", "simplified", icu_only, hant30],
                                 hanpipe=True, stdout=os.path.join(tmp, "clean-icu.txt")))
            if have["uconv"]:
                rows.append(spec("uconv -x Hant-Hans", hant_mb, ["uconv", "-x", "Hant-Hans", hant30]))
            if have["opencc"]:
                rows.append(spec("opencc -c t2s (Debian CLI)", hant_mb, ["opencc", "-c", "t2s", "-i", hant30, "-o", "/dev/null"]))
            if have["py-opencc"]:
                rows.append(spec(f"OpenCC {pyversion(py, 'opencc')} Python, whole process", hant_mb, [py, PEERS, "opencc-t2s", hant30]))
            if have["py-zhconv_rs"]:
                rows.append(spec(f"zhconv-rs {pyversion(py, 'zhconv-rs')} Python, whole process", hant_mb, [py, PEERS, "zhconv-hans", hant30]))
            run_group(rows, repeats, log)
            outs = {r["name"]: sha256(r["stdout"]) for r in rows if r.get("stdout")}
            c1 = outs[CLEAN if jobs == (None,) else f"{CLEAN} -j 1"]
            if jobs == (None,):
                checks.append("no -j in `hanpipe clean --help`: -j 1 vs -j 2 not compared (rows run without -j)")
            else:
                c2 = outs[f"{CLEAN} -j 2"]
                checks.append(f"clean output -j 1 vs -j 2: {'identical' if c1 == c2 else 'DIFFERENT'}")
            # The default conversion differs from ICU's by design (phrases, ICU's defects fixed); ICU's
            # exact output is --exact-icu, which must equal the transliterator's.
            if not exact_ok:
                checks.append("`clean --exact-icu` refused by this build: exact table not compared with ICU (row left out)")
            elif icu_only:
                ce, ci = outs[f"{CLEAN} --exact-icu"], outs[f"{CLEAN} {icu_only}"]
                checks.append(f"`clean --exact-icu` vs `clean {icu_only}`: {'identical' if ce == ci else 'DIFFERENT'}")
            else:
                checks.append("no ICU-only option in `hanpipe clean --help`: exact table not compared with ICU")

        # 2. annotate.
        if want("annotate"):
            rows = table.group(f"annotate: {ann_label}")
            for label, extra in [("hanpipe annotate (all stages)", []),
                                 ("hanpipe annotate --skip numbers", ["--skip", "numbers"]),
                                 ("hanpipe annotate --skip entities", ["--skip", "entities"])]:
                rows.append(spec(label, ann_mb, [exe, "annotate", *extra, ann_in], hanpipe=True))
            for j in (1, 2):
                rows.append(spec(f"hanpipe annotate --jsonl -j {j} (a record per article)", ann_mb,
                                 [exe, "annotate", "--jsonl", "-j", str(j), jsonl],
                                 hanpipe=True, stdout=os.path.join(tmp, f"ann-j{j}.jsonl")))
            if have["py-jieba"]:
                rows.append(spec(f"jieba {pyversion(py, 'jieba')} posseg, whole process", ann_mb,
                                 [py, PEERS, "jieba-posseg", ann_in], once=True))
            run_group(rows, repeats, log)
            jl = [sha256(r["stdout"]) for r in rows if r.get("stdout")]
            checks.append(f"annotate --jsonl output -j 1 vs -j 2: {'identical' if jl[0] == jl[1] else 'DIFFERENT'}")

        # 3. run over the articles, one file each.
        if want("run"):
            rows = table.group(f"run: the bench articles one file each, {n_art} files, {art_mb:.1f} MB")
            for j in (1, 2):
                out_dir = os.path.join(tmp, f"run-j{j}")
                rows.append(spec(f"hanpipe run -j {j}", art_mb, [exe, "run", "-j", str(j), art_dir, "-o", out_dir],
                                 hanpipe=True, out_dir=out_dir))
            run_group(rows, repeats, log)
            d = [tree_digest(r["out_dir"]) for r in rows]
            checks.append(f"run output -j 1 vs -j 2: {'identical' if d[0] == d[1] else 'DIFFERENT'}")
            for r in rows:
                shutil.rmtree(r["out_dir"], ignore_errors=True)

        # 4. big inputs (peak RSS).
        if want("big"):
            rows = table.group("memory: generated inputs, hanpipe clean --to simplified (killed above 4 GB RSS)")
            gb = repeat_file(HANT, os.path.join(tmp, "hant-1gb.txt"), 1_000_000_000)
            log("hanpipe clean on 1 GB")
            rows.append(dict(name=f"hanpipe clean, {text_bytes(gb) / MB:.0f} MB (corpus repeated)", hanpipe=True,
                             mb=text_bytes(gb) / MB, res=run_once([exe, "clean", "--to", "simplified", gb], cap_mb=4096),
                             rsskey="1gb"))
            os.remove(gb)
            line = one_line_file(HANT, os.path.join(tmp, "hant-100mb-line.txt"), 100_000_000)
            log("hanpipe clean on one 100 MB line")
            rows.append(dict(name=f"hanpipe clean, one {text_bytes(line) / MB:.0f} MB line", hanpipe=True,
                             mb=text_bytes(line) / MB, res=run_once([exe, "clean", "--to", "simplified", line], cap_mb=4096),
                             rsskey="line"))
            os.remove(line)

        # 5. start-up.
        if want("startup"):
            log("start-up")
            starts.append(("hanpipe clean", [exe, "clean"], "hanpipe"))
            if have["opencc"]:
                starts.append(("opencc -c t2s (Debian CLI)", ["opencc", "-c", "t2s"], "opencc-cli"))
            if have["uconv"]:
                starts.append(("uconv -x Hant-Hans", ["uconv", "-x", "Hant-Hans"], "uconv"))
            starts.append(("cat (process start-up floor)", ["cat"], "cat"))
            if have["py-opencc"]:
                starts.append(("OpenCC Python, whole process", [py, PEERS, "opencc-t2s", "/dev/stdin"], "opencc-py"))
            if have["py-zhconv_rs"]:
                starts.append(("zhconv-rs Python, whole process", [py, PEERS, "zhconv-hans", "/dev/stdin"], "zhconv"))
            start_ms.update({key: startup(argv, n_start) * 1000 for _, argv, key in starts})

        report(table, starts, start_ms, checks, exe, repeats, n_start, args)
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


CLEAN = "hanpipe clean --to simplified"


def detect_icu_only_flag(exe):
    """The option that converts by ICU's transliterator alone, if this build has one (issue 5 item 1);
    not --exact-icu, which is the compiled table's exact mode."""
    h = subprocess.run([exe, "clean", "--help"], capture_output=True, text=True).stdout
    flags = [f for f in re.findall(r"(--[a-z0-9-]*icu[a-z0-9-]*)", h) if f != "--exact-icu"]
    return flags[0] if flags else None


def has_option(exe, option):
    """Whether `hanpipe clean --help` lists this option (e.g. -j)."""
    h = subprocess.run([exe, "clean", "--help"], capture_output=True, text=True).stdout
    return re.search(r"(^|[\s\[,])" + re.escape(option) + r"[\s,=\]]", h) is not None


def accepts(exe, args, path):
    """Whether the build runs `exe args path` without error (an unknown option exits 2)."""
    return subprocess.run([exe, *args, path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def pyversion(py, dist):
    r = subprocess.run([py, "-c", f"import importlib.metadata as m; print(m.version('{dist}'))"],
                       capture_output=True, text=True)
    return r.stdout.strip() or "?"


def report(table, starts, start_ms, checks, exe, repeats, n_start, args):
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    mode = "full" if args.full else "quick"
    print(f"Scripts/bench ({mode}) — {version}, {now}, {os.cpu_count()} cores, {platform.machine()}")
    print(f"Whole processes; MB = 10^6 bytes of input text; wall = "
          f"{'median of %d runs' % repeats if repeats > 1 else 'one run'}; RSS = peak resident set (GNU time %M).")
    print("'hanpipe ×' = the first hanpipe row's MB/s over this row's MB/s on the same input. Rows of a group run")
    print("interleaved. CPU s = user + system time of the process (less sensitive than wall to other load).")
    print(f"Load average (1 min) at start {args.load0:.1f}, at end {os.getloadavg()[0]:.1f}, on {os.cpu_count()} cores: "
          "figures taken with load above the core count are noisy.")
    w = max(len(r["name"]) for _, rows in table.groups for r in rows) + 2
    w = max(w, 44)
    found = {}
    for title, rows in table.groups:
        print()
        print(title)
        print(f"  {'command':<{w}} {'MB':>7} {'wall s':>8} {'CPU s':>7} {'MB/s':>8} {'RSS MB':>9} {'hanpipe ×':>10}")
        ref = rows[0]
        ref_speed = ref["mb"] / ref["res"].wall
        for r in rows:
            speed = r["mb"] / r["res"].wall
            extra = ""
            if r["res"].inproc:
                extra = f"   (in-process {r['mb'] / r['res'].inproc:.1f} MB/s)"
            ratio = "" if r.get("hanpipe") else f"{ref_speed / speed:.2f}×"
            wall = f"{r['res'].wall:8.2f}" if not r["res"].killed else "  killed"
            mbs = f"{speed:8.1f}" if not r["res"].killed else "       -"
            print(f"  {r['name']:<{w}} {r['mb']:7.1f} {wall} {r['res'].cpu:7.2f} {mbs} {fmt_rss(r['res']):>9} {ratio:>10}{extra}")
            found[r["name"]] = r
    if starts:
        print()
        print(f"start-up: median wall of `echo 中文 | COMMAND` over {n_start} runs")
        for name, _, key in starts:
            print(f"  {name:<{w}} {start_ms[key]:7.1f} ms")
    print()
    for c in checks:
        print(f"check: {c}")

    # Targets of issue 5, from the rows above.
    def row(prefix):
        for title, rows in table.groups:
            for r in rows:
                if r["name"].startswith(prefix):
                    return r
        return None

    def speed(r):
        return r["mb"] / r["res"].wall

    print()
    print("targets (issues 5 and 10)")
    clean = row(f"{CLEAN} -j 1") or row(CLEAN)
    clean2 = row(f"{CLEAN} -j 2") or clean
    lines = []
    if clean:
        best_clean = max([clean, clean2], key=speed)
        # Issue 10: the default conversion (phrases) at -j 1 against zhconv-rs, which also converts by
        # phrases; and ICU's exact table for comparison.
        zr = row("zhconv-rs")
        if zr:
            x = speed(clean) / speed(zr)
            lines.append(("clean (default, phrases) -j 1 ≥ 1.5× zhconv-rs", f"{x:.2f}×", x >= 1.5))
            ex = row(f"{CLEAN} --exact-icu")
            if ex:
                lines.append(("clean --exact-icu vs zhconv-rs (no target)", f"{speed(ex) / speed(zr):.2f}×", None))
        for peer_prefix, need, label in [("zhconv-rs", 1.2, "clean ≥ 1.2× zhconv-rs (whole process)"),
                                         ("OpenCC", 3.0, "clean ≥ 3× OpenCC Python (whole process)")]:
            p = row(peer_prefix)
            if p:
                x = speed(best_clean) / speed(p)
                lines.append((label, f"{x:.2f}×", x >= need))
        for peer_prefix, label in [("opencc -c t2s", "clean vs opencc CLI (no target)"),
                                   ("uconv", "clean vs uconv (no target)")]:
            p = row(peer_prefix)
            if p:
                lines.append((label, f"{speed(best_clean) / speed(p):.2f}×", None))
    r1, r2 = row("hanpipe run -j 1"), row("hanpipe run -j 2")
    if r1 and r2:
        x = r1["res"].wall / r2["res"].wall
        lines.append(("run -j 2 ≥ 1.8× run -j 1", f"{x:.2f}×", x >= 1.8))
    a, jb = row("hanpipe annotate (all stages)"), row("jieba")
    if a and jb:
        x = speed(a) / speed(jb)
        lines.append(("annotate (all stages) ≥ 10× jieba.posseg", f"{x:.1f}×", x >= 10))
    if "hanpipe" in start_ms and "opencc-cli" in start_ms:
        x = start_ms["hanpipe"] / start_ms["opencc-cli"]
        lines.append(("start-up ≤ 3× opencc CLI", f"{start_ms['hanpipe']:.1f} ms = {x:.2f}× opencc", x <= 3))
    for key, label in [("1gb", "peak RSS < 200 MB on 1 GB"), ("line", "peak RSS < 200 MB on one 100 MB line")]:
        r = next((r for _, rows in table.groups for r in rows if r.get("rsskey") == key), None)
        if r:
            mb = r["res"].rss_kb / 1024
            lines.append((label, fmt_rss(r["res"]).replace(",", " MB,") if r["res"].killed else fmt_rss(r["res"]) + " MB",
                          mb < 200 and not r["res"].killed))
    if not any(r.get("rsskey") for _, rows in table.groups for r in rows):
        lines.append(("peak RSS < 200 MB on 1 GB", "not measured (--no-big)", None))
    for label, value, ok in lines:
        mark = "" if ok is None else ("met" if ok else "NOT MET")
        print(f"  {label:<46} {value:<28} {mark}")


if __name__ == "__main__":
    main()
