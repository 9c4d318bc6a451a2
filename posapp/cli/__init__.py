"""The `posapp` command: no subcommand opens the GUI; subcommands run headless jobs.

Each module in this package that defines `register(subparsers)` adds its own subcommands, so
areas (db, demo data, render, providers, sync) own their command-line surface. Handlers import
heavy libraries lazily, keeping `posapp --version` and GUI start-up fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

from posapp import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="posapp",
        description="posapp: point-of-sale invoicing for shops in Iran. Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"posapp {__version__}")
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL of the database (default: POSAPP_DATABASE_URL or SQLite in the data folder)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    handler = getattr(args, "handler", None)
    if handler is None:
        from posapp.app import run_gui

        return run_gui(args)
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        print("cancelled", file=sys.stderr)
        return 130
    except Exception as error:
        return _report_failure(error, args)


EXIT_FAILED = 1


def _report_failure(error: Exception, args: argparse.Namespace) -> int:
    """A broken rule or a database problem (damaged, newer, read-only, full disk) as its Persian
    and English message and exit code 1, never a traceback; anything else is a bug and raises."""
    from posapp.domain.errors import DomainError
    from posapp.paths import default_database_url
    from posapp.storage.engine import sqlite_file
    from posapp.storage.opening import explain_failure

    file_name = sqlite_file(args.database_url or default_database_url()) or ""
    problem = error if isinstance(error, DomainError) else explain_failure(error, file_name)
    if problem is None:
        raise error
    logging.getLogger("posapp.cli").debug("command failed", exc_info=error)
    print(f"{problem.message_fa}\n{problem.message_en}", file=sys.stderr)
    return EXIT_FAILED
