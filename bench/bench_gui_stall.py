"""GUI stall while sending: the longest event-loop gap as the worker drains 1,000 messages."""

# The main window is open on a demo book with sending started as the app starts it
# (start_window_sending: the OutboxWorker, the status-bar label fed by a signal bridge, the
# periodic job) and garbage collected on the GUI thread as the app does (ui/gc_policy.py).
# The sandbox's Twilio server runs in its own process and answers after --latency-ms. Once
# sending has started (its start is timed apart: it happens once, with the window), 1,000
# messages are queued in one transaction off the GUI thread, as a campaign's build queues
# them. A QTimer probe every 10 ms records the longest gap between its ticks while every row
# goes out: that is how long the window could not answer.
#     python bench/bench_gui_stall.py [--count 1000] [--latency-ms 50]

from __future__ import annotations

import argparse
import multiprocessing
import os
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_outbox import _memory_keyring, _provider
from common import Figure, Report, machine, spin_for, spin_until

GAP_TARGET_MS = 50.0
START_WATCH_MS = 1000
PROBE_MS = 10


class Probe:
    """A 10 ms timer that keeps the longest gap between two of its ticks."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest_ms = 0.0
        self.ticks = 0
        self._last = time.perf_counter()
        self.timer = QTimer(interval=PROBE_MS)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_ms = max(self.longest_ms, (now - self._last) * 1000)
        self._last = now
        self.ticks += 1


def run(count: int, latency_ms: int, provider_limit: int) -> int:
    from PySide6.QtWidgets import QApplication

    from leadcartel_desktop.app import create_demo_book
    from leadcartel_desktop.domain.outbox import Channel, OutboxState
    from leadcartel_desktop.domain.providers import (
        ProviderKind,
        ProviderSettings,
        SecretName,
        TwilioSettings,
    )
    from leadcartel_desktop.services.outbox import new_item
    from leadcartel_desktop.ui.context import UiContext
    from leadcartel_desktop.ui.gc_policy import MainThreadCollector
    from leadcartel_desktop.ui.main_window import MainWindow
    from leadcartel_desktop.ui.sending_session import start_window_sending
    from leadcartel_desktop.ui.tasks import TaskRunner

    _memory_keyring()
    app = QApplication.instance() or QApplication([])
    collector = MainThreadCollector()  # as the app does: garbage collected on the GUI thread
    collector.start()
    report = Report("bench_gui_stall")
    report.note("machine", machine())
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as folder:
        ours, theirs = spawn.Pipe()
        sandbox = str(Path(folder) / "sandbox")
        server = spawn.Process(target=_provider, args=(sandbox, latency_ms, provider_limit, theirs))
        server.start()
        provider = ours.recv()
        book = create_demo_book(Path(folder) / "home")
        assert book is not None
        context = book.context
        tasks = TaskRunner(lambda error: print(f"  task failed: {error!r}"))
        window = MainWindow(context.paths, tasks)
        try:
            services = context.services
            services.providers.save(
                ProviderSettings(
                    sms=ProviderKind.TWILIO,
                    twilio=TwilioSettings(
                        account_sid=provider["account_sid"],
                        from_number=provider["from_number"],
                        base_url=provider["url"],
                    ),
                    ca_bundle=provider["ca_bundle"],
                )
            )
            services.providers.save_secret(SecretName.TWILIO_AUTH_TOKEN, provider["token"])
            window.show()
            window.attach(UiContext(services, tasks, context.paths))
            assert window.payments is not None
            spin_until(lambda: window.payments.invoices.model.rowCount() > 0, 30_000)
            # Sending starts as the app starts it, with the window; its start (the worker's
            # first look, the sending stack's imports) is timed on its own probe.
            start_probe = Probe()
            start_probe.start()
            sending = start_window_sending(window, context, tasks)
            assert sending is not None
            collector.freeze_long_lived()  # as the app does once sending has started
            idle = threading.Event()
            threading.Thread(
                target=lambda: sending.worker.wait_settled(30) and idle.set(), daemon=True
            ).start()
            spin_until(idle.is_set, 30_000)
            spin_until(tasks.is_idle, 30_000)
            spin_for(START_WATCH_MS)  # the periodic job's first run, the label's first count
            start_probe.timer.stop()
            # Then 1,000 messages are queued in one transaction off the GUI thread, as a
            # campaign's build does, and drain while the probe watches the window.
            items = [
                new_item(Channel.SMS, f"+659{n:07d}", {"body": f"Reminder {n}: invoice due"})
                for n in range(count)
            ]
            queued = threading.Event()

            def queue_all() -> None:
                with context.database.unit_of_work() as uow:
                    services.outbox.queue_many_in(uow, items)
                    uow.commit()
                services.outbox.changed()
                queued.set()

            probe = Probe()
            probe.start()
            started = time.perf_counter()
            threading.Thread(target=queue_all, daemon=True).start()
            settled = threading.Event()

            def drain() -> None:
                queued.wait(60)
                if sending.worker.wait_settled(300):
                    settled.set()

            threading.Thread(target=drain, daemon=True).start()
            spin_until(settled.is_set, 300_000)
            drained = time.perf_counter() - started
            spin_until(lambda: sending.label.text() == "", 5_000)  # the label caught up
            probe.timer.stop()
            counts = services.outbox.counts()
            label = sending.label.text()
        finally:
            tasks.wait_for_done()
            window.close()
            context.close()
            ours.send("count")
            received = ours.recv()
            server.join(30)
    collector.stop()
    del app
    report.add(
        Figure(
            "longest event-loop gap as sending starts (once, with the window)",
            start_probe.longest_ms,
            "ms",
            GAP_TARGET_MS,
            note=f"{start_probe.ticks:,} probe ticks",
        )
    )
    report.add(
        Figure(
            "longest event-loop gap while sending",
            probe.longest_ms,
            "ms",
            GAP_TARGET_MS,
            note=f"{probe.ticks:,} probe ticks over {drained:.1f} s; {count:,} messages",
        )
    )
    report.note("drain_s", round(drained, 2))
    report.note("counts", {state.value: n for state, n in counts.items() if n})
    print(f"  drained in {drained:.1f} s; states {report.info['counts']}; label {label!r}")
    if counts.get(OutboxState.SENT, 0) != count or received != count:
        print(f"  MISSED: {received:,} arrived, not every message was sent exactly once")
        return 1
    return report.finish()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--provider-limit", type=int, default=10)
    args = parser.parse_args()
    return run(args.count, args.latency_ms, args.provider_limit)


if __name__ == "__main__":
    raise SystemExit(main())
