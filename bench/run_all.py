"""Run every bench (each in its own process) on the cached big book and write the results table."""

# Usage: python bench/run_all.py [--quick] [--results bench/RESULTS.md] [--only NAME ...]
# The figures of issue 2 first (SCRIPTS), then any other bench/bench_*.py with its defaults.
# The book is generated first if bench/out/ has none (about a minute). Each script prints
# its figures with PASS/FAIL and leaves bench/out/<script>.json; the table of all of them
# goes to bench/out/RESULTS.md, and to --results when given (the committed bench/RESULTS.md).

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from book import ensure_book
from common import OUT, machine

BENCH = Path(__file__).resolve().parent
# (script, arguments for a full run, arguments for --quick)
SCRIPTS: tuple[tuple[str, list[str], list[str]], ...] = (
    ("bench_startup", ["--runs", "9"], ["--runs", "3"]),
    ("bench_invoice_list", ["--repeat", "7"], ["--repeat", "2"]),
    ("bench_typeahead", ["--rounds", "3"], ["--rounds", "1"]),
    ("bench_pdf", ["--runs", "60", "--batch", "1000"], ["--runs", "15", "--batch", "100"]),
    ("bench_deals", ["--boards", "20", "--moves", "100"], ["--boards", "5", "--moves", "20"]),
    ("bench_board", ["--opens", "7", "--drops", "60"], ["--opens", "3", "--drops", "15"]),
    ("bench_thread", ["--runs", "15"], ["--runs", "5"]),
    ("bench_thread_view", ["--runs", "11"], ["--runs", "3", "--keystrokes", "50"]),
    ("bench_campaign", ["--runs", "5"], ["--runs", "2"]),
)


def other_scripts() -> list[tuple[str, list[str], list[str]]]:
    """Benches other issues added (bench/bench_*.py), run with their own defaults."""
    known = {script for script, _full, _quick in SCRIPTS}
    found = sorted(path.stem for path in BENCH.glob("bench_*.py"))
    return [(script, [], []) for script in found if script not in known]


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def table(results: list[dict[str, object]]) -> str:
    lines = [
        "| bench | figure | measured | target | |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for result in results:
        for figure in result.get("figures", []):  # type: ignore[union-attr]
            sign = "≤" if figure["at_most"] else "≥"
            ok = (
                figure["value"] <= figure["target"]
                if figure["at_most"]
                else (figure["value"] >= figure["target"])
            )
            note = f" ({figure['note']})" if figure.get("note") else ""
            lines.append(
                f"| {result['script']} | {figure['name']}{note} | "
                f"{figure['value']:,.1f} {figure['unit']} | {sign} {figure['target']:g} "
                f"{figure['unit']} | {'PASS' if ok else '**FAIL**'} |"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    parser.add_argument("--results", type=Path, help="also write the table here")
    parser.add_argument("--only", nargs="*", help="run only these scripts")
    args = parser.parse_args()
    book = ensure_book()
    load_before = load_average()
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    results: list[dict[str, object]] = []
    failed: list[str] = []
    started = time.perf_counter()
    for script, full, quick in (*SCRIPTS, *other_scripts()):
        if args.only and script not in args.only:
            continue
        print(f"\n== {script}", flush=True)
        (OUT / f"{script}.json").unlink(missing_ok=True)
        command = [sys.executable, str(BENCH / f"{script}.py"), *(quick if args.quick else full)]
        code = subprocess.run(command, env=env, check=False).returncode
        output = OUT / f"{script}.json"
        if output.exists():
            results.append(json.loads(output.read_text()))
        if code != 0 or not output.exists():
            failed.append(script)
    info = machine()
    header = [
        "# Benchmark results",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/run_all.py"
        f"{' --quick' if args.quick else ''}` on the generated book "
        f"({book.contacts:,} contacts, {book.invoices:,} invoices, {book.lines:,} lines).",
        "",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), Python {info['python']}, "
        f"{info['platform']}, Qt offscreen; load average {load_before} before the run, "
        f"{load_average()} after (a shared machine).",
        "",
        "",
    ]
    text = "\n".join(header) + table(results) + "\n"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "RESULTS.md").write_text(text)
    if args.results:
        previous = args.results.read_text() if args.results.exists() else ""
        notes = previous.split("\n## ", 1)[1] if "\n## " in previous else ""
        args.results.write_text(text + (f"\n## {notes}" if notes else ""))
    print(f"\n{text}")
    print(f"all benches in {time.perf_counter() - started:.0f} s")
    if failed:
        print(f"targets missed (or the bench failed): {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
