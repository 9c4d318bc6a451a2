"""Sepidar (سپیدار) client: the e-commerce web service on the shop's own Sepidar server.

Contract: Sepidar's web-service document («مستند نحوه استفاده از وب‌سرویس نرم‌افزار سپیدار» v1.0.0)
and its OpenAPI file for v111; cryptography lives in
`sepidar_crypto`. The session is set up lazily and in this order:

1. `GET /api/General/GenerationVersion` (no headers); the number is sent on every call after,
   and read again once when a call answers 412 (the server was upgraded).
2. Device registration with the 8-character serial (a keyring secret). The server answers only
   once per serial, so the RSA public key it returns is handed to `on_secret` (wired to the
   OS keyring by the settings layer) together with the serial it belongs to; a new serial means registering again.
3. Login with the user name and the MD5 of the password; the JWT lives in memory only and is
   renewed once when a call answers 401 (permissions changed, server restarted).

Every secured request carries a fresh ArbitraryCode GUID and its RSA encryption; a retry by
the HTTP layer signs again (see `_SignedHeaders`), so a resend is never taken for a replay.

Invoices: the GUID is the idempotency key (`sepidar_mapping` derives it, and maps invoices,
customers and receipts to Sepidar's JSON and its rows back). What Sepidar answers to a GUID it has
seen is undocumented (a 400 with some text, or the first invoice again), so no text is matched:
after a refused create the GUID is looked up. Invoices do not show their GUID, so from v109 it is
written into the Description (`[guid]`) and looked for there; before v109 the invoice is matched
on customer and amounts. Lookups never trust the server's filter (no document lists the
`{Property}_{OP}` operators): every page is read and every row compared here. Every line must
be a Sepidar item, found by the posapp product code; Sepidar's `NetPrice` is reported as the
remote payable, which the sync engine checks against posapp's.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, KeysView, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from posapp.domain.invoice import Invoice, Payment
from posapp.domain.jalali import IRAN_TZ
from posapp.providers import sepidar_crypto
from posapp.providers.base import (
    Capability,
    CheckResult,
    ProviderConfig,
    RemoteCustomer,
    RemoteInvoice,
    RemoteProduct,
    SecretSink,
    SecretSpec,
    choice_check,
    decimal_text,
    run_check,
    setting,
    setting_labels,
)
from posapp.providers.errors import (
    AuthenticationError,
    MalformedResponseError,
    ProviderError,
    ProviderValidationError,
    RemoteNotFoundError,
)
from posapp.providers.http import HttpClient, decode_json
from posapp.providers.http_provider import HttpProvider
from posapp.providers.sepidar_mapping import (
    NAME,
    InvoiceRefs,
    amount,
    customer_body,
    customer_guid,
    customer_identity,
    invoice_body,
    invoice_guid,
    receipt_body,
    remote_customer,
    remote_invoice,
    remote_product,
)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://localhost:7373"
EXTENDED_INVOICE_VERSION = 109
"""From this GenerationVersion on, invoices carry Description, State and received amounts, and
invoices and customers take (required, nullable) ExtraData keys."""
PAGE_SIZE = 100


@dataclass(frozen=True)
class SepidarConfig(ProviderConfig):
    username: str = setting("", "نام کاربری سپیدار", "Sepidar user name")
    currency_ref: int = setting(1, "شناسه ارز (ریال)", "CurrencyRef of the Rial")
    sale_type_ref: int = setting(1, "شناسه نوع فروش", "SaleTypeRef for shop sales")
    stock_ref: int = setting(1, "شناسه انبار", "StockRef the goods leave from")
    settlement_type: int = setting(1, "نوع تسویه (۱، ۲ یا ۳)", "SettlementType (1, 2 or 3)")
    walk_in_customer_ref: int = setting(0, "شناسه مشتری گذری در سپیدار",
                                        "Sepidar CustomerID for walk-in sales")
    bank_account_id: int = setting(0, "حساب بانکی دریافت‌ها", "BankAccountID receipts go to")


CONFIG = SepidarConfig
SECRETS = (
    SecretSpec("serial", "سریال دستگاه (۸ نویسه)", "device serial (8 characters)"),
    SecretSpec("password", "رمز عبور کاربر سپیدار", "Sepidar user's password"),
    SecretSpec("device_key", "کلید دستگاه (پس از ثبت خودکار ذخیره می‌شود)",
               "device key (stored automatically after registration)", required=False),
)


@dataclass(frozen=True)
class Filter:
    """One `{Property}_{Operator}=value` condition of a Paginated call (Eq, Ne, Gt, Ge, Lt, Le,
    Contains)."""

    name: str
    operator: str
    value: str | int | Decimal | date

    def pair(self) -> tuple[str, str]:
        if isinstance(self.value, date):
            value = self.value.isoformat()
        elif isinstance(self.value, Decimal):
            value = decimal_text(self.value)
        else:
            value = str(self.value)
        return f"{self.name}_{self.operator}", value


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


class _VersionMismatch(Exception):
    """HTTP 412: the GenerationVersion header no longer matches the server."""


class _SignedHeaders(Mapping[str, str]):
    """Sepidar's per-request headers. The HTTP layer copies the headers once per attempt
    (`dict(headers)` calls `keys()`); each copy draws a new ArbitraryCode and encrypts it, so a
    retried request is a new request to Sepidar, never a replay ("کد تکراری")."""

    def __init__(self, fixed: Mapping[str, str], public_key: rsa.RSAPublicKey) -> None:
        self._fixed = dict(fixed)
        self._public_key = public_key
        self._current: dict[str, str] = {}
        self._sign()

    def _sign(self) -> None:
        code, encrypted = sepidar_crypto.new_arbitrary_code(self._public_key)
        self._current = {**self._fixed, "ArbitraryCode": code, "EncArbitraryCode": encrypted}

    def keys(self) -> KeysView[str]:
        """The header names, signed afresh: every copy of these headers is a new request."""
        self._sign()
        return self._current.keys()

    def __getitem__(self, key: str) -> str:
        return self._current[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._current)


class SepidarProvider(HttpProvider[SepidarConfig]):
    name: ClassVar[str] = NAME
    SECRETS = SECRETS
    DEFAULT_BASE_URL = DEFAULT_BASE_URL
    capabilities: ClassVar[frozenset[Capability]] = frozenset({
        Capability.PUSH_INVOICE, Capability.FIND_INVOICE, Capability.RECORD_PAYMENT,
        Capability.PULL_CUSTOMERS, Capability.PULL_PRODUCTS,
    })
    max_lanes: ClassVar[int] = 1
    """Sepidar serves one session per registered device, so its requests go one at a time."""

    def __init__(self, config: SepidarConfig, secrets: Mapping[str, str], *,
                 transport: httpx.BaseTransport | None = None, http: HttpClient | None = None,
                 on_secret: SecretSink | None = None,
                 today: Callable[[], date] = lambda: datetime.now(IRAN_TZ).date()) -> None:
        self._today = today
        super().__init__(config, secrets, transport=transport, http=http, on_secret=on_secret)

    def _configure(self, secrets: Mapping[str, str]) -> None:
        if not self.config.username.strip():
            raise AuthenticationError(
                NAME, "نام کاربری سپیدار تنظیم نشده است؛ «posapp provider configure sepidar» را اجرا کنید",
                "the Sepidar user name is not configured; run 'posapp provider configure sepidar'")
        self._serial = secrets["serial"].strip()
        try:
            self._integration_id = sepidar_crypto.integration_id(self._serial)
        except sepidar_crypto.SepidarCryptoError as error:
            raise AuthenticationError(NAME, "سریال دستگاه سپیدار باید ۸ نویسه باشد و با ۴ رقم شروع شود",
                                      str(error)) from None
        self._password = secrets["password"]
        self.generation_version: int | None = None
        self._public_key = self._stored_key(secrets.get("device_key", ""))
        self._token: str | None = None
        self.permissions: dict[str, bool] = {}
        self._item_refs: dict[str, int] | None = None
        self._customer_ids: dict[str, int] = {}
        """Customer GUID → CustomerID, as found or created by this client."""
        self._refs = InvoiceRefs(currency=self.config.currency_ref, sale_type=self.config.sale_type_ref,
                                 stock=self.config.stock_ref, settlement_type=self.config.settlement_type)

    def _stored_key(self, stored: str) -> rsa.RSAPublicKey | None:
        """The key from an earlier registration, if it belongs to the current serial."""
        if not stored:
            return None
        try:
            record = json.loads(stored)
            if record.get("serial") != self._serial:
                return None
            return sepidar_crypto.parse_dotnet_rsa_key(record["key"])
        except (ValueError, KeyError, AttributeError, sepidar_crypto.SepidarCryptoError):
            log.warning("sepidar: the stored device key is unreadable; registering again")
            return None

    # -- session -----------------------------------------------------------------------------

    def read_generation_version(self) -> int:
        answer = self._http.request("GET", "/api/General/GenerationVersion",
                                    operation="GenerationVersion", parse=self._parse)
        try:
            self.generation_version = int(answer["GenerationVersion"])
        except (KeyError, TypeError, ValueError):
            raise MalformedResponseError(NAME, "نسخه سپیدار خوانده نشد",
                                         "GenerationVersion is missing from the answer") from None
        return self.generation_version

    def register_device(self) -> None:
        """Register this device with its serial and keep the RSA key the server returns."""
        try:
            answer = self._http.request(
                "POST", "/api/Devices/Register", operation="Register",
                json_body=sepidar_crypto.registration_body(self._serial), parse=self._parse)
        except RemoteNotFoundError:
            raise AuthenticationError(
                NAME, "سپیدار این سریال را نمی‌شناسد؛ سریال دستگاه را دوباره بررسی کنید",
                "Sepidar does not know this serial", status=404) from None
        except ProviderValidationError as error:
            if "رجیستر شده" in error.message_en:
                raise AuthenticationError(
                    NAME, "این سریال قبلاً ثبت شده و کلید آن در این رایانه نیست؛ در سپیدار «دریافت سریال» را دوباره بزنید و سریال تازه را وارد کنید",
                    "this serial was registered before and its key is not here; issue a new serial in Sepidar and enter it",
                    status=400) from None
            raise AuthenticationError(
                NAME, "سپیدار سریال را نپذیرفت (عدم تطابق دستگاه)",
                f"Sepidar refused the registration: {error.message_en}", status=400) from None
        try:
            self._public_key = sepidar_crypto.public_key_from_registration(
                self._serial, str(answer["Cypher"]), str(answer["IV"]))
        except (KeyError, TypeError, sepidar_crypto.SepidarCryptoError) as error:
            raise MalformedResponseError(NAME, "کلید دستگاه از پاسخ سپیدار خوانده نشد",
                                         f"the registration answer holds no key: {error}") from None
        stored = json.dumps({"serial": self._serial,
                             "key": sepidar_crypto.dotnet_rsa_key_xml(self._public_key)})
        self._keep_secret("device_key", stored)
        log.info("sepidar: device %d registered as %r", self._integration_id,
                 answer.get("DeviceTitle", ""))

    def login(self) -> None:
        body = {"UserName": self.config.username,
                "PasswordHash": sepidar_crypto.password_hash(self._password)}
        try:
            answer = self._request("POST", "/api/users/login", "Login", json_body=body,
                                   with_token=False)
        except (RemoteNotFoundError, ProviderValidationError) as error:
            raise AuthenticationError(
                NAME, f"ورود به سپیدار ممکن نشد: {error.message_fa}",
                f"Sepidar login failed: {error.message_en}", status=error.status) from None
        self._token = str(answer["Token"])
        self.permissions = {k: bool(v) for k, v in answer.items() if k.startswith("Can")}

    def _ensure_device(self) -> None:
        if self.generation_version is None:
            self.read_generation_version()
        if self._public_key is None:
            self.register_device()

    def _ensure_session(self) -> None:
        self._ensure_device()
        if self._token is None:
            self.login()

    def _headers(self, *, with_token: bool) -> _SignedHeaders:
        assert self._public_key is not None
        fixed = {"GenerationVersion": str(self.generation_version),
                 "IntegrationID": str(self._integration_id)}
        if with_token:
            fixed["Authorization"] = f"Bearer {self._token}"
        return _SignedHeaders(fixed, self._public_key)

    def _request(self, method: str, path: str, operation: str, *, with_token: bool = True,
                 params: Sequence[tuple[str, str]] | None = None, json_body: Any = None) -> Any:
        """A secured call: re-reads the version once after a 412 and logs in again once
        after a 401. Writes are safe to resend: each carries its own GUID."""
        version_read = relogged = False
        while True:
            self._ensure_device()
            if with_token and self._token is None:
                self.login()
            try:
                return self._http.request(method, path, operation=operation, params=params,
                                          json_body=json_body, parse=self._parse,
                                          headers=self._headers(with_token=with_token))
            except _VersionMismatch:
                if version_read:
                    raise ProviderError(
                        NAME, "نسخه سپیدار با این دستگاه سازگار نیست (خطای ۴۱۲)",
                        "Sepidar keeps refusing the GenerationVersion (HTTP 412)", status=412,
                    ) from None
                version_read = True
                self.read_generation_version()
            except AuthenticationError as error:
                if not with_token or relogged or error.status != 401:
                    raise
                relogged = True
                self._token = None

    def _parse(self, response: httpx.Response) -> Any:
        status = response.status_code
        if status == 412:
            raise _VersionMismatch
        body = decode_json(response, NAME) if response.content else None
        if 200 <= status < 300:
            return body
        message = str(body.get("Message", "")) if isinstance(body, dict) else ""
        raise self.status_error(status, message, code=message if status == 401 else None)

    # -- lookups -----------------------------------------------------------------------------

    def is_authorized(self) -> bool:
        return bool(self._request("GET", "/api/IsAuthorized", "IsAuthorized"))

    def items(self) -> list[dict[str, Any]]:
        return list(self._request("GET", "/api/Items", "Items"))

    def currencies(self) -> list[dict[str, Any]]:
        return list(self._request("GET", "/api/Currencies", "Currencies"))

    def sale_types(self) -> list[dict[str, Any]]:
        return list(self._request("GET", "/api/SaleTypes", "SaleTypes"))

    def stocks(self) -> list[dict[str, Any]]:
        return list(self._request("GET", "/api/Stocks", "Stocks"))

    def bank_accounts(self) -> list[dict[str, Any]]:
        return list(self._request("GET", "/api/BankAccounts", "BankAccounts"))

    def units(self) -> list[dict[str, Any]]:
        return list(self._request("GET", "/api/Units", "Units"))

    def price_notes(self) -> list[dict[str, Any]]:
        return list(self._request("GET", "/api/PriceNoteItems", "PriceNoteItems"))

    # -- customers ---------------------------------------------------------------------------

    def list_customers(self) -> list[dict[str, Any]]:
        return list(self._request("GET", "/api/Customers", "Customers.list"))

    def customers_page(self, *, limit: int = 50, offset: int = 0, order_by: str = "",
                       descending: bool = False, filters: Sequence[Filter] = ()) -> Page:
        return self._page("/api/Customers/Paginated", "Customers.paginated", limit, offset,
                          order_by, descending, filters)

    def get_customer(self, customer_id: int) -> dict[str, Any]:
        return dict(self._request("GET", f"/api/Customers/{customer_id}", "Customers.get"))

    def create_customer(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Create a customer; `body` needs GUID, CustomerType, Name, LastName, Addresses."""
        return dict(self._request("POST", "/api/Customers", "Customers.create",
                                  json_body=dict(body)))

    def customer_for(self, invoice: Invoice) -> int:
        """The Sepidar CustomerID for the invoice's buyer, creating the customer (under a GUID
        derived from posapp's customer) the first time."""
        buyer = invoice.buyer
        if buyer is None:
            if self.config.walk_in_customer_ref > 0:
                return self.config.walk_in_customer_ref
            raise ProviderValidationError(
                NAME, "مشتری گذری سپیدار در تنظیمات تعیین نشده است",
                "set the Sepidar walk-in customer (walk_in_customer_ref) for sales without a buyer",
                field_errors={"buyer": "walk-in customer not configured"})
        guid = str(customer_guid(customer_identity(invoice, buyer)))
        found = self._customer_by_guid(guid)
        if found is not None:
            return found
        body = customer_body(buyer, guid, extended=self._extended())
        try:
            created = self.create_customer(body)
        except ProviderValidationError:
            # refused: perhaps an earlier attempt whose answer was lost created it already
            found = self._customer_by_guid(guid)
            if found is None:
                raise
            return found
        self._customer_ids[guid] = int(created["CustomerID"])
        return self._customer_ids[guid]

    def _customer_by_guid(self, guid: str) -> int | None:
        """The CustomerID whose GUID is `guid`, from every page, each row compared here."""
        if guid in self._customer_ids:
            return self._customer_ids[guid]
        for row in self._rows(self.customers_page, [Filter("GUID", "Eq", guid)]):
            if str(row.get("GUID") or "").lower() == guid.lower():
                self._customer_ids[guid] = int(row["CustomerID"])
                return self._customer_ids[guid]
        return None

    def _rows(self, fetch: Callable[..., Page], filters: Sequence[Filter], *, order_by: str = "",
              descending: bool = False) -> Iterator[dict[str, Any]]:
        """Every row of a Paginated listing, page after page (the filters are sent, but a server
        may ignore them: callers compare each row themselves)."""
        offset = 0
        while True:
            page = fetch(limit=PAGE_SIZE, offset=offset, order_by=order_by, descending=descending,
                         filters=filters)
            yield from page.rows
            offset += len(page.rows)
            if not page.rows or offset >= page.total:
                return

    def _extended(self) -> bool:
        return (self.generation_version or 0) >= EXTENDED_INVOICE_VERSION

    # -- invoices ----------------------------------------------------------------------------

    def get_invoice(self, invoice_id: int) -> dict[str, Any]:
        return dict(self._request("GET", f"/api/invoices/{invoice_id}", "Invoices.get"))

    def invoices_page(self, *, limit: int = 50, offset: int = 0, order_by: str = "",
                      descending: bool = False, filters: Sequence[Filter] = ()) -> Page:
        return self._page("/api/invoices/Paginated", "Invoices.paginated", limit, offset,
                          order_by, descending, filters)

    def _page(self, path: str, operation: str, limit: int, offset: int, order_by: str,
              descending: bool, filters: Sequence[Filter]) -> Page:
        params = [("limit", str(limit)), ("offset", str(offset))]
        if order_by:
            params.append(("orderByDesc" if descending else "orderBy", order_by))
        params += [f.pair() for f in filters]
        answer = self._request("GET", path, operation, params=params)
        return Page(list(answer["Result"]), int(answer["Total"]), int(answer["Limit"]),
                    int(answer["Offset"]))

    def _item_ref(self, code: str, index: int) -> int:
        if self._item_refs is None:
            self._item_refs = {str(i["Code"]): int(i["ItemID"]) for i in self.items()}
        if code not in self._item_refs:
            raise ProviderValidationError(
                NAME, f"ردیف {index + 1}: کالایی با کد «{code}» در سپیدار نیست",
                f"line {index + 1}: Sepidar has no item with code '{code}'",
                field_errors={f"lines[{index}].product_code": code or "empty"})
        return self._item_refs[code]

    def invoice_body(self, invoice: Invoice, idempotency_key: str) -> dict[str, Any]:
        """The create body for an issued posapp invoice, its items and customer looked up."""
        item_refs = [self._item_ref(line.product_code, index) for index, line in enumerate(invoice.lines)]
        return invoice_body(invoice, idempotency_key, customer_ref=self.customer_for(invoice),
                            item_refs=item_refs, refs=self._refs, extended=self._extended())

    def push_invoice(self, invoice: Invoice, idempotency_key: str) -> RemoteInvoice:
        self._ensure_session()
        body = self.invoice_body(invoice, idempotency_key)
        try:
            answer = self._request("POST", "/api/invoices", "Invoices.create", json_body=body)
        except ProviderValidationError:
            existing = self._saved_earlier(body, invoice, idempotency_key)
            if existing is None:
                raise
            return existing
        return remote_invoice(answer, idempotency_key)

    def _saved_earlier(self, body: Mapping[str, Any], invoice: Invoice, key: str) -> RemoteInvoice | None:
        """The invoice an earlier attempt saved under this GUID, after a create was refused. From
        v109 it is found by the GUID in its Description. Before v109 invoices carry nothing of
        posapp's, so the newest one for the same customer with the same Price and NetPrice is
        taken (two unsynced sales to one customer with equal amounts cannot be told apart, and
        either has the same amounts)."""
        if self._extended():
            return self.find_invoice(key)
        for row in self._rows(self.invoices_page, [Filter("CustomerRef", "Eq", body["CustomerRef"])],
                              order_by="InvoiceID", descending=True):
            if (row.get("CustomerRef") == body["CustomerRef"]
                    and amount(row.get("Price"), "Price") == body["Price"]
                    and amount(row.get("NetPrice"), "NetPrice") == invoice.totals.payable):
                log.info("sepidar: invoice %s was saved earlier as %s", key, row.get("InvoiceID"))
                return remote_invoice(row, key)
        return None

    def find_invoice(self, idempotency_key: str) -> RemoteInvoice | None:
        """From v109 the invoice's GUID is in its Description: every invoice of the fiscal year
        is read, page by page, and each Description compared here. Before v109 Sepidar offers no
        way to find an invoice by key: None, and pushing again is safe because the GUID stops a
        second copy and `push_invoice` finds the first."""
        self._ensure_session()
        if not self._extended():
            return None
        marks = (f"[{invoice_guid(idempotency_key)}]", f"[{idempotency_key}]")
        for row in self._rows(self.invoices_page, [Filter("Description", "Contains", marks[0])]):
            if any(mark in str(row.get("Description") or "") for mark in marks):
                return remote_invoice(row, idempotency_key)
        return None

    # -- receipts ----------------------------------------------------------------------------

    def record_payment(self, remote: RemoteInvoice, payment: Payment, idempotency_key: str) -> None:
        """A receipt (دریافت) against the invoice into the configured bank account."""
        if self.config.bank_account_id <= 0:
            raise ProviderValidationError(
                NAME, "حساب بانکی دریافت‌ها در تنظیمات سپیدار تعیین نشده است",
                "set the Sepidar bank account (bank_account_id) for receipts",
                field_errors={"bank_account_id": "not configured"})
        body = receipt_body(remote, payment, idempotency_key, day=self._today().isoformat(),
                            bank_account_id=self.config.bank_account_id)
        try:
            self._request("POST", "/api/Receipts/BasedOnInvoice", "Receipts.basedOnInvoice", json_body=body)
        except ProviderValidationError as error:
            if self._extended():
                raise
            # before v109 neither the invoice nor any listing shows receipts: say what to check
            raise ProviderValidationError(
                NAME, f"{error.message_fa} — اگر این دریافت پیش‌تر در سپیدار ثبت شده است (پاسخ تلاش قبلی "
                      "نرسید)، این مورد را رد کنید",
                f"{error.message_en} — if Sepidar already holds this receipt (an earlier attempt's answer "
                "was lost), skip this item", field_errors=error.field_errors, status=error.status) from None

    def received_amount(self, remote: RemoteInvoice) -> Decimal | None:
        """The invoice's `TotalReceivedAmount`, shown from v109; None before (the receipt's
        GUID stops a second copy of a payment anyway)."""
        self._ensure_session()
        if not self._extended():
            return None
        answer = self.get_invoice(int(remote.remote_id))
        return amount(answer.get("TotalReceivedAmount", 0), "TotalReceivedAmount")

    # -- pulls and check -----------------------------------------------------------------------

    def pull_customers(self, since: datetime | None = None) -> Iterator[RemoteCustomer]:
        for row in self.list_customers():
            yield remote_customer(row)

    def pull_products(self, since: datetime | None = None) -> Iterator[RemoteProduct]:
        units = {u["UnitID"]: str(u["Title"]) for u in self.units()}
        prices = {p["ItemRef"]: amount(p["Fee"], "Fee") for p in self.price_notes()
                  if p.get("SaleTypeRef") == self.config.sale_type_ref
                  and p.get("CurrencyRef") == self.config.currency_ref
                  and p.get("CustomerGroupingRef") is None}
        for item in self.items():
            yield remote_product(item, units, prices)

    def check(self) -> list[CheckResult]:
        """Each step of the handshake in turn, stopping at the first that fails; once connected,
        whether every Sepidar id in the settings names a real record."""
        steps: tuple[tuple[str, str, str, Callable[[], object]], ...] = (
            ("version", "نسخه سپیدار", "GenerationVersion", self.read_generation_version),
            ("device", "ثبت دستگاه", "device registration", self._ensure_device),
            ("login", "ورود کاربر", "user login", self.login),
            ("authorized", "دسترسی", "IsAuthorized", self.is_authorized),
        )
        results: list[CheckResult] = []
        for name, fa, en, step in steps:
            results.append(run_check(name, fa, en, step))
            if not results[-1].ok:
                return results
        return results + self._setup_checks()

    def _setup_checks(self) -> list[CheckResult]:
        """The configured ids against Sepidar's own lists: an invoice or receipt naming a missing
        one would be refused only when the first sale is sent."""
        return [
            self._reference_check("currency_ref", self.currencies, "CurrencyID"),
            self._reference_check("sale_type_ref", self.sale_types, "SaleTypeID"),
            self._reference_check("stock_ref", self.stocks, "StockID", active="IsActive"),
            self._reference_check("bank_account_id", self.bank_accounts, "BankAccountID", title="DlTitle"),
            self._walk_in_check(),
        ]

    def _reference_check(self, setting_name: str, lookup: Callable[[], list[dict[str, Any]]], id_field: str,
                         *, title: str = "Title", active: str = "") -> CheckResult:
        """Whether the setting names a row of `lookup` (and, with `active`, a row in use); when
        not, the message lists the ids the shop can choose from."""
        configured = int(getattr(self.config, setting_name))

        def usable() -> dict[Any, str]:
            return {row[id_field]: str(row.get(title) or "") for row in lookup()
                    if isinstance(row, Mapping) and row.get(id_field) is not None
                    and (not active or row.get(active) is not False)}

        return choice_check(SepidarConfig, setting_name, configured, unset=configured <= 0, offered=usable,
                            absent_fa="در سپیدار نیست یا فعال نیست", absent_en="is not in Sepidar or not in use")

    def _walk_in_check(self) -> CheckResult:
        """The customer sales without a buyer go to, read by its id."""
        setting_name = "walk_in_customer_ref"
        fa, en = setting_labels(SepidarConfig, setting_name)
        configured = self.config.walk_in_customer_ref
        if configured <= 0:
            return CheckResult(setting_name, False,
                               f"«{fa}» تعیین نشده است؛ فروش بدون نام خریدار به سپیدار فرستاده نمی‌شود",
                               f"{en} ({setting_name}) is not set; sales without a named buyer cannot be sent")
        try:
            customer = self.get_customer(configured)
        except RemoteNotFoundError:
            return CheckResult(setting_name, False, f"«{fa}» = {configured} در سپیدار نیست",
                               f"{en} ({setting_name}) = {configured} is not in Sepidar")
        except ProviderError as error:
            return CheckResult(setting_name, False, f"{fa}: {error.message_fa}", f"{en}: {error.message_en}")
        chosen = f"{configured} ({customer.get('Title') or ''})"
        return CheckResult(setting_name, True, f"{fa}: {chosen}", f"{en}: {chosen}")


create = SepidarProvider
"""The registry's factory (see `posapp.providers.registry`)."""
