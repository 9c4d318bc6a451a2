"""`posapp db upgrade` and `posapp db backup PATH`: database maintenance from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    db = subparsers.add_parser("db", help="نگهداری پایگاه داده / database maintenance: upgrade, backup, check")
    commands = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    upgrade = commands.add_parser("upgrade", help="به‌روزرسانی ساختار پایگاه داده / apply database migrations (also done at start-up)")
    upgrade.set_defaults(handler=run_upgrade)
    backup = commands.add_parser("backup", help="پشتیبان‌گیری در حین کار برنامه / consistent copy of the SQLite database, even while the app runs")
    backup.add_argument("path", help="پرونده پشتیبان / file to write the backup to")
    backup.set_defaults(handler=run_backup)
    check = commands.add_parser(
        "check", help="بررسی سلامت و سازگاری پایگاه داده / check integrity, foreign keys, totals, outbox rows and numbering")
    check.set_defaults(handler=run_check)


def run_upgrade(args: argparse.Namespace) -> int:
    from posapp.paths import default_database_url
    from posapp.storage import migrate
    from posapp.storage.opening import database_errors_explained, open_database

    database = open_database(args.database_url or default_database_url())
    try:
        with database_errors_explained():
            before = migrate.current_revision(database.engine)
            migrate.upgrade(database.engine)
            after = migrate.current_revision(database.engine)
    except migrate.NewerDatabaseError as exc:
        print(f"{exc.message_fa}\n{exc.message_en}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    if before == after:
        print(f"database already at revision {after}")
    else:
        print(f"database upgraded from {before or 'empty'} to {after}")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from posapp.cli.demo import ProgressBar
    from posapp.services.backup import BackupError
    from posapp.services.context import AppServices

    bar = ProgressBar()
    with AppServices.open(args.database_url) as services:
        try:
            target = services.backup.backup(args.path, progress=lambda done, total: bar("backup", done, total))
        except BackupError as exc:
            print(f"{exc.message_fa}\n{exc.message_en}", file=sys.stderr)
            return 1
    print(f"backup written to {target}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Check the database without changing it (no migration either); exit 1 on any problem."""
    from posapp.paths import default_database_url
    from posapp.services.db_check import check_database
    from posapp.settings.providers import invoice_scope
    from posapp.settings.shop import enabled_sync_providers
    from posapp.settings.store import SettingsStore
    from posapp.storage import migrate
    from posapp.storage.opening import (
        DatabaseProblem,
        Problem,
        database_errors_explained,
        open_database,
    )

    database = open_database(args.database_url or default_database_url())
    try:
        try:
            with database_errors_explained():
                revision: str | None = migrate.current_revision(database.engine)
        except DatabaseProblem as problem:
            if problem.problem is not Problem.CORRUPT:
                raise
            print(f"{problem.message_fa}\n{problem.message_en}", file=sys.stderr)
            revision = None
        else:
            if revision != migrate.head_revision():
                print(f"پایگاه داده در بازبینی {revision or 'خالی'} است؛ نخست «posapp db upgrade» را اجرا کنید\n"
                      f"the database is at revision {revision or 'empty'}; run `posapp db upgrade` first",
                      file=sys.stderr)
                return 1
        settings = SettingsStore()
        providers = enabled_sync_providers(settings)
        report = check_database(database, providers, {name: invoice_scope(settings, name) for name in providers},
                                invariants=revision is not None)
    finally:
        database.dispose()
    print(report.format())
    return 0 if report.ok else 1
