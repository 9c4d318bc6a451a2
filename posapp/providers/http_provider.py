"""`HttpProvider`: what every HTTP provider client shares, written once.

A provider module subclasses it and declares its `name`, its `SECRETS` (the same tuple the
registry reads) and its `DEFAULT_BASE_URL`. The base then owns:

* the constructor, `(config, secrets, *, transport=None, http=None, on_secret=None)`, so the
  registry's `create` is the class itself;
* the required-secret check: every `SecretSpec` with `required=True` must have a non-blank value,
  else `AuthenticationError` names the missing ones and says how to configure them (a provider
  with a rule beyond that, such as Hesabfa's login token *or* user name and password, adds it
  in `_configure`, which runs before any connection is opened);
* the one `HttpClient` (`self._http`) and `close()`;
* the HTTP-status table (`status_error`): 400/409/422 a ProviderValidationError, 401/403 an
  AuthenticationError, 404 a RemoteNotFoundError, any other a ProviderError, each with the provider's
  own title and, when it gave one, its own words. 429 and 5xx never reach it: the HTTP layer
  turns them into retryable errors first.

Secrets learnt at run time (Hesabit's refreshed tokens, Sepidar's device key) go to `on_secret`,
a `SecretSink`; providers never import the keyring.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Generic, TypeVar

import httpx

from posapp.providers.base import Provider, ProviderConfig, SecretSink, SecretSpec
from posapp.providers.errors import (
    AuthenticationError,
    ProviderError,
    ProviderValidationError,
    RemoteNotFoundError,
)
from posapp.providers.http import HttpClient
from posapp.providers.ratelimit import RateLimit
from posapp.providers.registry import provider_info

ConfigT = TypeVar("ConfigT", bound=ProviderConfig)

STATUS_ERRORS: Mapping[int, tuple[type[ProviderError], str, str]] = {
    400: (ProviderValidationError, "{fa} داده را نپذیرفت", "{en} refused the data"),
    401: (AuthenticationError, "{fa} اعتبارنامه را نپذیرفت (نادرست یا منقضی است)",
          "{en} refused the credentials (wrong or expired)"),
    403: (AuthenticationError, "{fa} اجازه این کار را نمی‌دهد", "{en} does not allow this"),
    404: (RemoteNotFoundError, "در {fa} پیدا نشد", "not found in {en}"),
    409: (ProviderValidationError, "{fa} داده را نپذیرفت", "{en} refused the data"),
    422: (ProviderValidationError, "{fa} داده را نپذیرفت", "{en} refused the data"),
}
"""HTTP status → (error type, Persian text, English text); `{fa}`/`{en}` is the provider's title."""

UNEXPECTED_STATUS = (ProviderError, "پاسخ پیش‌بینی‌نشده از {fa} (HTTP {status})",
                     "unexpected answer from {en} (HTTP {status})")


def missing_secrets(provider: str, specs: tuple[SecretSpec, ...],
                    secrets: Mapping[str, str]) -> AuthenticationError | None:
    """The error for required secrets `secrets` lacks (blank counts as missing), or None."""
    missing = [spec for spec in specs if spec.required and not secrets.get(spec.name, "").strip()]
    if not missing:
        return None
    fa = "، ".join(f"«{spec.label_fa}»" for spec in missing)
    en = ", ".join(spec.label_en for spec in missing)
    return AuthenticationError(
        provider, f"{fa} تنظیم نشده است؛ «posapp provider configure {provider}» را اجرا کنید",
        f"{en}: not configured; run 'posapp provider configure {provider}'")


class HttpProvider(Provider, Generic[ConfigT]):
    """A `Provider` over one `HttpClient`; see the module docstring for what it owns.

    `http` injects a ready client (tests choose its sleep); otherwise one is built from
    `config.client_config(...)` with `transport`, which settings validate first."""

    SECRETS: ClassVar[tuple[SecretSpec, ...]]
    DEFAULT_BASE_URL: ClassVar[str]

    def __init__(self, config: ConfigT, secrets: Mapping[str, str], *,
                 transport: httpx.BaseTransport | None = None, http: HttpClient | None = None,
                 on_secret: SecretSink | None = None) -> None:
        missing = missing_secrets(self.name, self.SECRETS, secrets)
        if missing is not None:
            raise missing
        self.config = config
        self._configure(secrets)
        self._on_secret = on_secret
        self._http = http or HttpClient(config.client_config(self._default_base_url(), self._rate_limit()),
                                        provider=self.name, transport=transport)

    def _configure(self, secrets: Mapping[str, str]) -> None:
        """Read the settings and secrets into the client's own fields, refusing what it cannot
        work with beyond the required secrets (AuthenticationError, or ValueError for a
        setting); `self.config` is set and no connection is opened yet."""

    def _default_base_url(self) -> str:
        """The address used when the shop configured none."""
        return self.DEFAULT_BASE_URL

    def _rate_limit(self) -> RateLimit | None:
        """The client-side request limit this provider asks for (None: only the server's)."""
        return None

    def _keep_secret(self, name: str, value: str) -> None:
        """Hand a secret learnt at run time to the keyring (through `on_secret`, when wired)."""
        if self._on_secret is not None:
            self._on_secret(name, value)

    @property
    def rate_limit(self) -> RateLimit | None:
        return self._http.config.rate_limit

    def close(self) -> None:
        self._http.close()

    def status_error(self, status: int, detail: str = "", *,
                     field_errors: Mapping[str, str] | None = None,
                     code: str | int | None = None) -> ProviderError:
        """The typed error for an HTTP `status` the provider answered with. `detail` is the
        provider's own words (appended to both texts); a ProviderValidationError carries
        `field_errors` (by default the detail under the provider's name)."""
        info = provider_info(self.name)
        kind, fa, en = STATUS_ERRORS.get(status, UNEXPECTED_STATUS)
        text_fa = fa.format(fa=info.title_fa, status=status)
        text_en = en.format(en=info.title_en, status=status)
        if detail:
            text_fa, text_en = f"{text_fa}: {detail}", f"{text_en}: {detail}"
        if kind is ProviderValidationError:
            fields = field_errors if field_errors is not None else {self.name: detail} if detail else {}
            return ProviderValidationError(self.name, text_fa, text_en, field_errors=fields, code=code,
                                   status=status)
        return kind(self.name, text_fa, text_en, code=code, status=status)
