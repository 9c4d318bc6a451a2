"""Domain errors that carry a Persian and an English message for the person at the counter."""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken. `message_fa` is shown first; `message_en` for the English UI and logs."""

    def __init__(self, message_fa: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_fa = message_fa
        self.message_en = message_en

    def message(self, language: str = "fa") -> str:
        return self.message_fa if language == "fa" else self.message_en


class ValidationError(DomainError):
    """One field's value is not acceptable; `field` names it so a form can mark it."""

    def __init__(self, field: str, message_fa: str, message_en: str) -> None:
        super().__init__(message_fa, message_en)
        self.field = field


class NotFoundError(DomainError):
    """The record asked for does not exist locally (deleted, or a mistyped number); a provider's
    missing remote document is `providers.errors.RemoteNotFoundError`."""


class LifecycleError(DomainError):
    """An operation is not allowed in the invoice's current state."""
