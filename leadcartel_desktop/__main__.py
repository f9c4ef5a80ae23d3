"""`python -m leadcartel_desktop`: show the window first, then open the book behind it."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date
from types import TracebackType
from typing import TYPE_CHECKING

from leadcartel_desktop.paths import AppPaths, resolve_paths

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from leadcartel_desktop.app import AppContext
    from leadcartel_desktop.ui.context import UiContext
    from leadcartel_desktop.ui.gc_policy import MainThreadCollector
    from leadcartel_desktop.ui.main_window import MainWindow
    from leadcartel_desktop.ui.tasks import TaskRunner

log = logging.getLogger("leadcartel_desktop")
# Reported by --quit-when-ready (bench/bench_startup.py): the first four must not load before
# the first rows are painted; the others are there to see what the start costs.
WATCHED_MODULES = (
    "fpdf", "sqlalchemy.orm", "requests", "keyring",
    "sqlalchemy", "alembic", "babel", "phonenumbers", "email_validator",
)  # fmt: skip
STARTED = time.perf_counter()
SENDING_DELAY_MS = 1000  # the outbox worker starts after the first paint


def elapsed_ms() -> int:
    return round((time.perf_counter() - STARTED) * 1000)


class EarlyBook:
    """Imports the storage stack and opens an existing book on a plain thread.

    It starts once the window is shown and runs while the window paints; the first rows wait
    for it. Nothing here is fpdf, sqlalchemy.orm,
    requests or keyring, and the GUI thread never touches the database. Without a book yet
    (first start) only the imports run: the operator chooses how to begin first.
    """

    def __init__(self, home: str | None, open_book: bool) -> None:
        self._home = home
        self._open_book = open_book
        self._done = threading.Event()
        self.context: AppContext | None = None
        self.error: BaseException | None = None
        threading.Thread(target=self._run, name="open-book", daemon=True).start()

    def _run(self) -> None:
        try:
            from leadcartel_desktop.app import build_context
            from leadcartel_desktop.i18n.formatting import format_date, format_money

            if self._open_book:
                self.context = build_context(self._home)
                locale = self.context.services.settings.business().locale
                format_money(0, "USD", locale)  # load the locale data off the GUI thread
                format_date(date(2000, 1, 1), locale)
        except BaseException as error:
            self.error = error
        finally:
            self._done.set()

    @property
    def opens_book(self) -> bool:
        return self._open_book

    def wait(self) -> AppContext | None:
        """The open book (None on a first start); raises what opening it raised."""
        self._done.wait()
        if self.error is not None:
            raise self.error
        return self.context


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="leadcartel-desktop", description=__doc__)
    parser.add_argument("--home", help="keep the database, logs and settings in this folder")
    parser.add_argument(
        "--demo-if-empty",
        action="store_true",
        help="load demo data without asking when there is no database yet",
    )
    # For bench/: quit once the Payments pane has painted its first rows.
    parser.add_argument("--quit-when-ready", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def setup_logging(paths: AppPaths) -> None:
    handler = logging.handlers.RotatingFileHandler(
        paths.logs / "leadcartel.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def log_uncaught(kind: type[BaseException], error: BaseException, tb: TracebackType | None):
        log.critical("Uncaught exception", exc_info=(kind, error, tb))
        sys.__excepthook__(kind, error, tb)

    sys.excepthook = log_uncaught


class Startup:
    """Opens the book after the window is on screen: first-run choice, demo data, panes."""

    def __init__(
        self,
        app: QApplication,
        window: MainWindow,
        tasks: TaskRunner,
        args: argparse.Namespace,
        early: EarlyBook,
        *,
        collector: MainThreadCollector,
    ) -> None:
        self._app = app
        self._collector = collector
        self._window = window
        self._tasks = tasks
        self._args = args
        self._early = early
        self._first_start = not early.opens_book
        self.app_context: AppContext | None = None
        self._rows_logged = False

    def start(self) -> None:
        if not self._first_start:
            self._tasks.run(self._early.wait, lambda book: self._opened(book, False), self._fatal)
            return
        load_demo = bool(self._args.demo_if_empty)
        if not load_demo:
            from leadcartel_desktop.ui.first_run import FirstRunDialog, StartChoice

            dialog = FirstRunDialog(self._window)
            dialog.exec()
            load_demo = dialog.choice is StartChoice.DEMO
        home, early = self._args.home, self._early

        def open_book() -> AppContext:
            early.wait()  # the imports
            from leadcartel_desktop.app import build_context

            return build_context(home)

        if load_demo:
            self._build_demo(open_book)
            return
        self._tasks.run(open_book, lambda context: self._opened(context, False), self._fatal)

    def _build_demo(self, open_book: Callable[[], AppContext]) -> None:
        """The demo book whole; cancelled or failed, none of it is left and an empty one opens."""
        from leadcartel_desktop.ui.first_run import DemoLoader

        home, early = self._args.home, self._early

        def build(report: Callable[[int, int], None], cancelled: Callable[[], bool]) -> object:
            early.wait()  # the imports
            from leadcartel_desktop.app import create_demo_book

            book = create_demo_book(home, None, report, cancelled)
            return None if book is None else book.context

        def built(context: AppContext | None) -> None:
            if context is not None:
                self._opened(context, True)
            else:
                self._tasks.run(open_book, lambda book: self._opened(book, False), self._fatal)

        loader = DemoLoader(self._tasks, build, self._window)
        loader.finished.connect(built)
        loader.start()

    def _opened(self, app_context: AppContext, load_demo: bool) -> None:
        from leadcartel_desktop.ui.context import UiContext

        self.app_context = app_context
        context = UiContext(app_context.services, self._tasks, app_context.paths)
        log.info("Book open at %s", app_context.paths.database)
        self._attach(context)
        if not self._args.quit_when_ready:  # sending starts once the first rows are painted
            self._start_sending_later(app_context)
        if self._first_start and not load_demo:  # "Start empty": the business details first
            from leadcartel_desktop.ui.first_run import ask_business_details

            ask_business_details(self._window)

    def _start_sending_later(self, app_context: AppContext) -> None:
        from PySide6.QtCore import QTimer

        from leadcartel_desktop.ui.sending_session import start_window_sending

        def start() -> None:
            start_window_sending(self._window, app_context, self._tasks)
            self._collector.freeze_long_lived()  # the start is over: what exists now stays

        # With the window as context: not called once it is gone.
        QTimer.singleShot(SENDING_DELAY_MS, self._window, start)

    def _attach(self, context: UiContext) -> None:
        log.info("Book open %d ms after start", elapsed_ms())
        self._window.attach(context)
        if self._window.payments is None:
            return
        if self._args.quit_when_ready:
            self._window.show_pane(0)
        # The first page of rows arrives with the ids, so `loaded` means rows to paint.
        self._window.payments.invoices.model.loaded.connect(self._first_rows)

    def _first_rows(self) -> None:
        if self._rows_logged:
            return
        self._rows_logged = True
        if self._args.quit_when_ready:
            self._quit_after_paint()
        log.info("First rows %d ms after start", elapsed_ms())

    def _quit_after_paint(self) -> None:
        assert self._window.payments is not None
        self._window.payments.invoices.table.viewport().repaint()
        # bench/ times the start from launching the process to this line, and checks that
        # what should load lazily has not loaded yet.
        loaded = " ".join(name for name in WATCHED_MODULES if name in sys.modules)
        sys.stdout.write(f"ready {elapsed_ms()} ms\nloaded before first paint: {loaded}\n")
        sys.stdout.flush()
        self._app.quit()

    def _fatal(self, error: BaseException) -> None:
        from PySide6.QtWidgets import QMessageBox

        from leadcartel_desktop.ui.errors import error_text

        log.error("Could not open the book", exc_info=(type(error), error, error.__traceback__))
        QMessageBox.critical(self._window, "Lead Cartel Desktop", error_text(error))
        self._app.exit(1)

    def close(self) -> None:
        self._tasks.wait_for_done()
        try:
            early = self._early.wait()  # never leave a half-opened book to a daemon thread
        except BaseException:
            early = None
        for context in {id(c): c for c in (self.app_context, early) if c is not None}.values():
            context.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    paths = resolve_paths(args.home).ensure()
    setup_logging(paths)
    book_exists = paths.database.exists()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from leadcartel_desktop.ui.errors import show_error
    from leadcartel_desktop.ui.main_window import MainWindow
    from leadcartel_desktop.ui.tasks import TaskRunner

    app = QApplication([sys.argv[0] if sys.argv else "leadcartel-desktop"])
    app.setApplicationName("Lead Cartel Desktop")
    app.setOrganizationName("Lead Cartel")
    from leadcartel_desktop.ui.gc_policy import MainThreadCollector

    collector = MainThreadCollector(app)
    collector.start()
    window: MainWindow | None = None
    tasks = TaskRunner(lambda error: show_error(window, error))
    window = MainWindow(paths, tasks)
    window.show()
    # Started only now: on a thread before this point it starves Qt's start of the GIL.
    early = EarlyBook(args.home, open_book=book_exists)
    log.info("Window shown %d ms after start", elapsed_ms())
    startup = Startup(app, window, tasks, args, early, collector=collector)
    # Open the book once the event loop has painted the window.
    QTimer.singleShot(0, startup.start)
    code = app.exec()
    startup.close()
    log.info("Exit %s", code)
    return code


if __name__ == "__main__":
    sys.exit(main())
