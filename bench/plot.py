#!/usr/bin/python3
"""Turns a vmio-bench JSON file into a chart and a Markdown table of median ratios.

Usage: bench/plot.py RESULTS.json [CHART.png]

Copy variants are compared with glibc memcpy and fill variants with glibc memset, within
the same run: ratio = baseline median CPU time / variant median CPU time (> 1: faster than
glibc). CPU time, not wall time: on a shared machine wall time also counts the time the
thread waited for a core.
The chart shows throughput per size (top) and the ratio (bottom), aligned and misaligned.
"""
import collections
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

BASELINES = {"copy": "memcpy", "fill": "memset"}
# The ratio table: the default entry points and the seed-faithful string instructions.
TABLE_VARIANTS = {
    "copy": ["vmio_memcpy_fallible", "vmio_memcpy_fallible_movsb"],
    "fill": ["vmio_memset_fallible", "vmio_memset_fallible_stosb"],
}


def medians(path):
    """{(family, variant, alignment): {size: (median ns, bytes per second)}}"""
    runs = collections.defaultdict(dict)
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        parts = b["run_name"].split("/")
        if parts[0] not in BASELINES or len(parts) != 4:
            continue
        family, variant, alignment, size = parts
        runs[(family, variant, alignment)][int(size)] = (b["cpu_time"], b.get("bytes_per_second", 0.0))
    return runs


def ratios(runs, family, variant, alignment):
    base = runs[(family, BASELINES[family], alignment)]
    mine = runs.get((family, variant, alignment), {})
    return {n: base[n][0] / mine[n][0] for n in sorted(mine) if n in base}


def human(n):
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n} B"


def print_table(runs):
    for family, variants in TABLE_VARIANTS.items():
        columns = [(v, a) for v in variants for a in ("aligned", "misaligned")]
        print(f"\n{family}: median time of glibc {BASELINES[family]} / median time of the variant\n")
        print("| size | " + " | ".join(f"{v} ({a})" for v, a in columns) + " |")
        print("|---:|" + "---:|" * len(columns))
        table = {c: ratios(runs, family, *c) for c in columns}
        for n in sorted(set().union(*table.values())):
            print(f"| {human(n)} | " + " | ".join(f"{table[c].get(n, float('nan')):.2f}" for c in columns) + " |")


def plot(runs, out):
    fig, axes = plt.subplots(2, 4, figsize=(20, 9), sharex=True)
    for col, (family, alignment) in enumerate(
            (f, a) for f in BASELINES for a in ("aligned", "misaligned")):
        top, bottom = axes[0][col], axes[1][col]
        for (fam, variant, align), points in sorted(runs.items()):
            if fam != family or align != alignment:
                continue
            sizes = sorted(points)
            top.plot(sizes, [points[n][1] / 1e9 for n in sizes], marker=".", label=variant)
            if variant != BASELINES[family]:
                r = ratios(runs, family, variant, alignment)
                bottom.plot(list(r), list(r.values()), marker=".", label=variant)
        top.set_title(f"{family}, {alignment}")
        top.set_ylabel("GB/s")
        bottom.set_ylabel(f"ratio to {BASELINES[family]}")
        bottom.axhline(1.0, color="black", linewidth=0.8)
        bottom.axhline(0.9, color="grey", linewidth=0.8, linestyle="--")
        bottom.set_xlabel("bytes")
        for ax in (top, bottom):
            ax.set_xscale("log", base=2)
            ax.grid(True, alpha=0.3)
        top.legend(fontsize=7)
        bottom.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=60)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    runs = medians(sys.argv[1])
    print_table(runs)
    if len(sys.argv) == 3:
        plot(runs, sys.argv[2])


if __name__ == "__main__":
    main()
