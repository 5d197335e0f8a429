#!/usr/bin/python3
"""bench/plot.py on results.json, a small vmio-bench JSON made for this test (5 repetitions of a
few copy, fill, fault, atomic and explore benchmarks, and one failed benchmark): the tables'
text, a variant without its glibc baseline, the noise estimate of a file with aggregates only,
the README rewrite and its refusals, the tables without matplotlib (exit status 3), and, when
matplotlib is installed, the charts.

Usage: plot_test.py PLOT_PY RESULTS_JSON    (unittest's output; exit status 1 on a failure)
"""
import importlib.util
import json
import pathlib
import subprocess
import sys
import tempfile
import unittest

PLOT, RESULTS = sys.argv[1:3] if len(sys.argv) == 3 else (None, None)

README = """# Title

Text before.

<!-- bench-table: copy -->
stale copy table
<!-- /bench-table -->

Text between.

<!-- bench-table: fault -->
<!-- /bench-table -->

Text after.
"""


def plot(*arguments, hide_matplotlib=False):
    """Runs plot.py as a user does (executed: its #! line picks the interpreter)."""
    command = [PLOT, *map(str, arguments)]
    if hide_matplotlib:
        # The same interpreter with matplotlib made unimportable.
        command = [sys.executable, "-c",
                   "import runpy, sys; sys.modules['matplotlib'] = None; sys.argv = sys.argv[1:]; "
                   "runpy.run_path(sys.argv[0], run_name='__main__')", *command]
    return subprocess.run(command, capture_output=True, text=True)


class PlotTest(unittest.TestCase):
    def setUp(self):
        self.directory = pathlib.Path(tempfile.mkdtemp(prefix="vmio-plot-test."))

    def tearDown(self):
        for path in sorted(self.directory.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        self.directory.rmdir()

    def test_tables_show_every_benchmark_with_its_noise(self):
        result = plot(RESULTS)
        self.assertEqual(result.returncode, 0, result.stderr)
        for line in [
            "Run: Example CPU @ 2.60GHz, 2 cores · glibc 2.36 · Linux 6.1.0 · 2026-01-02 · 5 repetitions",
            "copy: median CPU time of glibc memcpy / median CPU time of the variant (> 1: faster than glibc; "
            "± half the inter-quartile range of the repetitions)",
            "| size | vmio_memcpy_fallible (aligned) |",
            "| 64 B | 1.05 ±0.02 |",
            "| 4 KiB | 0.93 ±0.00 |",
            "| 64 B | 1.24 ±0.01 |",
            "| unresolvable fault, 1-byte copy from a PROT_NONE page | 1120 ±10 | 1.10x ±0.00 |",
            "| resolvable fault minus the `mprotect` pair | 1520 ±10 | 1.49x ±0.02 |",
            "| `atomic_load/u64/std::atomic` | 0.260 ns ±0.005 |",
            "| `explore/pipe-read` | 1.70 ms ±0.1 |",
            "| `api/read_val_u64/memcpy` | failed: no buffer |",
        ]:
            self.assertIn(line + "\n", result.stdout)

    def test_aggregates_only_use_the_standard_deviation(self):
        document = json.loads(pathlib.Path(RESULTS).read_text())
        document["benchmarks"] = [b for b in document["benchmarks"] if b.get("run_type") == "aggregate"]
        aggregates = self.directory / "aggregates.json"
        aggregates.write_text(json.dumps(document))
        result = plot(aggregates)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("± the standard deviation: the file has aggregates only", result.stdout)
        self.assertIn("| 64 B | 1.05 ±0.09 |\n", result.stdout)

    def test_a_variant_without_its_baseline_is_shown_as_a_time(self):
        document = json.loads(pathlib.Path(RESULTS).read_text())
        document["benchmarks"] = [b for b in document["benchmarks"] if b["run_name"] != "fill/memset/misaligned/64"]
        no_memset = self.directory / "no-memset.json"
        no_memset.write_text(json.dumps(document))
        result = plot(no_memset)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("fill: median CPU time of glibc memset", result.stdout)
        self.assertIn("| `fill/vmio_memset_fallible/misaligned/64` | 2.50 ns ±0.05 |\n", result.stdout)

    def test_readme_tables_are_rewritten_between_their_markers(self):
        readme = self.directory / "README.md"
        readme.write_text(README)
        for _ in range(2):  # the second rewrite finds the first one's output and gives the same text
            result = plot(RESULTS, "--readme", readme)
            self.assertEqual(result.returncode, 0, result.stderr)
            text = readme.read_text()
            self.assertNotIn("stale copy table", text)
            self.assertEqual(text.count("| 64 B | 1.05 ±0.02 |"), 1)
            self.assertEqual(text.count("| `mprotect` pair (NONE then RW) | 2000 ±0 |  |"), 1)
            self.assertNotIn("atomic_load", text)
            # 3520 / (2000 + 1020)
            self.assertIn("A resolvable fault costs 1.17x ±0.00 the `mprotect` pair plus the bare round trip", text)
            run = "Run: Example CPU @ 2.60GHz, 2 cores · glibc 2.36 · Linux 6.1.0 · 2026-01-02 · 5 repetitions"
            for kept in (f"# Title\n\nText before.\n\n<!-- bench-table: copy -->\n\n{run}\n\ncopy: median CPU time",
                         f"|\n\n<!-- /bench-table -->\n\nText between.\n\n<!-- bench-table: fault -->\n\n{run}\n\nfault:",
                         "(target ≤ 1.1x).\n\n<!-- /bench-table -->\n\nText after.\n"):
                self.assertIn(kept, text)
            self.assertTrue(text.endswith("Text after.\n"))

    def test_readme_left_alone_when_its_markers_are_wrong(self):
        readme = self.directory / "README.md"
        for broken, message in [
            (README.replace("bench-table: fault", "bench-table: nonesuch"), "unknown table 'nonesuch'"),
            (README.replace("<!-- /bench-table -->\n\nText after.", "Text after."), "has no '<!-- /bench-table -->'"),
            ("no markers\n", "has no '<!-- bench-table: KIND -->' markers"),
        ]:
            readme.write_text(broken)
            result = plot(RESULTS, "--readme", readme)
            self.assertEqual(result.returncode, 1, result.stdout)
            self.assertIn(message, result.stderr)
            self.assertEqual(readme.read_text(), broken)

    def test_readme_refused_for_a_table_without_results(self):
        document = json.loads(pathlib.Path(RESULTS).read_text())
        document["benchmarks"] = [b for b in document["benchmarks"] if not b["run_name"].startswith("fault/")]
        no_faults = self.directory / "no-faults.json"
        no_faults.write_text(json.dumps(document))
        readme = self.directory / "README.md"
        readme.write_text(README)
        result = plot(no_faults, "--readme", readme)
        self.assertEqual(result.returncode, 1)
        self.assertIn("the results have no 'fault' benchmarks", result.stderr)
        self.assertEqual(readme.read_text(), README)

    def test_unreadable_results(self):
        result = plot(self.directory / "missing.json")
        self.assertEqual(result.returncode, 1)
        self.assertIn("cannot read Google Benchmark results", result.stderr)

    def test_tables_without_matplotlib(self):
        result = plot(RESULTS, "--charts", self.directory, hide_matplotlib=True)
        self.assertEqual(result.returncode, 3)
        self.assertIn("| 64 B | 1.05 ±0.02 |\n", result.stdout)
        self.assertIn("has no matplotlib (", result.stderr)
        self.assertIn("Debian: apt-get install python3-matplotlib", result.stderr)
        self.assertEqual(list(self.directory.iterdir()), [])

    def test_charts(self):
        if importlib.util.find_spec("matplotlib") is None:
            self.skipTest(f"{sys.executable} has no matplotlib")
        result = plot(RESULTS, "--charts", self.directory)
        self.assertEqual(result.returncode, 0, result.stderr)
        for name in ("copy.png", "fill.png", "fault.png"):
            self.assertTrue((self.directory / name).read_bytes().startswith(b"\x89PNG"), name)


if __name__ == "__main__":
    if PLOT is None:
        sys.exit(__doc__)
    unittest.main(argv=sys.argv[:1], verbosity=2)
