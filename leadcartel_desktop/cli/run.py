"""Run one command: open the book, call the handler, turn errors into messages and exit codes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from leadcartel_desktop.app import build_context, database_exists
from leadcartel_desktop.cli.parser import build_parser
from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.paths import AppPaths, resolve_paths
from leadcartel_desktop.services.ports import Clock

EXIT_OK = 0
EXIT_ERROR = 1  # the operator can fix it: bad input, not found, refused by a rule
EXIT_USAGE = 2  # argparse: unknown command or option
EXIT_BUG = 3  # unexpected; the traceback is in the log file
EXIT_INTERRUPTED = 130
LOG_FILE = "leadcartel.log"

log = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    """The `leadcartel` console script; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # argparse already printed usage or help
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    _utf8_output()
    paths = resolve_paths(args.home)
    try:
        if getattr(args, "standalone", False):  # opens the book itself, if at all (sandbox)
            standalone: int = args.handler(args)
            return standalone
        if getattr(args, "makes_book", False):  # builds the book itself (demo)
            made: int = args.handler(args, clock)
            return made
        if args.needs_book and not database_exists(args.home):
            raise UserFacingError(
                f"there is no book in {paths.data}: run `leadcartel demo`, "
                "`leadcartel invoice create` or the app first (or pass --home)"
            )
        context = build_context(args.home, clock)
        try:
            code: int = args.handler(context.services, args)
        finally:
            context.close()
        return code
    except UserFacingError as error:
        _error(error.message)
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
    except Exception:
        log_path = _log_bug(paths, argv)
        _error(f"unexpected error; the details are in {log_path}")
        return EXIT_BUG


def _error(message: str) -> None:
    sys.stderr.write(f"error: {' '.join(message.split())}\n")


def _utf8_output() -> None:
    """Names with accents must survive a Windows pipe whose default code page lacks them."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and stream.encoding.lower().replace("-", "") != "utf8":
            reconfigure(encoding="utf-8")


def _log_bug(paths: AppPaths, argv: Sequence[str] | None) -> str:
    """Write the traceback to the log file (never to the screen); returns the file's path."""
    paths.logs.mkdir(parents=True, exist_ok=True)
    path = paths.logs / LOG_FILE
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    try:
        shown = list(sys.argv[1:] if argv is None else argv)
        log.error("Unexpected error in `leadcartel %s`", " ".join(shown), exc_info=True)
    finally:
        log.removeHandler(handler)
        handler.close()
    return str(path)
