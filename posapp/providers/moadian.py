"""Client of the tax administration's Moadian e-invoice API (version 2, سامانه مؤدیان).

Every call is authorised by a fresh one-time nonce: `GET nonce`, then `{"nonce", "clientId"}`
signed as a compact JWS (RS256, the shop's certificate in `x5c`, the signing time `sigT` marked
critical) and sent as `Authorization: Bearer <jws>`. Invoices are signed the same way, then
encrypted for the tax administration as a compact JWE (RSA-OAEP-256 key wrap with one of the keys
`server-information` publishes, named in `kid`; A256GCM content) and posted in batches of at most
1,000 packets, each under a `requestTraceId` (uid) the caller chose and stored first. The POST
only acknowledges receipt: the verdict (SUCCESS, FAILED with errors, or still IN_PROGRESS) comes
from the inquiry calls, at most 100 ids at a time; `inquiry-invoice-status` tells whether a tax
ID was accepted at all, whatever packet carried it.

JOSE is done by joserfc over `cryptography`. The private key is handed in as PEM bytes and never
logged or echoed: the Authorization header is redacted by the HTTP layer like every token.
"""

from __future__ import annotations

import base64
import json
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwe, jws
from joserfc.jwk import RSAKey
from joserfc.registry import HeaderParameter

from posapp.domain.moadian_invoice import MoadianDocument
from posapp.providers.base import ProviderConfig, SecretSpec, setting
from posapp.providers.errors import (
    AuthenticationError,
    MalformedResponseError,
    ProviderError,
    ProviderValidationError,
    RemoteNotFoundError,
)
from posapp.providers.http import HttpClient, decode_json

NAME = "moadian"
PRODUCTION_URL = "https://tp.tax.gov.ir/requestsmanager/api/v2/"
SANDBOX_URL = "https://sandboxrc.tax.gov.ir/requestsmanager/api/v2/"
MAX_PACKETS_PER_POST = 1000
MAX_IDS_PER_INQUIRY = 100
SERVER_KEY_CACHE_SECONDS = 3600.0

_JWS_REGISTRY = jws.JWSRegistry(
    header_registry={"sigT": HeaderParameter("signing time (UTC)", "str")},
    algorithms=["RS256"],
)
_JWE_REGISTRY = jwe.JWERegistry(algorithms=["RSA-OAEP-256", "A256GCM"])


@dataclass(frozen=True)
class MoadianConfig(ProviderConfig):
    """Moadian's non-secret settings; an empty base URL means production (or the sandbox)."""

    sandbox: bool = setting(False, "محیط آزمایشی سامانه مؤدیان", "use Moadian's sandbox")
    memory_id: str = setting("", "شناسه یکتای حافظه مالیاتی (۶ نویسه)", "fiscal memory ID (6 characters)")
    nonce_ttl: int = setting(30, "عمر نانس (ثانیه، ۱۰ تا ۲۰۰)", "nonce lifetime in seconds (10-200)")
    deadline_days: int = setting(12, "مهلت ارسال صورتحساب (روز)", "days allowed to send an invoice")


CONFIG = MoadianConfig
SECRETS = (
    SecretSpec("private_key", "کلید خصوصی امضا (PEM)", "signing private key (PEM)"),
    SecretSpec("certificate", "گواهی امضای الکترونیکی (PEM)", "signing certificate (PEM)"),
)


class ProcessingStatus(StrEnum):
    """What an inquiry says of a packet."""

    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    IN_PROGRESS = "IN_PROGRESS"
    PENDING = "PENDING"
    TIMEOUT = "TIMEOUT"
    NOT_FOUND = "NOT_FOUND"


@dataclass(frozen=True)
class ServerKey:
    key_id: str
    public_key: rsa.RSAPublicKey


@dataclass(frozen=True)
class Submission:
    """The POST's receipt for one packet: the uid we chose and the reference Moadian gave."""

    uid: str
    reference_number: str


@dataclass(frozen=True)
class Message:
    code: str
    text: str


@dataclass(frozen=True)
class InquiryResult:
    uid: str
    reference_number: str
    status: ProcessingStatus
    errors: tuple[Message, ...] = ()
    warnings: tuple[Message, ...] = ()


@dataclass(frozen=True)
class FiscalInformation:
    trade_name: str
    fiscal_status: str
    economic_code: str
    national_id: str


@dataclass(frozen=True)
class Taxpayer:
    trade_name: str
    status: str
    kind: str
    national_id: str


@dataclass(frozen=True)
class Signer:
    """The shop's signing identity: an RSA private key and its X.509 certificate."""

    private_key: RSAKey
    certificate_der: bytes

    @classmethod
    def from_pem(cls, private_key_pem: bytes, certificate_pem: bytes) -> Signer:
        try:
            key = serialization.load_pem_private_key(private_key_pem, password=None)
        except (ValueError, TypeError):
            raise AuthenticationError(NAME, "کلید خصوصی سامانه مؤدیان خوانده نشد (PEM بدون رمز لازم است)",
                                      "the Moadian private key could not be read (an unencrypted PEM is needed)") from None
        if not isinstance(key, rsa.RSAPrivateKey):
            raise AuthenticationError(NAME, "کلید خصوصی سامانه مؤدیان باید RSA باشد",
                                      "the Moadian private key must be an RSA key")
        try:
            certificate = x509.load_pem_x509_certificate(certificate_pem)
        except ValueError:
            raise AuthenticationError(NAME, "گواهی سامانه مؤدیان خوانده نشد",
                                      "the Moadian certificate could not be read") from None
        public = certificate.public_key()
        if not isinstance(public, rsa.RSAPublicKey) or public.public_numbers() != key.public_key().public_numbers():
            raise AuthenticationError(NAME, "گواهی با کلید خصوصی جور نیست",
                                      "the certificate does not belong to the private key")
        return cls(RSAKey.import_key(key), certificate.public_bytes(serialization.Encoding.DER))

    def sign(self, payload: bytes, now: datetime) -> str:
        """A compact JWS of `payload` in the form the official SDKs produce."""
        header = {
            "alg": "RS256",
            "x5c": [base64.b64encode(self.certificate_der).decode("ascii")],
            "sigT": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "typ": "jose", "crit": ["sigT"], "cty": "text/plain",
        }
        return jws.serialize_compact(header, payload, self.private_key, registry=_JWS_REGISTRY)


def encrypt_for(server_key: ServerKey, plaintext: bytes) -> str:
    """A compact JWE of `plaintext` for the tax administration's key."""
    header = {"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": server_key.key_id}
    return jwe.encrypt_compact(header, plaintext, RSAKey.import_key(server_key.public_key),
                               registry=_JWE_REGISTRY)


def invoice_json(payload: Any) -> bytes:
    """The invoice as compact UTF-8 JSON with money and quantities as JSON numbers, written from
    their Decimal text (never through float)."""
    return _encode(payload).encode("utf-8")


def _encode(value: Any) -> str:
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{json.dumps(str(k))}:{_encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_encode(v) for v in value) + "]"
    if isinstance(value, float):
        raise TypeError("money never travels as float")
    return json.dumps(value, ensure_ascii=False)


def _messages(raw: Any) -> tuple[Message, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(Message(str(item.get("code", "")), str(item.get("message", "")))
                 for item in raw if isinstance(item, Mapping))


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass
class _KeyCache:
    keys: tuple[ServerKey, ...] = ()
    fetched_at: float = float("-inf")
    lock: threading.Lock = field(default_factory=threading.Lock)


class MoadianClient:
    """The v2 API for one fiscal memory. Thread-safe; `close()` when done."""

    def __init__(self, config: MoadianConfig, signer: Signer, *,
                 transport: httpx.BaseTransport | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        memory_id = config.memory_id.strip().upper()
        if len(memory_id) != 6 or not memory_id.isalnum() or not memory_id.isascii():
            raise ProviderValidationError(NAME, "شناسه یکتای حافظه مالیاتی باید ۶ حرف یا رقم لاتین باشد",
                                  "the fiscal memory ID is 6 Latin letters or digits")
        if not 10 <= config.nonce_ttl <= 200:
            raise ProviderValidationError(NAME, "عمر نانس باید بین ۱۰ و ۲۰۰ ثانیه باشد",
                                  "the nonce lifetime must be 10 to 200 seconds")
        self.config = config
        self.memory_id = memory_id
        self._signer = signer
        self._clock = clock
        self._monotonic = monotonic
        self._keys = _KeyCache()
        default = SANDBOX_URL if config.sandbox else PRODUCTION_URL
        base = config.client_config(default)
        base_url = base.base_url if base.base_url.endswith("/") else base.base_url + "/"
        self._http = HttpClient(replace(base, base_url=base_url), provider=NAME, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> MoadianClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- authorisation ---------------------------------------------------------------------

    def _authorization(self) -> dict[str, str]:
        """A fresh nonce, signed: every call spends one."""
        answer = self._http.request(
            "GET", "nonce", operation="nonce", params={"timeToLive": str(self.config.nonce_ttl)},
            parse=self._parse)
        nonce = answer.get("nonce") if isinstance(answer, Mapping) else None
        if not isinstance(nonce, str) or not nonce:
            raise MalformedResponseError(NAME, "پاسخ نانس سامانه مؤدیان نانس ندارد",
                                         "Moadian's nonce answer has no nonce")
        token = json.dumps({"nonce": nonce, "clientId": self.memory_id},
                           separators=(",", ":")).encode("utf-8")
        return {"Authorization": f"Bearer {self._signer.sign(token, self._clock())}"}

    def _call(self, method: str, path: str, operation: str, *, params: Any = None,
              json_body: Any = None, idempotent: bool = True) -> Any:
        # a function, so every attempt (a retry after a lost answer) spends a fresh nonce
        return self._http.request(method, path, operation=operation, params=params,
                                  json_body=json_body, headers=self._authorization,
                                  parse=self._parse, idempotent=idempotent)

    # -- lookups -----------------------------------------------------------------------------

    def server_keys(self) -> tuple[ServerKey, ...]:
        """The tax administration's encryption keys, cached for an hour."""
        with self._keys.lock:
            if self._keys.keys and self._monotonic() - self._keys.fetched_at < SERVER_KEY_CACHE_SECONDS:
                return self._keys.keys
        answer = self._call("GET", "server-information", "server-information")
        keys = []
        for item in (answer or {}).get("publicKeys") or ():
            try:
                public = serialization.load_der_public_key(base64.b64decode(item["key"]))
            except (KeyError, TypeError, ValueError):
                continue
            if isinstance(public, rsa.RSAPublicKey) and item.get("id"):
                keys.append(ServerKey(str(item["id"]), public))
        if not keys:
            raise MalformedResponseError(NAME, "سامانه مؤدیان کلید رمزگذاری اعلام نکرد",
                                         "Moadian published no usable encryption key")
        with self._keys.lock:
            self._keys.keys, self._keys.fetched_at = tuple(keys), self._monotonic()
        return tuple(keys)

    def fiscal_information(self) -> FiscalInformation:
        answer = self._call("GET", "fiscal-information", "fiscal-information",
                            params={"memoryId": self.memory_id}) or {}
        return FiscalInformation(str(answer.get("nameTrade") or ""), str(answer.get("fiscalStatus") or ""),
                                 str(answer.get("economicCode") or ""), str(answer.get("nationalId") or ""))

    def taxpayer(self, economic_code: str) -> Taxpayer:
        answer = self._call("GET", "taxpayer", "taxpayer", params={"economicCode": economic_code}) or {}
        return Taxpayer(str(answer.get("nameTrade") or ""), str(answer.get("taxpayerStatus") or ""),
                        str(answer.get("taxpayerType") or ""), str(answer.get("nationalId") or ""))

    # -- invoices ----------------------------------------------------------------------------

    def packet(self, uid: str, document: MoadianDocument) -> dict[str, Any]:
        """One signed and encrypted packet under the caller's `uid` (stored before sending)."""
        signed = self._signer.sign(invoice_json(document.payload), self._clock())
        server_key = random.choice(self.server_keys())  # noqa: S311 (the SDK spreads over the keys)
        return {"payload": encrypt_for(server_key, signed.encode("ascii")),
                "header": {"requestTraceId": uid, "fiscalId": self.memory_id}}

    def send(self, documents: Sequence[tuple[str, MoadianDocument]]) -> list[Submission]:
        """Post the documents, each under its uid, in batches of at most 1,000. The answer must
        echo every uid sent; one that does not is a malformed answer, so the caller inquires."""
        receipts: list[Submission] = []
        for start in range(0, len(documents), MAX_PACKETS_PER_POST):
            batch = documents[start:start + MAX_PACKETS_PER_POST]
            packets = [self.packet(uid, document) for uid, document in batch]
            answer = self._call("POST", "invoice", "send-invoices", json_body=packets,
                                idempotent=False)
            by_uid = {str(item.get("uid")): item for item in (answer or {}).get("result") or ()
                      if isinstance(item, Mapping)}
            for uid, _document in batch:
                item = by_uid.get(uid)
                if item is None or not item.get("referenceNumber"):
                    raise MalformedResponseError(
                        NAME, "سامانه مؤدیان رسید یکی از صورتحساب‌ها را نداد؛ وضعیت آن استعلام می‌شود",
                        f"Moadian's answer has no receipt for packet {uid}; it will be inquired")
                receipts.append(Submission(uid, str(item["referenceNumber"])))
        return receipts

    def inquire_by_uid(self, uids: Sequence[str], *, since: datetime | None = None) -> list[InquiryResult]:
        """The verdict on each uid; unknown ones come back as NOT_FOUND. `since` bounds the
        search window (at most a week, as the API allows)."""
        results: list[InquiryResult] = []
        for chunk in _chunks(list(uids), MAX_IDS_PER_INQUIRY):
            params: list[tuple[str, str]] = [("fiscalId", self.memory_id)]
            params += [("uidList", uid) for uid in chunk]
            params += self._window(since)
            answer = self._call("GET", "inquiry-by-uid", "inquiry-by-uid", params=params)
            results += self._results(answer, chunk, key="uid")
        return results

    def inquire_by_reference(self, references: Sequence[str], *,
                             since: datetime | None = None) -> list[InquiryResult]:
        results: list[InquiryResult] = []
        for chunk in _chunks(list(references), MAX_IDS_PER_INQUIRY):
            params = [("referenceIds", ref) for ref in chunk] + self._window(since)
            answer = self._call("GET", "inquiry-by-reference-id", "inquiry-by-reference", params=params)
            results += self._results(answer, chunk, key="referenceNumber")
        return results

    def invoice_statuses(self, tax_ids: Sequence[str]) -> dict[str, str]:
        """The dashboard status (`inquiry-invoice-status`) of each of `tax_ids` Moadian holds,
        e.g. NO_NEED_REACTION or CANCELED: proof the tax ID was accepted. The contract does not
        say how a tax ID it does not hold is shown, so each reading means "not held": left out
        of the answer, listed without a status or with an error, or the whole call answered
        404."""
        held: dict[str, str] = {}
        for chunk in _chunks(list(tax_ids), MAX_IDS_PER_INQUIRY):
            try:
                answer = self._call("GET", "inquiry-invoice-status", "inquiry-invoice-status",
                                    params=[("taxIds", tax_id) for tax_id in chunk])
            except RemoteNotFoundError:
                continue
            if not isinstance(answer, list):
                raise MalformedResponseError(NAME, "پاسخ استعلام وضعیت صورتحساب سامانه مؤدیان فهرست نیست",
                                             "Moadian's invoice status answer is not a list")
            for item in answer:
                if not isinstance(item, Mapping) or str(item.get("taxId")) not in chunk:
                    continue
                if item.get("invoiceStatus") and not item.get("error"):
                    held[str(item["taxId"])] = str(item["invoiceStatus"])
        return held

    def _window(self, since: datetime | None) -> list[tuple[str, str]]:
        if since is None:
            return []
        end = self._clock().astimezone(UTC)
        start = max(since.astimezone(UTC), end - timedelta(days=7) + timedelta(minutes=1))
        return [("start", start.isoformat()), ("end", end.isoformat())]

    @staticmethod
    def _results(answer: Any, asked: Sequence[str], *, key: str) -> list[InquiryResult]:
        """One result per id asked, matched client-side; rows for ids not asked are ignored and
        an id the answer leaves out counts as NOT_FOUND."""
        if not isinstance(answer, list):
            raise MalformedResponseError(NAME, "پاسخ استعلام سامانه مؤدیان فهرست نیست",
                                         "Moadian's inquiry answer is not a list")
        found: dict[str, InquiryResult] = {}
        for item in answer:
            if not isinstance(item, Mapping) or str(item.get(key)) not in asked:
                continue
            try:
                status = ProcessingStatus(str(item.get("status")))
            except ValueError:
                raise MalformedResponseError(NAME, "وضعیت ناشناخته در پاسخ استعلام سامانه مؤدیان",
                                             f"unknown status {item.get('status')!r} in Moadian's answer") from None
            raw = item.get("data")
            data: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
            found[str(item.get(key))] = InquiryResult(
                str(item.get("uid") or ""), str(item.get("referenceNumber") or ""), status,
                _messages(data.get("error")), _messages(data.get("warning")))
        return [found.get(wanted) or InquiryResult(wanted if key == "uid" else "",
                                                   wanted if key != "uid" else "",
                                                   ProcessingStatus.NOT_FOUND)
                for wanted in asked]

    # -- answers -----------------------------------------------------------------------------

    @staticmethod
    def _parse(response: httpx.Response) -> Any:
        status = response.status_code
        if 200 <= status < 300:
            return decode_json(response, NAME) if response.content else None
        code, text = "", ""
        try:
            errors = decode_json(response, NAME).get("errors") or []
            if errors and isinstance(errors[0], Mapping):
                code, text = str(errors[0].get("code", "")), str(errors[0].get("message", ""))
        except (ProviderError, AttributeError):
            pass
        detail_fa = f"{text} (کد {code})" if code else f"HTTP {status}"
        detail_en = f"code {code}" if code else f"HTTP {status}"
        if status in (401, 403):
            raise AuthenticationError(NAME, f"سامانه مؤدیان دسترسی را نپذیرفت: {detail_fa}",
                                      f"Moadian refused the credentials: {detail_en}",
                                      code=code or None, status=status)
        if status == 404:
            raise RemoteNotFoundError(NAME, f"در سامانه مؤدیان پیدا نشد: {detail_fa}",
                                f"not found at Moadian: {detail_en}", code=code or None, status=status)
        if status == 400:
            raise ProviderValidationError(NAME, f"سامانه مؤدیان درخواست را نپذیرفت: {detail_fa}",
                                  f"Moadian refused the request: {detail_en}", code=code or None,
                                  status=status)
        raise ProviderError(NAME, f"پاسخ پیش‌بینی‌نشده از سامانه مؤدیان: {detail_fa}",
                            f"unexpected answer from Moadian: {detail_en}", code=code or None,
                            status=status)


def new_uid() -> str:
    """A packet's requestTraceId: a random UUID, stored before the packet is sent."""
    return str(uuid.uuid4())


def create_client(config: MoadianConfig, secrets: Mapping[str, str], *,
                  transport: httpx.BaseTransport | None = None) -> MoadianClient:
    """A client from the stored config and the keyring's key and certificate (PEM text)."""
    key, certificate = secrets.get("private_key", ""), secrets.get("certificate", "")
    if not key or not certificate:
        raise AuthenticationError(
            NAME, "کلید یا گواهی سامانه مؤدیان تنظیم نشده؛ «posapp provider configure moadian» را اجرا کنید",
            "the Moadian key or certificate is not set; run `posapp provider configure moadian`")
    return MoadianClient(config, Signer.from_pem(key.encode("ascii"), certificate.encode("ascii")),
                         transport=transport)
