#!/usr/bin/env python3
"""Every target's declared dependencies are exactly the modules its sources import.

Why: SwiftPM orders builds by declared dependencies. A module imported but not declared
still compiles while another target happens to pull it in, but is not rebuilt in order
when its layout changes (stale code that crashes), and breaks as soon as that other
target drops it. A module declared but never imported is a false edge in the graph that
readers trust. For each target in Package.swift this compares the `import`s of its Swift
sources with its `dependencies:` (a product counts by its module name) and fails on any
difference either way.

    Scripts/check-target-imports.py        (exit 0: all match; 1: a mismatch, listed)
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Modules that come with the toolchain or the system, never declared.
SYSTEM = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "Dispatch", "Synchronization", "Testing",
    "XCTest", "Glibc", "Darwin", "Musl", "os", "_Concurrency", "Observation", "RegexBuilder", "Swift",
}

# A product brings the modules of all its targets; Yams's includes the C parser CYaml,
# which PedigreeYAML imports for the alias scan. A declared product is used when any of
# its modules is imported.
PRODUCT_MODULES = {"Yams": {"Yams", "CYaml"}}

TARGET = re.compile(r'\.(target|testTarget|executableTarget)\(\s*name:\s*"([^"]+)"')
IMPORT = re.compile(
    r'^\s*(?:@\w+(?:\([^)]*\))?\s+)*import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?([A-Za-z_][A-Za-z0-9_]*)',
    re.MULTILINE)


def bracketed(text: str, start: int) -> str:
    """The text inside the square brackets that open at `start`."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "[":
            depth += 1
        elif text[i] == "]":
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
    raise SystemExit(f"Package.swift: unbalanced brackets after offset {start}")


def targets(manifest: str):
    """(kind, name, declared modules) for each target, in manifest order."""
    found = list(TARGET.finditer(manifest))
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(manifest)
        body = manifest[match.end():end]
        deps = set()
        at = body.find("dependencies:")
        if at >= 0:
            inside = bracketed(body, body.index("[", at))
            inside = re.sub(r'package:\s*"[^"]*"', "", inside)  # a product counts by its name
            deps = set(re.findall(r'"([^"]+)"', inside))
        yield match.group(1), match.group(2), deps


# Multi-line string literals (test oracles embed Python with its own `import`s) and comments.
LITERAL = re.compile(r'#*"""(?:.|\n)*?"""#*|//[^\n]*|/\*(?:.|\n)*?\*/')


def imports(folder: pathlib.Path) -> dict:
    """Module -> first file importing it, over the folder's Swift sources."""
    seen = {}
    for path in sorted(folder.rglob("*.swift")):
        code = LITERAL.sub("", path.read_text(encoding="utf-8"))
        for module in IMPORT.findall(code):
            if module not in SYSTEM:
                seen.setdefault(module, path.relative_to(ROOT))
    return seen


def main() -> int:
    manifest = (ROOT / "Package.swift").read_text(encoding="utf-8")
    problems = []
    checked = 0
    for kind, name, declared in targets(manifest):
        folder = ROOT / ("Tests" if kind == "testTarget" else "Sources") / name
        if not any(folder.rglob("*.swift")):
            continue  # a C target: its headers name no Swift modules
        checked += 1
        used = imports(folder)
        provided = set().union(*(PRODUCT_MODULES.get(d, {d}) for d in declared)) if declared else set()
        for module in sorted(set(used) - provided):
            problems.append(f"{name}: imports {module} ({used[module]}) but does not declare it")
        for module in sorted(d for d in declared if not PRODUCT_MODULES.get(d, {d}) & set(used)):
            problems.append(f"{name}: declares {module} but no source imports it")
    for problem in problems:
        print(problem)
    print(f"check-target-imports: {checked} targets, {len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
