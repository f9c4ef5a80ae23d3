"""Cold start: launch to the Payments pane painted with its first rows, against a bare window."""

# Both run as fresh processes, alternating, timed from spawn to the line each prints once
# painted (`python -m leadcartel_desktop --quit-when-ready`; process exit is not counted).
# Target: the app's median at most 2.5x the bare PySide6 window's median, measured together.
#     python bench/bench_startup.py [--runs N] [--home BOOK_HOME]

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from book import ensure_book, reset_window_state
from common import OUT, Figure, Report, median, rss_mib

TARGET_RATIO = 2.5
RSS_TARGET_MIB = 250.0
BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1180, 760)
window.show()
def ready():
    window.repaint()
    sys.stdout.write("ready\\n")
    sys.stdout.flush()
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


LAZY = ("fpdf", "sqlalchemy.orm", "requests", "keyring")  # not before the first paint


def launch(command: list[str]) -> tuple[float, float, list[str]]:
    """Seconds from spawn to the 'ready' line, the peak resident memory then (MiB), and the
    watched modules the app reports loaded before its first paint."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    # Bytecode as an installed app has it: written once (warm-up runs) to a cache of our own,
    # even where the environment says not to write it (PYTHONDONTWRITEBYTECODE).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    )
    assert process.stdout is not None
    watchdog = threading.Timer(120, process.kill)  # a start that never paints fails the bench
    watchdog.start()
    try:
        for line in process.stdout:
            if line.startswith("ready"):
                elapsed = time.perf_counter() - started
                break
        else:
            raise RuntimeError(f"{command} ended without painting (exit {process.wait()})")
        try:
            peak = rss_mib(process.pid, field="VmHWM")
        except OSError:
            peak = 0.0
        loaded: list[str] = []
        for line in process.stdout:
            if line.startswith("loaded before first paint:"):
                loaded = line.split(":", 1)[1].split()
        process.wait(timeout=120)
    finally:
        watchdog.cancel()
    return elapsed, peak, loaded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", help="a book folder (default: bench/book.py's cached book)")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    home = Path(args.home) if args.home else ensure_book().home
    reset_window_state(home)  # open on Payments, as a first start would
    report = Report("bench_startup")
    bare_command = [sys.executable, "-c", BARE]
    app_command = [
        sys.executable, "-m", "leadcartel_desktop", "--home", str(home), "--quit-when-ready",
    ]  # fmt: skip
    launch(bare_command)  # warm the file cache (and write the bytecode) for both first
    launch(app_command)
    bare, app, memory = [], [], []
    loaded: set[str] = set()
    for _ in range(args.runs):
        bare.append(launch(bare_command)[0])
        seconds, peak, modules = launch(app_command)
        app.append(seconds)
        memory.append(peak)
        loaded.update(modules)
    bare_ms, app_ms = median(bare) * 1000, median(app) * 1000
    report.note("bare_ms", [round(value * 1000) for value in bare])
    report.note("app_ms", [round(value * 1000) for value in app])
    report.add(
        Figure(
            "cold start to first rows / bare window (medians)",
            app_ms / bare_ms,
            "x",
            TARGET_RATIO,
            note=f"app {app_ms:.0f} ms, bare {bare_ms:.0f} ms, n={args.runs}",
        )
    )
    early = sorted(name for name in loaded if name in LAZY)
    report.add(
        Figure(
            "fpdf, sqlalchemy.orm, requests, keyring loaded",
            len(early),
            "modules",
            0,
            note=f"before the first paint: {' '.join(sorted(loaded)) or 'none of those watched'}",
        )
    )
    report.add(Figure("peak resident memory at first rows", max(memory), "MiB", RSS_TARGET_MIB))
    return report.finish()


if __name__ == "__main__":
    raise SystemExit(main())
