"""What the interface says about a failure that is not a broken rule: a damaged, read-only or
full database is explained in Persian and English (see `posapp.storage.opening`)."""

from __future__ import annotations

from posapp.domain.errors import DomainError
from posapp.storage.opening import explain_failure


def explained(error: BaseException, file_name: str = "") -> DomainError | None:
    """`error` itself when it carries its own messages, the database problem behind it (naming
    `file_name`, the database file, when given), or None."""
    if isinstance(error, DomainError):
        return error
    return explain_failure(error, file_name)
