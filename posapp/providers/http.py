"""The one HTTP client layer every provider uses: frozen config, retries, rate limits, safe logs.

`HttpClient` wraps `httpx.Client` (whose `transport` can be injected by tests and by the sync
engine) and adds what each provider would otherwise repeat:

* retries with exponential backoff and full jitter, only for network errors, HTTP 5xx and rate
  limits (honouring `Retry-After`); never for 4xx or the provider's business errors. A write the
  caller marks `idempotent=False` is not resent once it may have reached the provider;
* a process-wide token bucket per provider and host (`ClientConfig.rate_limit`);
* a guard the caller may set (`guarded_by`) that runs just before each request goes on the
  wire, after any wait for the rate limit: the sync engine checks there that it still holds
  the outbox row it is working on, and stops before sending a stale copy;
* typed errors from `posapp.providers.errors` for every failure below the provider's envelope;
* logging that never contains a token, password or key: headers, query parameters, form fields
  and JSON keys named in `SENSITIVE_NAMES` (plus the provider's own) are replaced by `***`.

TLS verification is always on; `ClientConfig.ca_bundle` may name an extra CA file (a company
proxy) but nothing can turn verification off. The client is thread-safe.
"""

from __future__ import annotations

import email.utils
import functools
import ipaddress
import json
import logging
import random
import re
import ssl
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from posapp import __version__
from posapp.providers.errors import (
    MalformedResponseError,
    NetworkError,
    ProviderError,
    RateLimitedError,
    ServerError,
)
from posapp.providers.ratelimit import Bucket, RateLimit, shared_bucket

log = logging.getLogger(__name__)

RequestGuard = Callable[[str], None]
"""Called with the operation's name right before a request is sent; raises to stop it."""

_guard: ContextVar[RequestGuard | None] = ContextVar("request_guard", default=None)


@contextmanager
def guarded_by(guard: RequestGuard) -> Iterator[None]:
    """Every request made on this thread inside the block passes `guard` first."""
    token = _guard.set(guard)
    try:
        yield
    finally:
        _guard.reset(token)

T = TypeVar("T")

REDACTED = "***"

SENSITIVE_NAMES = frozenset(name.lower() for name in (
    "_token_", "token", "ott", "_ott_", "apiKey", "api_key", "x-api-key", "scApiKey",
    "loginToken", "password", "PasswordHash", "access_token", "refresh_token", "id_token",
    "client_secret", "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
    "EncArbitraryCode", "Cypher", "secret", "hookPassword",
))
"""Field and header names whose values never reach a log (compared without case)."""

BODY_LOG_LIMIT = 2000


@dataclass(frozen=True)
class ClientConfig:
    """How to reach one provider. Frozen: build a new one to change anything.

    `verify` cannot be switched off; `ca_bundle` adds trust for a local CA. Timeouts are in
    seconds. `max_retries` counts resends after the first attempt; backoff before resend n is a
    random time in [0, min(backoff_cap, backoff_base × 2^n)] (full jitter), or the provider's
    `Retry-After` when it gives one no longer than `max_retry_after`.
    """

    base_url: str
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    write_timeout: float = 20.0
    pool_timeout: float = 5.0
    ca_bundle: str | None = None
    user_agent: str = f"posapp/{__version__}"
    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    max_retry_after: float = 60.0
    rate_limit: RateLimit | None = None

    def __post_init__(self) -> None:
        check_endpoint_url(self.base_url)
        if self.ca_bundle:
            check_ca_bundle(self.ca_bundle)
        if self.max_retries < 0 or self.backoff_base < 0 or self.backoff_cap < 0:
            raise ValueError("retry settings cannot be negative")

    @property
    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect_timeout, read=self.read_timeout,
                             write=self.write_timeout, pool=self.pool_timeout)

    def ssl_context(self) -> ssl.SSLContext:
        """Verification on, with the system's trust plus `ca_bundle` when given."""
        return _ssl_context(self.ca_bundle)


def is_loopback_host(host: str) -> bool:
    """Whether `host` names this machine (`localhost`, 127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_endpoint_url(url: str) -> None:
    """Refuse an address credentials must not travel to: anything but https, except plain http
    to this machine (a local Sepidar service, the tests' fakes). ValueError says why, in Persian
    and English."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"نشانی «{url}» نشانی اینترنتی http(s) نیست / {url!r} is not an http(s) URL")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ValueError(
            f"نشانی «{url}» رمزنگاری نشده (http) است و توکن‌ها آشکار فرستاده می‌شوند؛ از https استفاده کنید "
            f"(http فقط برای همین دستگاه پذیرفته است) / {url!r} is plain http, so tokens would travel "
            "in clear text; use https (plain http is accepted only for this machine)")


def check_ca_bundle(path: str) -> None:
    """Refuse a CA file that is missing or holds no usable certificate (ValueError, bilingual)."""
    try:
        _ssl_context(path)
    except FileNotFoundError:
        raise ValueError(f"فایل گواهی CA «{path}» پیدا نشد / the CA file {path!r} does not exist") from None
    except (OSError, ssl.SSLError) as error:
        raise ValueError(f"فایل گواهی CA «{path}» خوانده نشد / the CA file {path!r} could not be "
                         f"loaded: {error}") from None


@functools.lru_cache(maxsize=8)
def _ssl_context(ca_bundle: str | None) -> ssl.SSLContext:
    """Loading the system's CA store takes a noticeable moment, so one context per bundle is
    shared by every client (an SSLContext is safe to share between connections and threads)."""
    context = ssl.create_default_context()
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    return context


# -- redaction -------------------------------------------------------------------------------


def is_sensitive(name: str, extra: Iterable[str] = ()) -> bool:
    lowered = name.lower().removesuffix("[]")
    return lowered in SENSITIVE_NAMES or lowered in {e.lower() for e in extra}


def redact_pairs(pairs: Iterable[tuple[str, Any]], extra: Iterable[str] = ()) -> list[tuple[str, Any]]:
    extra = tuple(extra)
    return [(k, REDACTED if is_sensitive(k, extra) else v) for k, v in pairs]


def redact_headers(headers: Mapping[str, str] | httpx.Headers, extra: Iterable[str] = ()) -> dict[str, str]:
    return dict(redact_pairs(headers.items(), extra))


def redact_url(url: str | httpx.URL, extra: Iterable[str] = ()) -> str:
    parts = urlsplit(str(url))
    if not parts.query:
        return str(url)
    query = urlencode(redact_pairs(parse_qsl(parts.query, keep_blank_values=True), extra), safe="*[]")
    return urlunsplit(parts._replace(query=query))


class _RedactUrlsFilter(logging.Filter):
    """httpx and httpcore log every request's full URL at INFO/DEBUG, and some providers take
    their token in the query string (Hesabit's `access_token`): redact URLs in those records."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_url(arg) if isinstance(arg, httpx.URL) or (isinstance(arg, str) and "?" in arg)
                else arg
                for arg in record.args
            )
        return True


for _library_logger in ("httpx", "httpcore"):
    logging.getLogger(_library_logger).addFilter(_RedactUrlsFilter())


def redact_json(value: Any, extra: Iterable[str] = ()) -> Any:
    extra = tuple(extra)
    if isinstance(value, Mapping):
        return {k: REDACTED if is_sensitive(str(k), extra) else redact_json(v, extra)
                for k, v in value.items()}
    if isinstance(value, list):
        return [redact_json(v, extra) for v in value]
    return value


def sensitive_values(pairs: Iterable[tuple[str, Any]], extra: Iterable[str] = ()) -> set[str]:
    """The values of sensitive fields among `pairs`, to scrub from anything else logged."""
    extra = tuple(extra)
    return {str(v) for k, v in pairs if is_sensitive(str(k), extra) and v not in (None, "")}


def _json_pairs(value: Any) -> Iterable[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key), item
            yield from _json_pairs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_pairs(item)


_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
_NAMED_VALUE = re.compile(
    r"""(?ix)(["']?)(?P<name>[A-Za-z_][A-Za-z0-9_-]*)\1      # a name, maybe quoted
        (?P<sep>\s*[:=]\s*)(?P<quote>["']?)                # ': ' or '=' and maybe a quote
        (?P<value>[^"'&,;\s}\]]+)""")


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` (an echo, an error message) with every known secret value replaced, and any value
    written next to a sensitive name (`"_token_": "…"`, `password=…`, `Authorization: Bearer …`)
    replaced too, so a secret the provider echoes never reaches a log, the outbox or a screen."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    text = _BEARER.sub(lambda match: f"{match.group(1)} {REDACTED}", text)

    def named(match: re.Match[str]) -> str:
        if not is_sensitive(match.group("name")) or match.group("value") == REDACTED:
            return match.group(0)
        return match.group(0)[:match.start("value") - match.start(0)] + REDACTED

    return _NAMED_VALUE.sub(named, text)


def scrub_error(error: ProviderError, secrets: Iterable[str] = ()) -> ProviderError:
    """The same error with its texts (Persian, English, field messages) scrubbed: what a provider
    answered goes into the outbox's last error, `sync status` and the sync pane."""
    secrets = tuple(secrets)
    error.message_fa = scrub(error.message_fa, secrets)
    error.message_en = scrub(error.message_en, secrets)
    field_errors = getattr(error, "field_errors", None)
    if field_errors:
        error.field_errors = MappingProxyType(  # type: ignore[attr-defined]
            {scrub(str(k), secrets): scrub(str(v), secrets) for k, v in field_errors.items()})
    error.args = tuple(scrub(str(arg), secrets) for arg in error.args)
    return error


def _body_for_log(content: bytes, content_type: str, extra: Iterable[str]) -> str:
    if not content:
        return ""
    text = content.decode("utf-8", errors="replace")
    if "json" in content_type:
        try:
            text = json.dumps(redact_json(json.loads(text), extra), ensure_ascii=False)
        except ValueError:
            text = "<unreadable JSON>"
    elif "x-www-form-urlencoded" in content_type:
        text = urlencode(redact_pairs(parse_qsl(text, keep_blank_values=True), extra), safe="*[]")
    else:
        text = f"<{len(content)} bytes of {content_type or 'unknown type'}>"
    return text if len(text) <= BODY_LOG_LIMIT else text[:BODY_LOG_LIMIT] + "…"


# -- responses -------------------------------------------------------------------------------


def decode_json(response: httpx.Response, provider: str) -> Any:
    """The response's JSON with every non-integer number as an exact Decimal (never a float),
    or MalformedResponseError (a proxy's page, a cut-off body)."""
    try:
        return json.loads(response.content.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError):
        raise MalformedResponseError(
            provider,
            "پاسخ سامانه قابل خواندن نبود",
            f"the answer could not be read as JSON (HTTP {response.status_code}, "
            f"{response.headers.get('content-type', 'no content type')})",
            status=response.status_code,
        ) from None


def json_number(value: Any) -> Any:
    """JSON for a Decimal as a number, not a string: integral amounts as integers; others (a
    weighed quantity) as the float whose shortest repr is the same text. Amounts stay below
    10^15 Rial, well inside a float's exact integer range."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds from a `Retry-After` header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now())


# -- the client ------------------------------------------------------------------------------


class HttpClient:
    """An `httpx.Client` with the provider rules above. Use as a context manager or `close()`.

    `sleep` and `rng` are injectable so tests can check backoff without waiting.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        provider: str,
        transport: httpx.BaseTransport | None = None,
        sensitive_names: Iterable[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        bucket: Bucket | None = None,
    ) -> None:
        self.config = config
        self.provider = provider
        self.sensitive_names = frozenset(n.lower() for n in sensitive_names)
        self._sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311 (jitter, not cryptography)
        host = urlsplit(config.base_url).netloc
        self._bucket = bucket or (
            shared_bucket(f"{provider}@{host}", config.rate_limit) if config.rate_limit else None
        )
        self._client = httpx.Client(
            base_url=config.base_url,
            timeout=config.timeout,
            verify=config.ssl_context(),
            transport=transport,
            headers={"User-Agent": config.user_agent, "Accept": "application/json"},
            follow_redirects=False,
            trust_env=False,
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # -- the public call ---------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        operation: str,
        parse: Callable[[httpx.Response], T],
        params: Sequence[tuple[str, str]] | Mapping[str, str] | None = None,
        form: Sequence[tuple[str, str]] | Callable[[], Sequence[tuple[str, str]]] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | Callable[[], Mapping[str, str]] | None = None,
        idempotent: bool = True,
    ) -> T:
        """Send one logical request, retrying where allowed, and return `parse(response)`.

        `parse` turns the provider's envelope into a value or raises a typed ProviderError; a
        retryable error it raises (a rate-limit code inside a 200 body) is retried like a 429.
        `form` pairs are sent in order, repeated keys kept (`productId[]=1&productId[]=2`).
        `form` and `headers` may be functions, called again for every attempt (a one-time token
        must be fresh each time the request is sent).
        """
        attempt = 0
        while True:
            secrets: set[str] = set()
            try:
                attempt_form = form() if callable(form) else form
                attempt_headers = headers() if callable(headers) else headers
                response = self._send_once(method, url, operation, params, attempt_form, json_body,
                                           attempt_headers, secrets)
                self._raise_for_transport_status(response)
                return parse(response)
            except ProviderError as error:
                scrub_error(error, secrets)
                delay = self._retry_delay(error, attempt, idempotent)
                if delay is None:
                    raise
                log.info("%s %s: %s; retry %d of %d in %.2f s", self.provider, operation,
                         type(error).__name__, attempt + 1, self.config.max_retries, delay)
                self._sleep(delay)
                attempt += 1

    # -- internals ---------------------------------------------------------------------------

    def _send_once(self, method: str, url: str, operation: str,
                   params: Sequence[tuple[str, str]] | Mapping[str, str] | None,
                   form: Sequence[tuple[str, str]] | None, json_body: Any,
                   headers: Mapping[str, str] | None, secrets: set[str]) -> httpx.Response:
        """One exchange; the request's secret values are added to `secrets` for scrubbing."""
        request_headers = dict(headers or {})
        content: bytes | None = None
        if form is not None:
            content = urlencode(list(form)).encode("ascii")
            request_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif json_body is not None:
            content = json.dumps(json_body, ensure_ascii=False, default=json_number).encode("utf-8")
            request_headers.setdefault("Content-Type", "application/json; charset=utf-8")
        query = httpx.QueryParams(list(params.items()) if isinstance(params, Mapping) else list(params or ()))
        request = self._client.build_request(method, url, params=query, content=content,
                                             headers=request_headers)
        if self._bucket is not None:
            self._bucket.acquire()
        guard = _guard.get()
        if guard is not None:
            guard(operation)
        extra = self.sensitive_names
        secrets |= self._secrets_of(request, form, json_body)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s %s → %s %s headers=%s body=%s", self.provider, operation, method,
                      redact_url(request.url, extra), redact_headers(request.headers, extra),
                      scrub(_body_for_log(content or b"", request.headers.get("content-type", ""),
                                          extra), secrets))
        started = time.monotonic()
        try:
            response = self._client.send(request)
            response.read()
        except httpx.HTTPError as exc:
            raise self._network_error(exc, operation, redact_url(request.url, extra)) from None
        finally:
            elapsed_ms = (time.monotonic() - started) * 1000
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s %s ← HTTP %d in %.0f ms body=%s", self.provider, operation,
                      response.status_code, elapsed_ms,
                      scrub(_body_for_log(response.content, response.headers.get("content-type", ""),
                                          extra), secrets))
        return response

    def _secrets_of(self, request: httpx.Request, form: Sequence[tuple[str, str]] | None,
                    json_body: Any) -> set[str]:
        extra = self.sensitive_names
        secrets = sensitive_values(request.headers.items(), extra)
        secrets |= sensitive_values(request.url.params.multi_items(), extra)
        secrets |= sensitive_values(form or (), extra)
        secrets |= sensitive_values(_json_pairs(json_body), extra)
        bearer = {s.split(" ", 1)[1] for s in secrets if s.lower().startswith("bearer ")}
        return secrets | bearer

    def _network_error(self, exc: httpx.HTTPError, operation: str, url: str) -> NetworkError:
        never_sent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout,
                                      httpx.UnsupportedProtocol, httpx.ProxyError))
        if isinstance(exc, httpx.TimeoutException):
            fa = f"سامانه {self.provider} در زمان مقرر پاسخ نداد"
        elif never_sent:
            fa = f"ارتباط با سامانه {self.provider} برقرار نشد؛ اتصال اینترنت را بررسی کنید"
        else:
            fa = f"ارتباط با سامانه {self.provider} در میانه کار قطع شد"
        log.warning("%s %s: %s at %s", self.provider, operation, type(exc).__name__, url)
        return NetworkError(self.provider, fa,
                            f"{operation}: {type(exc).__name__} ({exc}) at {url}",
                            maybe_committed=not never_sent)

    def _raise_for_transport_status(self, response: httpx.Response) -> None:
        status = response.status_code
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if status == 429:
            raise RateLimitedError(
                self.provider, f"تعداد درخواست‌ها به سامانه {self.provider} از حد مجاز گذشت",
                "too many requests (HTTP 429)", retry_after=retry_after, status=status,
            )
        if status >= 500:
            raise ServerError(
                self.provider, f"سامانه {self.provider} خطای داخلی داد (HTTP {status})",
                f"the provider failed (HTTP {status})", status=status, retry_after=retry_after,
            )

    def _retry_delay(self, error: ProviderError, attempt: int, idempotent: bool) -> float | None:
        if not error.retryable or attempt >= self.config.max_retries:
            return None
        if not idempotent and error.maybe_committed:
            return None
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            return retry_after if retry_after <= self.config.max_retry_after else None
        ceiling = min(self.config.backoff_cap, self.config.backoff_base * (2 ** attempt))
        return self._rng.uniform(0.0, ceiling)
