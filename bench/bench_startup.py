"""Cold start: launch to the Payments pane painted with its first rows, against a bare window.

Both are launched as fresh processes, alternating, and timed from spawn to the line they print
once painted (process exit is not counted). Target: app median <= 2.5x the bare median.
    python bench/bench_startup.py BOOK_HOME [--runs N]
(make a real-sized book first with bench/big_book.py BOOK_HOME)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_RATIO = 2.5
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


def launch(command: list[str]) -> tuple[float, int]:
    """Seconds from spawn to the 'ready' line, and the peak resident memory (KiB) if known."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("ready"):
            elapsed = time.perf_counter() - started
            break
    else:
        raise RuntimeError(f"{command} ended without painting (exit {process.wait()})")
    peak = _peak_rss_kib(process.pid)
    process.wait(timeout=120)
    return elapsed, peak


def _peak_rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("home")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    bare_command = [sys.executable, "-c", BARE]
    app_command = [
        sys.executable, "-m", "leadcartel_desktop", "--home", args.home, "--quit-when-ready",
    ]  # fmt: skip
    launch(bare_command)  # warm the file cache for both before measuring
    launch(app_command)
    bare, app, memory = [], [], []
    for _ in range(args.runs):
        bare.append(launch(bare_command)[0])
        seconds, peak = launch(app_command)
        app.append(seconds)
        memory.append(peak)
    bare_median, app_median = statistics.median(bare), statistics.median(app)
    ratio = app_median / bare_median
    for name, values in (("bare PySide6 window", bare), ("app, first rows painted", app)):
        median, fastest = statistics.median(values) * 1000, min(values) * 1000
        print(f"{name:<24} median {median:6.0f} ms  (min {fastest:.0f})")
    print(f"ratio                    {ratio:6.2f}x  (target <= {TARGET_RATIO}x)")
    print(f"app peak RSS at first rows {max(memory) / 1024:6.0f} MiB")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
