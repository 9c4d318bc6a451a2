"""Apply Alembic migrations from inside the installed package (no alembic.ini needed)."""

from __future__ import annotations

import threading

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from posapp.domain.errors import DomainError
from posapp.storage.engine import writer

SCRIPT_LOCATION = "posapp.storage:migrations"

_ALEMBIC_LOCK = threading.Lock()
"""Alembic keeps its running context in module globals: one migration at a time per process."""


class NewerDatabaseError(DomainError):
    """The database was written by a newer posapp than this one; nothing was changed."""

    def __init__(self, revision: str) -> None:
        super().__init__(
            f"این پایگاه داده با نسخه تازه‌تری از برنامه ساخته شده است (بازبینی {revision})؛ برنامه را به‌روز کنید",
            f"this database was created by a newer posapp (revision {revision}); update posapp to open it",
        )
        self.revision = revision


class UpgradeFailedError(DomainError):
    """A revision could not be applied to this database (its tables are not what the revisions
    before made: a copy from an unreleased build, or edited by hand). The upgrade runs in one
    transaction, so the database is left exactly as it was."""

    def __init__(self, revision: str | None, reason: str) -> None:
        at = revision or "empty"
        super().__init__(
            f"به‌روزرسانی پایگاه داده از بازبینی {at} انجام نشد و چیزی تغییر نکرد ({reason})؛ "
            "نسخه پشتیبان سالم را بازگردانید یا با پشتیبانی تماس بگیرید",
            f"the database could not be upgraded from revision {at} and nothing was changed ({reason}); "
            "restore a good backup or contact support",
        )
        self.revision = revision


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def revisions() -> list[str]:
    """Every revision id from the first to head, in upgrade order."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database up to `revision` in one write transaction; safe to call again and
    from several processes at once (the second waits for the write lock, then finds no work)."""
    current = current_revision(engine)
    if current is not None and current not in revisions():
        raise NewerDatabaseError(current)
    if revision == "head" and current == head_revision():
        return
    config = alembic_config()
    try:
        with _ALEMBIC_LOCK, writer(engine).begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except SQLAlchemyError as error:
        from posapp.storage.opening import explain_failure

        if explain_failure(error) is not None:
            raise  # a full disk, a lock, a damaged or read-only file: the caller explains it
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise UpgradeFailedError(current, reason) from error


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with _ALEMBIC_LOCK, writer(engine).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
