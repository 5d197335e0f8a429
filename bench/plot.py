#!/usr/bin/python3
"""Turns a vmio-bench JSON file into Markdown tables and charts.

Usage:
  bench/plot.py RESULTS.json                     print the tables
  bench/plot.py RESULTS.json --charts DIR        also draw DIR/copy.png, DIR/fill.png, DIR/fault.png
  bench/plot.py RESULTS.json --readme README.md  also rewrite README.md's generated tables

Every benchmark of the file is in one of the tables, after a line naming the CPU, glibc, kernel
and date of the run (from the JSON's context, where vmio-bench records them):
  copy, fill  median CPU time of glibc memcpy (memset) / median CPU time of the variant, per
              size and alignment (> 1: faster than glibc)
  fault       median CPU time of each fault benchmark, and its ratio to the bare SIGSEGV round
              trip (the target: a recovered fault within 1.25x of it)
  the rest    (atomics, C++ entry points, explorer, read_cstring, a variant without its glibc
              baseline, ...): median CPU time, per family
Each number carries its noise: with the repetitions in the file (bench/run.sh keeps them), half
the inter-quartile range of the per-repetition values (for a ratio: repetition i of the variant
against repetition i of glibc, which Google Benchmark interleaves); with aggregates only, the
standard deviation (for a ratio, propagated from both). CPU time, not wall time: on a shared
machine wall time also counts the time the thread waited for a core.

--charts: one PNG per question, drawn for a reader: copy.png and fill.png, the ratio to glibc per
size (log-x, aligned and misaligned side by side, both figures on one y-range, the
inter-quartile band of the repetitions, the 0.95x / 1.0x-from-4-KiB target), and fault.png, the
cost of each fault benchmark against the bare SIGSEGV round trip. Needs matplotlib (Debian:
python3-matplotlib); without it the tables are still printed.

--readme: the lines between "<!-- bench-table: KIND -->" and "<!-- /bench-table -->" (KIND: copy,
fill or fault) become that table. An unknown kind, an unclosed marker or a kind without results
in the file is an error, and then the README is left as it was.

Exit status: 0 done; 1 the results file or the README cannot be used (the message says why);
2 bad arguments; 3 charts were asked for but matplotlib is missing (the tables were printed).
"""
import argparse
import collections
import dataclasses
import json
import math
import pathlib
import re
import statistics
import sys

BASELINES = {"copy": "memcpy", "fill": "memset"}
ALIGNMENTS = ("aligned", "misaligned")
# Targets: the ratio to glibc at every size, and from TARGET_FULL_FROM bytes on.
TARGET_RATIO = 0.95
TARGET_FULL_RATIO = 1.0
TARGET_FULL_FROM = 4096
FAULT_TARGET = 1.25  # a recovered fault against the bare SIGSEGV round trip
FAULT_BASELINE = "fault/bare_sigsegv_round_trip"
FAULT_LABELS = {
    "fault/bare_sigsegv_round_trip": "bare SIGSEGV round-trip (fault on a PROT_NONE page, handler bumps RIP)",
    "fault/bare_sigusr1_raise": "bare `raise(SIGUSR1)`, empty handler",
    "fault/unresolvable_copy/1": "unresolvable fault, 1-byte copy from a PROT_NONE page",
    "fault/unresolvable_copy/64": "unresolvable fault, 64-byte copy straddling the page edge",
    "fault/mprotect_pair": "`mprotect` pair (NONE then RW)",
    "fault/resolvable_copy_1B": "resolvable fault: mprotect(NONE) + copy whose resolver mprotects RW",
    "fault/bare_resolvable_round_trip": "the same without vmio: mprotect(NONE), a load faults, a bare handler "
                                        "mprotects RW, the load runs again",
}
RESOLVABLE_TARGET = 1.1  # a resolvable fault against the mprotect pair + the bare round trip
BARE_RESOLVABLE = "fault/bare_resolvable_round_trip"
# Rows of the fault table that are a recovered fault alone, judged against the bare round trip;
# the resolvable case also pays two mprotect calls, so its own row is the difference from the pair.
RECOVERED_FAULTS = ("fault/unresolvable_copy/",)
RESOLVABLE = "fault/resolvable_copy_1B"
MPROTECT_PAIR = "fault/mprotect_pair"
# One colour per variant in every chart; the copy and fill variants of one kind share it.
VARIANT_COLOURS = {
    "vmio_memcpy_fallible": "tab:blue", "vmio_memset_fallible": "tab:blue",
    "vmio_memcpy_fallible_movsb": "tab:orange", "vmio_memset_fallible_stosb": "tab:orange",
    "vmio_memcpy_fallible_sse2": "tab:green", "vmio_memset_fallible_sse2": "tab:green",
    "vmio_memcpy_fallible_avx2": "tab:red", "vmio_memset_fallible_avx2": "tab:red",
    "vmio_memcpy_fallible_avx512": "tab:purple", "vmio_memset_fallible_avx512": "tab:purple",
    "vmio::memcpy_fallible": "tab:brown", "vmio::memcpy_fallible(every_call)": "tab:pink",
}
OTHER_COLOURS = ("tab:olive", "tab:cyan", "tab:gray", "black")
TIME_UNITS_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
MARKER_BEGIN = re.compile(r"^<!-- bench-table: (\S+) -->$")
MARKER_END = "<!-- /bench-table -->"
EXIT_UNUSABLE_INPUT = 1
EXIT_NO_MATPLOTLIB = 3


class UnusableInput(Exception):
    """The results file or the README cannot be used; the message says why."""


@dataclasses.dataclass
class Result:
    """One benchmark's CPU times, in ns."""
    order: tuple           # registration order: (family_index, per_family_instance_index)
    repetitions: dict = dataclasses.field(default_factory=dict)  # repetition index -> ns
    aggregate_median: float = math.nan
    aggregate_stddev: float = math.nan
    error: str = ""

    @property
    def median(self):
        return statistics.median(self.repetitions.values()) if self.repetitions else self.aggregate_median

    def spread(self):
        """(low, high) around the median: the inter-quartile range, or ± the standard deviation."""
        if len(self.repetitions) >= 2:
            q1, _, q3 = statistics.quantiles(self.repetitions.values(), n=4, method="inclusive")
            return q1, q3
        if not math.isnan(self.aggregate_stddev):
            return self.median - self.aggregate_stddev, self.median + self.aggregate_stddev
        return self.median, self.median

    @property
    def noise(self):
        low, high = self.spread()
        return (high - low) / 2


@dataclasses.dataclass
class Ratio:
    """A quotient of two medians, with its spread (see ratio)."""
    value: float
    low: float
    high: float

    @property
    def noise(self):
        return (self.high - self.low) / 2


def ratio(numerator, denominator):
    """The medians' quotient; its spread is the inter-quartile range of the quotients of
    repetition i of each (Google Benchmark interleaves them), or, without repetitions, the two
    standard deviations propagated."""
    value = numerator.median / denominator.median
    paired = sorted(set(numerator.repetitions) & set(denominator.repetitions))
    if len(paired) >= 2:
        per_repetition = [numerator.repetitions[i] / denominator.repetitions[i] for i in paired]
        q1, _, q3 = statistics.quantiles(per_repetition, n=4, method="inclusive")
        return Ratio(value, q1, q3)
    relative = math.hypot(numerator.noise / numerator.median, denominator.noise / denominator.median)
    if math.isnan(relative):
        relative = 0.0
    return Ratio(value, value * (1 - relative), value * (1 + relative))


@dataclasses.dataclass
class Run:
    context: dict
    results: dict  # run name -> Result, in registration order

    @property
    def has_repetitions(self):
        return any(len(r.repetitions) >= 2 for r in self.results.values())

    def size_results(self, family):
        """{(variant, alignment): {size: Result}} of a copy or fill family, in registration order."""
        table = {}
        for name, result in self.results.items():
            parts = name.split("/")
            if parts[0] == family and len(parts) == 4 and parts[3].isdigit() and not result.error:
                table.setdefault((parts[1], parts[2]), {})[int(parts[3])] = result
        return table

    def in_ratio_tables(self):
        """The names of the runs that the copy and fill tables show, as a variant or its baseline."""
        names = set()
        for family, baseline in BASELINES.items():
            for (variant, alignment), sizes in self.size_ratios(family).items():
                for n in sizes:
                    names |= {f"{family}/{variant}/{alignment}/{n}", f"{family}/{baseline}/{alignment}/{n}"}
        return names

    def size_ratios(self, family):
        """{(variant, alignment): {size: Ratio}} against glibc, every variant of the file."""
        table = self.size_results(family)
        out = {}
        for (variant, alignment), sizes in table.items():
            base = table.get((BASELINES[family], alignment))
            if variant == BASELINES[family] or base is None:
                continue
            out[(variant, alignment)] = {n: ratio(base[n], r) for n, r in sizes.items() if n in base}
        return {key: value for key, value in out.items() if value}


def load(path):
    try:
        document = json.loads(pathlib.Path(path).read_text())
        entries = document["benchmarks"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise UnusableInput(f"cannot read Google Benchmark results from {path}: {error}") from error
    results = {}
    for entry in entries:
        name = entry.get("run_name", entry.get("name", ""))
        result = results.setdefault(name, Result(order=(entry.get("family_index", 0),
                                                        entry.get("per_family_instance_index", 0))))
        if entry.get("error_occurred"):
            result.error = entry.get("error_message", "failed")
            continue
        nanoseconds = entry["cpu_time"] * TIME_UNITS_NS[entry.get("time_unit", "ns")]
        if entry.get("run_type") == "aggregate":
            if entry.get("aggregate_name") == "median":
                result.aggregate_median = nanoseconds
            elif entry.get("aggregate_name") == "stddev":
                result.aggregate_stddev = nanoseconds
        else:
            result.repetitions[entry.get("repetition_index", len(result.repetitions))] = nanoseconds
    results = {name: r for name, r in results.items() if r.error or not math.isnan(r.median)}
    if not results:
        raise UnusableInput(f"{path} holds no benchmark results")
    return Run(document.get("context", {}),
               dict(sorted(results.items(), key=lambda item: (item[1].order, item[0]))))


def human_size(n):
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n} B"


def human_time(ns, noise_ns):
    """Three significant digits and the noise in the same unit: 1.23 µs ±0.05."""
    unit, scale = next(((u, s) for u, s in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)) if ns >= s), ("ns", 1.0))
    return f"{ns / scale:#.3g}".rstrip(".") + f" {unit} ±{noise_ns / scale:.2g}"


def machine_line(run):
    """CPU, cores, glibc, kernel and date of the run, from the JSON's context."""
    context = run.context
    cpu = context.get("cpu_model", "CPU model not recorded")
    parts = [f"{cpu}, {context['num_cpus']} cores" if "num_cpus" in context else cpu,
             f"glibc {context.get('glibc_version', 'version not recorded')}"]
    if "kernel" in context:
        parts.append(f"Linux {context['kernel']}")
    parts.append(context.get("date", "date not recorded")[:10])
    counts = {len(r.repetitions) for r in run.results.values() if r.repetitions}
    if counts:
        processes = context.get("processes", 1)
        parts.append(f"{max(counts)} repetitions" + (f" in {processes} processes" if processes > 1 else ""))
    return " · ".join(parts)


def noise_note(run):
    if run.has_repetitions:
        return "± half the inter-quartile range of the repetitions"
    return "± the standard deviation: the file has aggregates only"


def markdown_table(header, rows):
    """The first column left-aligned, the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def ratio_cell(r):
    return "—" if r is None else f"{r.value:.2f} ±{r.noise:.2f}"


def ratio_table(run, family):
    """The copy or fill table: one column per variant and alignment, one row per size (or the
    other way round when there are more variants than sizes)."""
    ratios = run.size_ratios(family)
    if not ratios:
        return []
    columns = list(ratios)
    sizes = sorted(set().union(*ratios.values()))
    lines = [f"{family}: median CPU time of glibc {BASELINES[family]} / median CPU time of the variant "
             f"(> 1: faster than glibc; {noise_note(run)})", ""]
    if len(columns) <= len(sizes):
        header = ["size"] + [f"{v} ({a})" for v, a in columns]
        rows = [[human_size(n)] + [ratio_cell(ratios[c].get(n)) for c in columns] for n in sizes]
    else:
        header = ["variant"] + [human_size(n) for n in sizes]
        rows = [[f"{v} ({a})"] + [ratio_cell(ratios[(v, a)].get(n)) for n in sizes] for v, a in columns]
    return lines + markdown_table(header, rows)


def fault_rows(run):
    """[(label, Result, its Ratio to the bare round trip or None)] of the fault family, and the
    resolvable fault minus the mprotect pair when both ran."""
    faults = {name: r for name, r in run.results.items() if name.startswith("fault/")}
    bare = faults.get(FAULT_BASELINE)
    rows = []
    for name, result in faults.items():
        recovered = name.startswith(RECOVERED_FAULTS) and bare is not None and not bare.error
        rows.append((FAULT_LABELS.get(name, f"`{name}`"), result,
                     ratio(result, bare) if recovered and not result.error else None))
    resolvable, pair = faults.get(RESOLVABLE), faults.get(MPROTECT_PAIR)
    if bare and resolvable and pair and not (bare.error or resolvable.error or pair.error):
        difference = resolvable.median - pair.median
        share = Result(order=resolvable.order, aggregate_median=difference,
                       aggregate_stddev=math.hypot(resolvable.noise, pair.noise))
        rows.append(("resolvable fault minus the `mprotect` pair", share, ratio(share, bare)))
    return rows


def summed(a, b):
    """The Result of doing a then b: repetition i of each added up (when both have it)."""
    common = set(a.repetitions) & set(b.repetitions)
    return Result(order=a.order, repetitions={i: a.repetitions[i] + b.repetitions[i] for i in common},
                  aggregate_median=a.median + b.median, aggregate_stddev=math.hypot(a.noise, b.noise))


def resolvable_lines(run):
    """The resolvable fault against the mprotect pair + the bare round trip (the target) and
    against the same work without vmio, when those ran."""
    faults = {name: r for name, r in run.results.items() if name.startswith("fault/")}
    resolvable, pair, bare = faults.get(RESOLVABLE), faults.get(MPROTECT_PAIR), faults.get(FAULT_BASELINE)
    if not (resolvable and pair and bare) or resolvable.error or pair.error or bare.error:
        return []
    parts = summed(pair, bare)
    against_parts = ratio(resolvable, parts)
    line = (f"A resolvable fault costs {against_parts.value:.2f}x ±{against_parts.noise:.2f} the `mprotect` pair "
            f"plus the bare round trip (target ≤ {RESOLVABLE_TARGET}x)")
    floor = faults.get(BARE_RESOLVABLE)
    if floor and not floor.error:
        against_floor = ratio(resolvable, floor)
        floor_parts = ratio(floor, parts)
        line += (f"; the same work without vmio costs {floor_parts.value:.2f}x ±{floor_parts.noise:.2f} of that, "
                 f"so vmio adds {against_floor.value:.2f}x ±{against_floor.noise:.2f} to it")
    return ["", line + "."]


def fault_table(run):
    rows = fault_rows(run)
    if not rows:
        return []
    cells = []
    for label, result, against_bare in rows:
        if result.error:
            cells.append([label, f"failed: {result.error}", ""])
            continue
        cells.append([label, f"{result.median:.0f} ±{result.noise:.0f}",
                      "" if against_bare is None else f"{against_bare.value:.2f}x ±{against_bare.noise:.2f}"])
    return ([f"fault: median CPU time in ns, and the ratio to the bare SIGSEGV round trip "
             f"(target ≤ {FAULT_TARGET}x; {noise_note(run)})", ""]
            + markdown_table(["benchmark", "ns", "vs bare SIGSEGV"], cells) + resolvable_lines(run))


def other_tables(run):
    """Every benchmark that is not in the copy, fill or fault table: a table per family."""
    families = collections.defaultdict(list)
    shown = run.in_ratio_tables()
    for name, result in run.results.items():
        family = name.split("/")[0]
        if name not in shown and family != "fault":
            families[family].append((name, result))
    tables = []
    for family, members in families.items():
        rows = []
        for name, result in members:
            if result.error:
                rows.append([f"`{name}`", f"failed: {result.error}"])
                continue
            rows.append([f"`{name}`", human_time(result.median, result.noise)])
        tables.append([f"{family}: median CPU time ({noise_note(run)})", ""]
                      + markdown_table(["benchmark", "CPU time"], rows))
    return tables


TABLES = {"copy": lambda run: ratio_table(run, "copy"),
          "fill": lambda run: ratio_table(run, "fill"),
          "fault": fault_table}


def print_tables(run):
    blocks = [[f"Run: {machine_line(run)}"]] + [TABLES[kind](run) for kind in TABLES] + other_tables(run)
    print("\n\n".join("\n".join(block) for block in blocks if block))


def rewrite_readme(run, readme):
    """Replaces each marked block of the README with its generated table."""
    path = pathlib.Path(readme)
    try:
        lines = path.read_text().split("\n")
    except OSError as error:
        raise UnusableInput(f"cannot read {readme}: {error}") from error
    out, kinds, i = [], [], 0
    while i < len(lines):
        out.append(lines[i])
        begin = MARKER_BEGIN.match(lines[i])
        i += 1
        if not begin:
            continue
        kind = begin.group(1)
        if kind not in TABLES:
            raise UnusableInput(f"{readme}:{i}: unknown table '{kind}' (known: {', '.join(TABLES)})")
        end = next((j for j in range(i, len(lines)) if lines[j] == MARKER_END or MARKER_BEGIN.match(lines[j])), None)
        if end is None or lines[end] != MARKER_END:
            raise UnusableInput(f"{readme}:{i}: '{lines[i - 1]}' has no '{MARKER_END}' after it")
        table = TABLES[kind](run)
        if not table:
            raise UnusableInput(f"{readme}:{i}: the results have no '{kind}' benchmarks for this table")
        out += ["", f"Run: {machine_line(run)}", ""] + table + [""]
        kinds.append(kind)
        i = end
    if not kinds:
        raise UnusableInput(f"{readme} has no '<!-- bench-table: KIND -->' markers")
    path.write_text("\n".join(out))
    return kinds


def y_range(ratio_sets):
    """One y-range for every ratio panel: all bands and both target levels, with a margin."""
    values = [v for ratios in ratio_sets for points in ratios.values() for r in points.values()
              for v in (r.low, r.high)] + [TARGET_RATIO, TARGET_FULL_RATIO]
    low, high = min(values), max(values)
    margin = (high - low) * 0.05
    return low - margin, high + margin


def variant_colours(run):
    """VARIANT_COLOURS, and a spare colour for a variant it does not name: the same in every chart."""
    colours, spare = {}, iter(OTHER_COLOURS * 8)
    for family in BASELINES:
        for variant, _ in run.size_ratios(family):
            if variant not in colours:
                colours[variant] = VARIANT_COLOURS.get(variant) or next(spare)
    return colours


def size_axis(ax, sizes):
    """A log-2 x axis with a tick at every power of 4, labelled in B, KiB and MiB."""
    ax.set_xscale("log", base=2)
    low, high = int(math.log2(min(sizes))), math.ceil(math.log2(max(sizes)))
    ticks = [1 << k for k in range(low - low % 2, high + 1, 2)]
    ax.set_xticks(ticks, [human_size(t) for t in ticks], rotation=45, ha="right")
    ax.minorticks_off()
    ax.set_xlabel("size (log scale)")


def draw_ratio_figure(plt, run, family, colours, ylim, out):
    """copy.png or fill.png: the ratio to glibc per size, aligned and misaligned side by side."""
    ratios = run.size_ratios(family)
    fig, axes = plt.subplots(1, len(ALIGNMENTS), figsize=(14, 6), sharey=True)
    sizes = sorted(set().union(*ratios.values()))
    for ax, alignment in zip(axes, ALIGNMENTS):
        for (variant, align), points in ratios.items():
            if align != alignment:
                continue
            xs = sorted(points)
            ax.fill_between(xs, [points[n].low for n in xs], [points[n].high for n in xs],
                            color=colours[variant], alpha=0.2, linewidth=0)
            ax.plot(xs, [points[n].value for n in xs], marker=".", color=colours[variant], label=variant)
        ax.axhline(TARGET_FULL_RATIO, color="black", linewidth=1, label="= glibc")
        ax.step([min(sizes), TARGET_FULL_FROM, max(sizes)], [TARGET_RATIO, TARGET_FULL_RATIO, TARGET_FULL_RATIO],
                where="post", color="crimson", linestyle="--", linewidth=1.2,
                label=f"target: ≥ {TARGET_RATIO}x, ≥ {TARGET_FULL_RATIO:g}x from {human_size(TARGET_FULL_FROM)}")
        ax.annotate(f"target {TARGET_RATIO}x", xy=(min(sizes), TARGET_RATIO), xytext=(0, -10),
                    textcoords="offset points", fontsize=8, color="crimson")
        ax.annotate("faster than glibc ↑", xy=(0.01, 0.98), xycoords="axes fraction", va="top", fontsize=9,
                    color="dimgray")
        ax.set_title(f"{alignment} buffers")
        ax.set_ylim(*ylim)
        ax.grid(True, alpha=0.3)
        size_axis(ax, sizes)
    axes[0].set_ylabel(f"glibc {BASELINES[family]} time / vmio time\n(> 1: faster than glibc)")
    axes[0].legend(fontsize=8, loc="lower right")
    band = "inter-quartile range of the repetitions" if run.has_repetitions else "± standard deviation"
    fig.suptitle(f"{family}: vmio's fallible {family} against glibc {BASELINES[family]}, per size "
                 f"(median; band: {band})\n{machine_line(run)}", fontsize=11)
    fig.tight_layout()
    fig.savefig(out, dpi=80)
    plt.close(fig)


def draw_fault_figure(plt, run, out):
    """fault.png: a bar per fault benchmark, against the bare round trip and the target."""
    rows = [row for row in fault_rows(run) if not row[1].error]
    bare = run.results.get(FAULT_BASELINE)
    fig, ax = plt.subplots(figsize=(12, 1.2 + 0.55 * len(rows)))
    labels = [label.replace("`", "") for label, _, _ in rows]
    medians = [result.median for _, result, _ in rows]
    low = [result.median - result.spread()[0] for _, result, _ in rows]
    high = [result.spread()[1] - result.median for _, result, _ in rows]
    bar_colours = [VARIANT_COLOURS["vmio_memcpy_fallible"] if against_bare else "tab:gray"
                   for _, _, against_bare in rows]
    positions = range(len(rows))
    ax.barh(positions, medians, xerr=[low, high], color=bar_colours, capsize=3)
    ax.set_yticks(positions, labels, fontsize=8)
    ax.invert_yaxis()
    for y, (_, result, against_bare) in enumerate(rows):
        note = f"{result.median:.0f} ns" + ("" if against_bare is None else f" = {against_bare.value:.2f}x bare")
        ax.annotate(note, xy=(result.spread()[1], y), xytext=(4, 0), textcoords="offset points", va="center",
                    fontsize=8)
    if bare is not None and not bare.error:
        ax.axvline(bare.median, color="black", linewidth=1, label="bare SIGSEGV round trip")
        ax.axvline(bare.median * FAULT_TARGET, color="crimson", linestyle="--", linewidth=1.2,
                   label=f"target for a recovered fault: ≤ {FAULT_TARGET}x bare")
        ax.legend(fontsize=8, loc="lower right")
    ax.set_xlim(0, max(m + h for m, h in zip(medians, high)) * 1.3)
    ax.set_xlabel("median CPU time per operation, ns (blue: a fault vmio recovers; grey: baselines)")
    ax.grid(True, axis="x", alpha=0.3)
    whisker = "inter-quartile range" if run.has_repetitions else "± standard deviation"
    fig.suptitle(f"fault: the cost of a recovered fault against a bare signal round trip (whiskers: {whisker})"
                 f"\n{machine_line(run)}", fontsize=11)
    fig.tight_layout()
    fig.savefig(out, dpi=80)
    plt.close(fig)


def draw_charts(run, directory):
    """Writes the charts that the results have data for; returns their paths. ImportError:
    no matplotlib (nothing written)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    colours = variant_colours(run)
    families = [f for f in BASELINES if run.size_ratios(f)]
    ylim = y_range([run.size_ratios(f) for f in families]) if families else None
    written = []
    for family in families:
        written.append(directory / f"{family}.png")
        draw_ratio_figure(plt, run, family, colours, ylim, written[-1])
    if any(not row[1].error for row in fault_rows(run)):
        written.append(directory / "fault.png")
        draw_fault_figure(plt, run, written[-1])
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.split("\n")[2:]))
    parser.add_argument("results", help="vmio-bench's JSON (--benchmark_out_format=json)")
    parser.add_argument("--charts", metavar="DIR", help="write copy.png, fill.png and fault.png there")
    parser.add_argument("--readme", metavar="README.md", help="rewrite its generated tables")
    arguments = parser.parse_args()
    try:
        run = load(arguments.results)
        print_tables(run)
        if arguments.readme:
            kinds = rewrite_readme(run, arguments.readme)
            print(f"\n{arguments.readme}: rewrote the {', '.join(kinds)} tables", file=sys.stderr)
    except UnusableInput as error:
        print(f"plot.py: {error}", file=sys.stderr)
        return EXIT_UNUSABLE_INPUT
    if arguments.charts:
        try:
            written = draw_charts(run, arguments.charts)
        except ImportError as error:
            print(f"plot.py: no charts: {sys.executable} has no matplotlib ({error}; Debian: apt-get install "
                  "python3-matplotlib); the tables above are complete", file=sys.stderr)
            return EXIT_NO_MATPLOTLIB
        print(f"charts: {', '.join(map(str, written)) or 'none (no copy, fill or fault results)'}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
