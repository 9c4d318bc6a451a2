"""The `posapp` command: no subcommand opens the GUI; subcommands run headless jobs.

Each module in this package that defines `register(subparsers)` adds its own subcommands, so
areas (db, demo data, render, providers, sync) own their command-line surface. Handlers import
heavy libraries lazily, keeping `posapp --version` and GUI start-up fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
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


def command_group(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_text: str,
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """The sub-commands of `posapp NAME`, created by whichever module asks first, so several
    modules can add to one command (`posapp report` holds the shop-day and the owner's reports)."""
    parser = subparsers.choices.get(name)
    if parser is None:
        parser = subparsers.add_parser(name, help=help_text)
        parser.add_subparsers(dest=f"{name}_command", metavar=f"{name.upper()}_COMMAND", required=True)
    return next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))


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
        code = int(handler(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return code
    except KeyboardInterrupt:
        print("cancelled", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _reader_went_away()
    except Exception as error:
        return _report_failure(error, args)


def _reader_went_away() -> int:
    """The output was piped into a reader that stopped early (`| head`): stop quietly, as
    Unix tools do. Later writes, including the interpreter's final flush, go to /dev/null."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 141


EXIT_FAILED = 1


def _report_failure(error: Exception, args: argparse.Namespace) -> int:
    """A broken rule or a database problem (damaged, newer, read-only, full disk) as its Persian
    and English message and exit code 1, never a traceback; anything else is a bug and raises."""
    from posapp.paths import default_database_url
    from posapp.services.failures import explained
    from posapp.storage.engine import sqlite_file

    problem = explained(error, sqlite_file(args.database_url or default_database_url()) or "")
    if problem is None:
        raise error
    logging.getLogger("posapp.cli").debug("command failed", exc_info=error)
    print(f"{problem.message_fa}\n{problem.message_en}", file=sys.stderr)
    return EXIT_FAILED
