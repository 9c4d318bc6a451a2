"""`posapp db upgrade` and `posapp db backup PATH`: database maintenance from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    db = subparsers.add_parser("db", help="نگهداری پایگاه داده / database maintenance: upgrade, backup")
    commands = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    upgrade = commands.add_parser("upgrade", help="به‌روزرسانی ساختار پایگاه داده / apply database migrations (also done at start-up)")
    upgrade.set_defaults(handler=run_upgrade)
    backup = commands.add_parser("backup", help="پشتیبان‌گیری در حین کار برنامه / consistent copy of the SQLite database, even while the app runs")
    backup.add_argument("path", help="پرونده پشتیبان / file to write the backup to")
    backup.set_defaults(handler=run_backup)


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
