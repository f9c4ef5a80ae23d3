"""Shared bench helpers: figures with targets (PASS/FAIL), percentiles, memory, Qt waiting."""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass(frozen=True, slots=True)
class Figure:
    """One measured figure beside its target; `at_most` False means the target is a minimum."""

    name: str
    value: float
    unit: str
    target: float
    at_most: bool = True
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.value <= self.target if self.at_most else self.value >= self.target

    def line(self) -> str:
        sign = "<=" if self.at_most else ">="
        value = f"{self.value:,.1f} {self.unit}"
        target = f"{sign} {self.target:,g} {self.unit}"
        note = f"  ({self.note})" if self.note else ""
        verdict = "PASS" if self.ok else "FAIL"
        return f"  {self.name:<46} {value:>14}   target {target:<14} {verdict}{note}"


class Report:
    """Collects a script's figures, prints each as it comes, saves them for run_all."""

    def __init__(self, script: str) -> None:
        self.script = script
        self.figures: list[Figure] = []
        self.info: dict[str, object] = {}

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        print(figure.line(), flush=True)
        return figure

    def note(self, key: str, value: object) -> None:
        self.info[key] = value

    @property
    def ok(self) -> bool:
        return all(figure.ok for figure in self.figures)

    def finish(self) -> int:
        OUT.mkdir(parents=True, exist_ok=True)
        data = {"script": self.script, "figures": [asdict(f) for f in self.figures], **self.info}
        (OUT / f"{self.script}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False))
        failed = [figure.name for figure in self.figures if not figure.ok]
        verdict = "all targets met" if not failed else "MISSED: " + ", ".join(failed)
        print(f"{self.script}: {verdict}")
        return 0 if not failed else 1


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def rss_mib(pid: int | str = "self", field: str = "VmRSS") -> float:
    """Resident memory from /proc (VmRSS now, or VmHWM for the peak), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return math.nan


def machine() -> dict[str, object]:
    import platform

    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu_name(),
    }


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def spin_until(condition: Callable[[], bool], timeout_ms: int = 30_000) -> None:
    """Run the Qt event loop (asleep in C, as the app is) until `condition` holds.

    A busy processEvents() loop would hold the GIL and slow the worker threads down.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(1)
    poll.timeout.connect(lambda: condition() and loop.quit())
    poll.start()
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError("the condition did not hold in time")


def spin_for(milliseconds: int) -> None:
    """Run the Qt event loop for a while (asleep in C, as the app is)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()
