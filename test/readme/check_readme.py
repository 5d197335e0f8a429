#!/usr/bin/env python3
"""Checks that every ```cpp block of README.md is, verbatim, the README region of an example
program in this folder: the block follows a line <!-- example: NAME.cpp --> and equals the lines
of NAME.cpp between "// README:begin" and "// README:end" (the common indentation removed).

Usage: check_readme.py README.md EXAMPLE_DIR    Exit status 1 with a diff on any mismatch."""
import difflib
import pathlib
import re
import sys
import textwrap

MARKER = re.compile(r"<!-- example: (\S+) -->")


def region(path):
    text = path.read_text()
    begin = text.index("// README:begin\n") + len("// README:begin\n")
    end = text.index("// README:end", begin)
    body = text[begin:end]
    return textwrap.dedent(body[: body.rfind("\n") + 1])


def main(readme, examples):
    lines = pathlib.Path(readme).read_text().splitlines(keepends=True)
    failures = 0
    checked = 0
    for number, line in enumerate(lines):
        if not line.startswith("```cpp"):
            continue
        end = next(i for i in range(number + 1, len(lines)) if lines[i].startswith("```"))
        block = "".join(lines[number + 1 : end])
        marker = MARKER.search(lines[number - 1]) if number > 0 else None
        if marker is None:
            print(f"README.md:{number + 1}: a cpp block without an <!-- example: NAME.cpp --> line before it")
            failures += 1
            continue
        expected = region(pathlib.Path(examples) / marker.group(1))
        checked += 1
        if block != expected:
            failures += 1
            print(f"README.md:{number + 1}: the block differs from {marker.group(1)}'s README region:")
            sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), block.splitlines(True),
                                                       marker.group(1), "README.md"))
    print(f"{checked} README examples checked, {failures} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
