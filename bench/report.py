"""Turns compare.sh's JSON lines into bench/results/latest.{md,json,png}:
rows are workloads, columns runtimes, cells the ratio to Brisk with the
absolute median beside it."""
import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import time

ap = argparse.ArgumentParser()
ap.add_argument("jsonl")
ap.add_argument("out_prefix")
ap.add_argument("--rounds", type=int, default=1)
ap.add_argument("--runs", type=int, default=1)
ap.add_argument("--rss-module", default="sqlite3.wasm")
a = ap.parse_args()

rows = [json.loads(l) for l in open(a.jsonl) if l.strip()]
by = {}
for r in rows:
    by.setdefault((r["runtime"], r["module"]), []).append(r)


def med(rt, mod, key):
    vals = [r[key] for r in by.get((rt, mod), []) if key in r and r[key] is not None and r[key] >= 0]
    return statistics.median(vals) if vals else None


native_mods = {r["module"] for r in rows if r["runtime"] == "native" and r["module"].endswith(".wasm")}
kernels = sorted(m for m in native_mods if not m.startswith("simd_"))
simd_kernels = sorted(m for m in native_mods if m.startswith("simd_"))
code = {r["module"]: r["code_bytes"] for r in rows if r["runtime"] == "sizes"}
big = sorted({r["module"] for r in rows if "run_ms" not in r and r["runtime"] == "brisk" and r["module"].endswith(".wasm")},
             key=lambda m: code.get(m, 0))
exec_rt = ["brisk", "cranelift", "winch", "liftoff", "turbofan", "native", "wasm-interp"]
compile_rt = ["brisk", "brisk (all cores)", "cranelift", "cranelift (all cores)", "winch", "liftoff",
              "liftoff (all cores)", "turbofan"]


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


machine = {
    "cpu": cpu_model(),
    "cores": os.cpu_count(),
    "load_average": os.getloadavg(),
    "kernel": platform.release(),
    "date": time.strftime("%Y-%m-%d %H:%M:%S"),
    "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
    "rounds": a.rounds,
    "runs": a.runs,
}

out = {"machine": machine, "execution": {}, "compile": {}, "instantiate": {}, "raw": rows}
md = [f"# Brisk side by side ({machine['date']}, commit {machine['commit']})", "",
      f"Machine: {machine['cpu']}, {machine['cores']} cores, load {machine['load_average'][0]:.2f}; "
      f"{a.rounds} round(s) of {a.runs} runs, runtimes alternated; medians.", "",
      "## Execution time (ratio to Brisk; median ms)", "",
      "| kernel | " + " | ".join(exec_rt) + " |", "|---|" + "---:|" * len(exec_rt)]
logs = {rt: [] for rt in exec_rt}
mismatch = []
for k in kernels:
    base = med("brisk", k, "run_ms")
    want = by.get(("native", k), [{}])[0].get("result")
    cells = []
    for rt in exec_rt:
        v = med(rt, k, "run_ms")
        got = by.get((rt, k), [{}])[0].get("result")
        if got is not None and want is not None and got != want:
            mismatch.append(f"{rt} {k}: result {got}, native {want}")
        timeout = by.get((rt, k), [{}])[0].get("timeout_s")
        if timeout:
            cells.append(f"> {timeout / (base / 1e3):.0f} (> {timeout:.0f} s)" if base else f"> {timeout:.0f} s")
            out["execution"].setdefault(k, {})[rt] = {"timeout_s": timeout}
            logs[rt].append(None)
            continue
        if v is None or base is None:
            cells.append("—")
            continue
        ratio = v / base
        logs[rt].append(math.log(ratio))
        out["execution"].setdefault(k, {})[rt] = {"ms": v, "ratio": ratio}
        cells.append(f"{ratio:.2f} ({v:.1f})")
    md.append(f"| {k.replace('.wasm', '')} | " + " | ".join(cells) + " |")
geo = {rt: math.exp(sum(v) / len(v)) for rt, v in logs.items() if v and None not in v}
md.append("| **geomean** | " + " | ".join(f"**{geo[rt]:.2f}**" if rt in geo else "—" for rt in exec_rt) + " |")
out["execution_geomean"] = geo
md += ["", "Above 1: slower than Brisk. wasm-interp (wabt's interpreter, the floor) runs once per kernel, parse and",
       "validation included, within a time limit (\"> N\": it did not finish; no geomean then).", ""]
if mismatch:
    md += ["**Results differing from native:** " + "; ".join(mismatch), ""]

if simd_kernels:
    simd_rt = ["brisk", "cranelift", "winch", "liftoff", "turbofan", "native"]
    simd_mismatch = []
    md += ["## SIMD kernels (ratio to Brisk; median ms)", "",
           "| kernel | " + " | ".join(simd_rt) + " | Brisk scalar Wasm | SIMD speedup (Brisk) |",
           "|---|" + "---:|" * (len(simd_rt) + 2)]
    for k in simd_kernels:
        base = med("brisk", k, "run_ms")
        want = by.get(("native", k), [{}])[0].get("result")
        scalar_k = k.replace(".wasm", "_scalar.wasm")
        cells = []
        for rt in simd_rt:
            for mod in ([k, scalar_k] if rt != "native" else [k]):
                got = by.get((rt, mod), [{}])[0].get("result")
                if got is not None and want is not None and got != want:
                    simd_mismatch.append(f"{rt} {mod}: result {got}, native {want}")
            v = med(rt, k, "run_ms")
            if v is None or base is None:
                failed = any(r.get("compile_error") for r in by.get((rt, k), []))
                cells.append("fails" if failed else "—")
                continue
            out.setdefault("simd", {}).setdefault(k, {})[rt] = {"ms": v, "ratio": v / base}
            cells.append(f"{v / base:.2f} ({v:.1f})")
        scalar = med("brisk", scalar_k, "run_ms")
        cells.append(f"{scalar:.1f}" if scalar else "—")
        cells.append(f"{scalar / base:.2f}x" if scalar and base else "—")
        if scalar and base:
            out["simd"][k]["brisk_scalar_ms"] = scalar
        md.append(f"| {k.replace('.wasm', '').replace('simd_', '')} | " + " | ".join(cells) + " |")
    md += ["", "bench/workloads/simd/*.c in clang vector extensions: built with -msimd128 for the columns, and without",
           "it (the same source, scalar Wasm) for the speedup column.", ""]
    if simd_mismatch:
        md += ["**Results differing from native:** " + "; ".join(simd_mismatch), ""]

md += ["## Compile throughput (MB/s of code-section bytes; median ms)", "",
       "| module | " + " | ".join(compile_rt) + " |", "|---|" + "---:|" * len(compile_rt)]
logs_c = {rt: [] for rt in compile_rt}
for m in big + ["all kernels"]:
    cells = []
    for rt in compile_rt:
        if m == "all kernels":
            ms = [med(rt, k, "compile_ms") for k in kernels]
            size = sum(code.get(k) or by[("brisk", k)][0]["bytes"] for k in kernels)
            v = sum(ms) if all(x is not None for x in ms) and ms else None
        else:
            v = med(rt, m, "compile_ms")
            size = code.get(m) or (by[("brisk", m)][0]["bytes"] if ("brisk", m) in by else 0)
        if v is None and any(r.get("compile_error") for r in by.get((rt, m), [])):
            cells.append("fails")
            out["compile"].setdefault(m, {})[rt] = {"error": True}
            continue
        if v is None or v <= 0:
            cells.append("—")
            continue
        mbs = size / 1e6 / (v / 1e3)
        if code.get(m, 0) >= 5e6:
            logs_c[rt].append((mbs, v, size))
        out["compile"].setdefault(m, {})[rt] = {"ms": v, "mb_per_s": mbs, "bytes": size}
        cells.append(f"{mbs:.1f} ({v:.2f})")
    md.append(f"| {m.replace('.wasm', '')} | " + " | ".join(cells) + " |")
nlarge = sum(1 for m in big if code.get(m, 0) >= 5e6)
if nlarge:
    cells = []
    for rt in compile_rt:
        v = logs_c[rt]
        if len(v) != nlarge:
            cells.append("—")
            continue
        mbs = sum(x[2] for x in v) / 1e6 / (sum(x[1] for x in v) / 1e3)
        out.setdefault("compile_large", {})[rt] = {"mb_per_s": mbs}
        cells.append(f"**{mbs:.1f}**")
    md.append(f"| **{nlarge} large module{'s' if nlarge > 1 else ''}** | " + " | ".join(cells) + " |")
# CPU time next to wall time over the large modules: how much of a core a
# compile keeps busy (on one thread about 1; with all cores, up to the count).
cpu_rows = []
for rt in compile_rt:
    walls = [med(rt, m, "compile_ms") for m in big if code.get(m, 0) >= 5e6]
    cpus = [med(rt, m, "compile_cpu_ms") for m in big if code.get(m, 0) >= 5e6]
    if not walls or any(v is None for v in walls + cpus):
        continue
    w, c = sum(walls), sum(cpus)
    out.setdefault("compile_cpu", {})[rt] = {"wall_ms": w, "cpu_ms": c, "cores_busy": c / w}
    cpu_rows.append(f"| {rt} | {w:.0f} | {c:.0f} | {c / w:.2f} |")
md += ["", "sqlite3 and lua: the Debian programs of tests/programs (1.1 MB and 0.4 MB of code; WASI commands,",
       "compiled only). The large modules are published Wasm builds from the npm registry, fetched and checked by",
       "bench/workloads/large/fetch.sh: esbuild (Go), ruby (C, WASI), swc and biome (Rust), duckdb-mvp (C++, Emscripten);",
       "compiled only (\"fails\": the runtime refuses the module). The large-modules row is total code over total time, for a runtime that compiles all of them. Columns",
       "without \"all cores\" compile on one thread (Wasmtime: parallel compilation off; V8: --single-threaded).", ""]

if cpu_rows:
    md += [f"Wall and CPU time compiling the {nlarge} large modules (sums of medians; the process's CPU, every "
           f"thread). With all {machine['cores']} cores, each worker's share of a core is cores busy / {machine['cores']}.", "",
           "| runtime | wall ms | CPU ms | cores busy (CPU / wall) |", "|---|---:|---:|---:|"] + cpu_rows + [""]

md += ["## Instantiation and code size (median over the kernels)", "",
       "| runtime | instantiate fresh (ms) | instantiate deserialized (ms) | deserialize (ms) | serialized bytes / Wasm byte | machine code bytes / Wasm code byte |",
       "|---|---:|---:|---:|---:|---:|"]
for rt in ["brisk", "cranelift", "winch", "liftoff", "turbofan"]:
    def over(key):
        vals = [med(rt, k, key) for k in kernels]
        vals = [v for v in vals if v is not None]
        return statistics.median(vals) if vals else None
    ratio = [by[(rt, k)][0]["serialized_bytes"] / by[(rt, k)][0]["bytes"] for k in kernels
             if (rt, k) in by and "serialized_bytes" in by[(rt, k)][0]]
    mc = [by[(rt, k)][0]["machine_code_bytes"] / code[k] for k in kernels
          if (rt, k) in by and by[(rt, k)][0].get("machine_code_bytes", -1) > 0 and code.get(k)]
    vals = [over("instantiate_ms"), over("instantiate_cached_ms"), over("deserialize_ms"),
            statistics.median(ratio) if ratio else None, statistics.median(mc) if mc else None]
    out["instantiate"][rt] = dict(zip(["fresh_ms", "cached_ms", "deserialize_ms", "serialized_per_byte",
                                       "machine_code_per_code_byte"], vals))
    na = "n/a" if rt in ("liftoff", "turbofan") else "—"
    md.append(f"| {rt} | " + " | ".join(na if v is None else f"{v:.4f}" if i < 3 else f"{v:.1f}"
                                        for i, v in enumerate(vals)) + " |")
large_mc = [(m, by[("brisk", m)][0]["machine_code_bytes"] / code[m]) for m in big
            if code.get(m, 0) >= 5e6 and by[("brisk", m)][0].get("machine_code_bytes", -1) > 0]
if large_mc:
    md += ["", "Brisk's machine code per Wasm code byte on the large modules: " +
           ", ".join(f"{m.replace('.wasm', '')} {v:.2f}" for m, v in large_mc) + "."]
md += ["", "n/a: Node has no API to serialize a compiled module (V8 caches code internally). Machine code: only",
       "Brisk reports it (brisk_module_code_size; Wasmtime's serialized size is code plus metadata).", ""]

md += ["## WASI programs (whole process: start, compile, run; best wall ms, CPU ms)", "",
       "| program | brisk | cranelift | node (wasi) | native |", "|---|---:|---:|---:|---:|"]
for prog in ["lua (WASI)", "sqlite3 (WASI)"]:
    cells = []
    base = med("brisk", prog, "wall_ms")
    for rt in ["brisk", "cranelift", "node (wasi)", "native"]:
        w, c = med(rt, prog, "wall_ms"), med(rt, prog, "cpu_ms")
        same = all(r.get("same_output", True) for r in by.get((rt, prog), []))
        if w is None or base is None:
            cells.append("—")
            continue
        out.setdefault("programs", {}).setdefault(prog, {})[rt] = {"wall_ms": w, "cpu_ms": c, "same_output": same}
        cells.append(f"{w / base:.2f} ({w:.0f}, cpu {c:.0f})" + ("" if same else " **output differs**"))
    md.append(f"| {prog} | " + " | ".join(cells) + " |")
md += ["", "Lua runs bench/workloads/programs/bench.lua, SQLite's shell bench.sql into a fresh database in the preopen.", ""]

md += ["## Calls, markdown, memory", "",
       f"| runtime | host→Wasm (ns/call) | Wasm→host (ns/call) | markdown (documents/s) | peak RSS compiling {a.rss_module.replace('.wasm', '')} (MB) |",
       "|---|---:|---:|---:|---:|"]
for rt in ["brisk", "cranelift", "winch", "liftoff", "turbofan"]:
    vals = [med(rt, "calls", "host_to_wasm_ns"), med(rt, "calls", "wasm_to_host_ns"), med(rt, "markdown", "docs_per_s"),
            (med(rt, "rss", "peak_rss_kb") or 0) / 1024 or None]
    out.setdefault("other", {})[rt] = dict(zip(["host_to_wasm_ns", "wasm_to_host_ns", "markdown_docs_per_s", "peak_rss_mb"], vals))
    md.append(f"| {rt} | " + " | ".join("—" if not v else f"{v:.1f}" if i < 2 else f"{v:.0f}" for i, v in enumerate(vals)) + " |")
md += ["", "Calls and markdown go through each runtime's own API (the C API for Brisk and Wasmtime, JavaScript for V8),",
       "untyped; V8's JS-to-Wasm calls are inlined by its JIT. The markdown corpus: 811 documents (pulldown-cmark's",
       "test suite), the module's own allocator for each.", ""]

open(a.out_prefix + ".md", "w").write("\n".join(md) + "\n")
json.dump(out, open(a.out_prefix + ".json", "w"), indent=1)
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(11, 5))
    rts = [rt for rt in exec_rt if rt != "brisk" and rt != "wasm-interp"]
    width = 0.8 / len(rts)
    for i, rt in enumerate(rts):
        ys = [out["execution"].get(k, {}).get(rt, {}).get("ratio", float("nan")) for k in kernels]
        ax.bar([x + i * width for x in range(len(kernels))], ys, width, label=rt)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_yscale("log")
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(kernels))])
    ax.set_xticklabels([k.replace(".wasm", "") for k in kernels])
    ax.set_ylabel("run time / Brisk's (log)")
    ax.set_title(f"Execution time relative to Brisk ({machine['date']})")
    ax.legend()
    fig.tight_layout()
    fig.savefig(a.out_prefix + ".png", dpi=110)
except ImportError:
    print("report.py: no matplotlib, no plot (bench/peers/install.sh installs it)")
print(open(a.out_prefix + ".md").read())
