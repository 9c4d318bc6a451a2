"""Typed provider errors: what went wrong remotely, in Persian and English, and whether to retry.

The sync engine decides from these alone. `retryable` errors (network, 5xx, rate limits) are
retried by the client layer already and may be retried later; `maybe_committed` says the request
may have reached the provider, so the engine must look the document up (by its idempotency key)
before sending it again. Everything else is final until a person fixes the cause.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar


class ProviderError(Exception):
    """Base of every provider failure. `code` is the provider's own error code, if any."""

    retryable: ClassVar[bool] = False

    def __init__(
        self,
        provider: str,
        message_fa: str,
        message_en: str,
        *,
        code: str | int | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(f"{provider}: {message_en}" + (f" (code {code})" if code is not None else ""))
        self.provider = provider
        self.message_fa = message_fa
        self.message_en = message_en
        self.code = code
        self.status = status

    @property
    def maybe_committed(self) -> bool:
        """True when the provider may have carried the request out despite the error."""
        return False

    def message(self, language: str = "fa") -> str:
        return self.message_fa if language == "fa" else self.message_en


class AuthenticationError(ProviderError):
    """The credentials are wrong, expired or lack permission; fix them in the settings."""


class ProviderValidationError(ProviderError):
    """The provider refused the data. `field_errors` maps the provider's field names to its
    messages, when it names them."""

    def __init__(self, provider: str, message_fa: str, message_en: str, *,
                 field_errors: Mapping[str, str] | None = None,
                 code: str | int | None = None, status: int | None = None) -> None:
        super().__init__(provider, message_fa, message_en, code=code, status=status)
        self.field_errors: Mapping[str, str] = MappingProxyType(dict(field_errors or {}))


class InvalidStateError(ProviderError):
    """The remote document is in a state that does not allow the operation (closing a
    cancelled invoice, cancelling a closed one)."""


class DuplicateError(ProviderError):
    """The idempotency key (bill number, invoice number, GUID) is already used remotely.
    `existing_id` / `existing_key` name the existing document when the provider says."""

    def __init__(self, provider: str, message_fa: str, message_en: str, *,
                 existing_id: str | None = None, existing_key: str | None = None,
                 code: str | int | None = None, status: int | None = None) -> None:
        super().__init__(provider, message_fa, message_en, code=code, status=status)
        self.existing_id = existing_id
        self.existing_key = existing_key


class RemoteNotFoundError(ProviderError):
    """The remote document does not exist (or is not visible to these credentials)."""


class UnsupportedOperationError(ProviderError):
    """This provider has no such operation (see `Provider.capabilities`)."""


class RateLimitedError(ProviderError):
    """Too many requests. `retry_after` is in seconds when the provider says."""

    retryable = True

    def __init__(self, provider: str, message_fa: str, message_en: str, *,
                 retry_after: float | None = None, code: str | int | None = None,
                 status: int | None = None) -> None:
        super().__init__(provider, message_fa, message_en, code=code, status=status)
        self.retry_after = retry_after


class ServerError(ProviderError):
    """The provider failed on its side (HTTP 5xx or its own internal-error code). A gateway
    may have timed out after the provider saved, so the outcome of a write is unknown."""

    retryable = True

    def __init__(self, provider: str, message_fa: str, message_en: str, *,
                 retry_after: float | None = None, code: str | int | None = None,
                 status: int | None = None) -> None:
        super().__init__(provider, message_fa, message_en, code=code, status=status)
        self.retry_after = retry_after

    @property
    def maybe_committed(self) -> bool:
        return True


class NetworkError(ProviderError):
    """The exchange broke: no connection, a reset or a timeout. `maybe_committed` is False only
    when the request surely never left (the connection could not be opened)."""

    retryable = True

    def __init__(self, provider: str, message_fa: str, message_en: str, *,
                 maybe_committed: bool, code: str | int | None = None) -> None:
        super().__init__(provider, message_fa, message_en, code=code)
        self._maybe_committed = maybe_committed

    @property
    def maybe_committed(self) -> bool:
        return self._maybe_committed


class MalformedResponseError(ProviderError):
    """The answer could not be read (not JSON, a proxy's error page, missing fields). The
    provider did answer, so a write may well have been carried out."""

    @property
    def maybe_committed(self) -> bool:
        return True


def unsupported(provider: str, operation: str) -> UnsupportedOperationError:
    return UnsupportedOperationError(
        provider,
        f"این سامانه عملیات «{operation}» را پشتیبانی نمی‌کند",
        f"this provider does not support '{operation}'",
    )
