"""Hesabit (حسابیت) client: online invoices with a payment link, over the shared HTTP layer.

Contract: CONTRACTS.md §3 and the seed hesabit-invoices.fa.txt. Every call carries
`?access_token=`; on a 401 the client uses the OAuth2 refresh grant once, hands the new token
pair to `on_tokens` (wired to the OS keyring by the settings layer) and repeats
the call. Tokens never reach a log (the HTTP layer redacts `access_token`/`refresh_token`).

Mapping rules (amounts are whole Rial both sides):
- The Hesabit invoice `number` is the idempotency key. A create that Hesabit refuses because the
  number is taken is answered with the invoice already holding it (found by listing, since the
  API has no number filter).
- posapp's themes map to `theme_id`: modern → 1 (مدرن), formal → 2 (فاکتور رسمی),
  receipt → 3 (فیش), carbon → 4 (کاربن). Themes other than 1 need an active Hesabit plan.
- Hesabit items take whole-number `cost`, `quantity` and percentages. A line whose quantity and
  unit price are whole and whose whole discount (line plus its share of the invoice discount)
  is a whole percentage goes as it is; any other line goes as quantity 1 at its net amount, with
  the quantity and unit price written into the description, so the total is always exact.
  `tax` is the line's VAT rate in whole percent. Additions (freight, packing) become their own
  untaxed items; Hesabit has no deduction, so an invoice with one is refused with a clear message.
- Hesabit's `amount` is reported as the remote payable; the sync engine's one amount-mismatch
  policy fails a delivery whose amount differs (docs/providers.md).
- `link` and `short_link` are both kept. The https `link` (on www.hesabit.com) is the one
  stored and offered to customers, since posapp shows only https links on a provider's known
  host; the http `short_link` (hesab.it) is kept as data only.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import urljoin

import httpx

from posapp.domain.formatting import format_amount, format_quantity
from posapp.domain.invoice import HUNDRED, Invoice, InvoiceLine, LineTotals
from posapp.domain.money import ZERO
from posapp.providers.base import (
    Capability,
    CheckResult,
    PaymentLink,
    PaymentStatus,
    Provider,
    ProviderConfig,
    RemoteInvoice,
    RemoteState,
    SecretSink,
    SecretSpec,
    run_check,
    setting,
    to_decimal,
)
from posapp.providers.errors import (
    AuthenticationError,
    DuplicateError,
    InvalidStateError,
    ProviderError,
    ProviderValidationError,
    RemoteNotFoundError,
)
from posapp.providers.http import HttpClient, decode_json

log = logging.getLogger(__name__)

NAME = "hesabit"
DEFAULT_BASE_URL = "https://api.hesabit.com/v1/"
OAUTH2_ENDPOINT = "../oauth2/token"
"""The token endpoint, relative to the API base (`https://api.hesabit.com/oauth2/token`)."""

THEME_IDS: Mapping[str, int] = {"modern": 1, "formal": 2, "receipt": 3, "carbon": 4}
"""posapp theme → Hesabit `theme_id` (the seed's 1 مدرن, 2 فاکتور رسمی, 3 فیش, 4 کاربن)."""

PAGE_SIZE = 100
"""Hesabit's largest list page."""

INVOICE_FILTERS = ("date", "from_date", "to_date", "due", "from_due", "to_due", "status")
"""The list filters the seed documents (timestamps are Unix seconds; status invoice|paid)."""


@dataclass(frozen=True)
class HesabitConfig(ProviderConfig):
    theme: str = setting("modern", "قالب فاکتور در حسابیت", "invoice theme on Hesabit",
                         choices=tuple(THEME_IDS))
    client_id: str = setting("", "شناسه برنامه OAuth2", "OAuth2 client id (for token refresh)")
    online_payment: bool = setting(True, "امکان پرداخت آنلاین فاکتور", "allow online payment")
    send_email: bool = setting(False, "ارسال فاکتور با ایمیل", "email the invoice to the customer")
    send_sms: bool = setting(True, "ارسال لینک فاکتور با پیامک", "text the invoice link to the customer")
    due_days: int = setting(7, "مهلت پرداخت (روز)", "days until the invoice is due")
    walk_in_customer_id: str = setting(
        "", "شناسه مشتری گذری در حسابیت", "Hesabit customer id used for walk-in sales")


CONFIG = HesabitConfig
SECRETS = (
    SecretSpec("access_token", "توکن دسترسی حسابیت", "Hesabit access token"),
    SecretSpec("refresh_token", "توکن تمدید حسابیت", "Hesabit refresh token", required=False),
    SecretSpec("client_secret", "رمز برنامه OAuth2", "OAuth2 client secret", required=False),
)

TokenSink = Callable[[str, str], None]
"""Receives (access_token, refresh_token) after a refresh, to keep them in the keyring."""


@dataclass(frozen=True)
class HesabitInvoice(RemoteInvoice):
    """A Hesabit invoice: `link` is the https invoice page customers pay on; `short_link` is
    Hesabit's http short link, kept as data and never offered (it is not https)."""

    short_link: str | None = None
    theme_id: int = 1
    customer_id: str = ""


@dataclass(frozen=True)
class HesabitCustomer:
    remote_id: str
    name: str
    email: str
    mobile: str


class HesabitProvider(Provider):
    name: ClassVar[str] = NAME
    capabilities: ClassVar[frozenset[Capability]] = frozenset({
        Capability.PUSH_INVOICE, Capability.FIND_INVOICE, Capability.PAYMENT_STATUS,
        Capability.CANCEL_INVOICE, Capability.PAYMENT_LINK,
    })

    def __init__(self, config: HesabitConfig, secrets: Mapping[str, str], *,
                 transport: httpx.BaseTransport | None = None,
                 on_tokens: TokenSink | None = None) -> None:
        if config.theme not in THEME_IDS:
            raise ValueError(f"unknown theme {config.theme!r}; expected one of {list(THEME_IDS)}")
        access_token = secrets.get("access_token", "").strip()
        if not access_token:
            raise AuthenticationError(
                NAME, "توکن دسترسی حسابیت تنظیم نشده است؛ «posapp provider configure hesabit» را اجرا کنید",
                "no Hesabit access token; run 'posapp provider configure hesabit'",
            )
        self.config = config
        self._access_token = access_token
        self._refresh_token = secrets.get("refresh_token", "").strip()
        self._client_secret = secrets.get("client_secret", "").strip()
        self._on_tokens = on_tokens
        self._http = HttpClient(config.client_config(DEFAULT_BASE_URL), provider=NAME,
                                transport=transport)

    def close(self) -> None:
        self._http.close()

    # -- transport: auth, refresh, envelope ----------------------------------------------------

    def _call(self, method: str, path: str, *, operation: str, query: Mapping[str, Any] | None = None,
              body: Any = None, idempotent: bool = True) -> Any:
        """The envelope's `data`, refreshing the access token once on a 401."""
        for attempt in (1, 2):
            params = [(k, str(v)) for k, v in (query or {}).items() if v is not None]
            params.append(("access_token", self._access_token))
            try:
                return self._http.request(method, path, operation=operation, params=params,
                                          json_body=body, parse=self._parse,
                                          idempotent=idempotent)
            except AuthenticationError as error:
                if error.status != 401 or attempt == 2 or not self._can_refresh():
                    raise
                self.refresh_tokens()
        raise AssertionError("unreachable")

    def _can_refresh(self) -> bool:
        return bool(self._refresh_token and self.config.client_id and self._client_secret)

    def refresh_tokens(self) -> None:
        """Trade the refresh token for a new pair and hand it to `on_tokens`."""
        form = [("grant_type", "refresh_token"), ("refresh_token", self._refresh_token),
                ("client_id", self.config.client_id), ("client_secret", self._client_secret)]
        answer = self._http.request("POST", urljoin(str(self._http.config.base_url), OAUTH2_ENDPOINT),
                                    operation="oauth2.token", form=form,
                                    parse=self._parse_token)
        self._access_token = answer["access_token"]
        self._refresh_token = answer.get("refresh_token") or self._refresh_token
        if self._on_tokens is not None:
            self._on_tokens(self._access_token, self._refresh_token)
        log.info("hesabit: access token refreshed")

    @staticmethod
    def _parse_token(response: httpx.Response) -> dict[str, str]:
        body = decode_json(response, NAME)
        if response.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
            raise AuthenticationError(
                NAME, "تمدید دسترسی به حسابیت ممکن نشد؛ دوباره به حسابیت وصل شوید",
                "Hesabit refused the refresh token; authorise posapp again",
                status=response.status_code,
                code=body.get("error") if isinstance(body, dict) else None,
            )
        return {"access_token": str(body["access_token"]),
                "refresh_token": str(body.get("refresh_token") or "")}

    @staticmethod
    def _parse(response: httpx.Response) -> Any:
        body = decode_json(response, NAME)
        status = response.status_code
        if isinstance(body, dict) and body.get("success") is True and 200 <= status < 300:
            return body.get("data")
        message = str(body.get("message") or "") if isinstance(body, dict) else ""
        if status == 401:
            raise AuthenticationError(NAME, "توکن حسابیت نامعتبر یا منقضی است",
                                      f"Hesabit refused the access token: {message}", status=status)
        if status == 403:
            raise AuthenticationError(NAME, "حساب حسابیت اجازه این کار را ندارد",
                                      f"not allowed by Hesabit: {message}", status=status)
        if status == 404:
            raise RemoteNotFoundError(NAME, "در حسابیت پیدا نشد", message or "not found", status=status)
        if status in (400, 409, 422):
            field = _field_of(message)
            if field == "number" and "taken" in message:
                raise DuplicateError(NAME, "این شماره فاکتور در حسابیت ثبت شده است", message,
                                     status=status)
            raise ProviderValidationError(NAME, f"حسابیت داده را نپذیرفت: {message}", message,
                                  field_errors={field: message}, status=status)
        raise ProviderError(NAME, f"پاسخ پیش‌بینی‌نشده از حسابیت (HTTP {status})",
                            f"unexpected answer from Hesabit (HTTP {status}): {message}",
                            status=status)

    # -- mapping ---------------------------------------------------------------------------------

    def invoice_body(self, invoice: Invoice, number: str, customer: Mapping[str, str]) -> dict[str, Any]:
        """The POST/PUT body for an issued posapp invoice under Hesabit `number`."""
        totals = invoice.totals
        if totals.deductions:
            raise ProviderValidationError(
                NAME, "حسابیت کسورات فاکتور را نمی‌پذیرد؛ آن را به صورت تخفیف ثبت کنید",
                "Hesabit has no invoice deductions; enter the amount as a discount instead",
                field_errors={"charges": "deductions are not supported"})
        items = [line_item(line, line_totals)
                 for line, line_totals in zip(invoice.lines, totals.lines, strict=True)]
        items += [{"description": charge.label, "cost": _whole(charge.amount, "charges"),
                   "quantity": 1, "discount": 0, "tax": 0}
                  for charge in invoice.charges if not charge.is_deduction]
        issued = invoice.issued_at or invoice.created_at
        # A sale paid in full at the till asks nobody to pay: no payment button, no SMS or
        # e-mail with a link to pay again.
        left_to_pay = totals.balance_due > 0
        return {
            "title": f"فاکتور {invoice.number or number}",
            "number": number,
            "date": int(issued.timestamp()),
            "due": int((issued + timedelta(days=self.config.due_days)).timestamp()),
            "online_payment": int(self.config.online_payment and left_to_pay),
            "note": invoice.notes,
            "theme_id": THEME_IDS[self.config.theme],
            "auto_send": {"email": self.config.send_email and left_to_pay,
                          "sms": self.config.send_sms and left_to_pay},
            "Customer": dict(customer),
            "Item": items,
        }

    def _customer_reference(self, invoice: Invoice) -> dict[str, str]:
        buyer = invoice.buyer
        if buyer is not None and buyer.mobile:
            return {"mobile": buyer.mobile}
        if self.config.walk_in_customer_id:
            return {"id": self.config.walk_in_customer_id}
        raise ProviderValidationError(
            NAME, "حسابیت برای هر فاکتور مشتری با شماره موبایل می‌خواهد؛ مشتری گذری را در تنظیمات حسابیت تعیین کنید",
            "Hesabit needs a customer with a mobile number; set the walk-in customer id in the Hesabit settings",
            field_errors={"buyer": "a mobile number or a walk-in customer is required"})

    def _remote(self, view: Mapping[str, Any]) -> HesabitInvoice:
        invoice = view["Invoice"]
        transaction = view.get("Transaction") or {}
        customer = view.get("Customer") or {}
        return HesabitInvoice(
            provider=NAME, remote_id=str(invoice["id"]), key=str(invoice["number"]),
            number=str(invoice["number"]),
            payable=to_decimal(invoice.get("amount"), provider=NAME, field_name="amount"),
            state=RemoteState.PAID if invoice.get("status") == "paid" else RemoteState.OPEN,
            link=invoice.get("link") or None,
            paid=to_decimal(transaction.get("amount", 0), provider=NAME, field_name="Transaction.amount"),
            short_link=invoice.get("short_link") or None, theme_id=int(invoice.get("theme_id", 1)),
            customer_id=str(customer.get("id", "")),
        )

    # -- the provider interface ------------------------------------------------------------------

    def push_invoice(self, invoice: Invoice, idempotency_key: str) -> HesabitInvoice:
        customer = self._customer_reference(invoice)
        body = self.invoice_body(invoice, idempotency_key, customer)
        try:
            data = self._call("POST", "invoices", operation="invoices.create", body=body,
                              idempotent=False)
        except ProviderValidationError as error:
            if "mobile" not in customer or "customer" not in error.message_en.lower():
                raise
            self.create_customer(invoice.buyer.name if invoice.buyer else "", mobile=customer["mobile"])
            data = self._call("POST", "invoices", operation="invoices.create", body=body,
                              idempotent=False)
        return self._remote(data)

    def create_payment_link(self, invoice: Invoice, idempotency_key: str,
                            existing: RemoteInvoice | None = None) -> PaymentLink:
        if not self.config.online_payment:
            raise ProviderValidationError(
                NAME, "پرداخت آنلاین در تنظیمات حسابیت خاموش است",
                "online payment is switched off in the Hesabit settings",
                field_errors={"online_payment": "off"})
        remote = (self.get_invoice(existing.remote_id) if existing is not None
                  else self.push_invoice(invoice, idempotency_key))
        return PaymentLink(url=remote.link or "", remote_id=remote.remote_id, amount=remote.payable)

    def find_invoice(self, idempotency_key: str) -> HesabitInvoice | None:
        for view in self._all_pages("invoices", "invoices.list", {}):
            if str(view["Invoice"]["number"]) == idempotency_key:
                return self._remote(view)
        return None

    def get_invoice(self, remote_id: str) -> HesabitInvoice:
        data = self._call("GET", f"invoices/{remote_id}", operation="invoices.get")
        if not isinstance(data, list) or len(data) != 1:
            raise ProviderError(NAME, "پاسخ حسابیت برای فاکتور قابل خواندن نبود",
                                "Hesabit's invoice answer is not a one-element list")
        return self._remote(data[0])

    def payment_status(self, remote_id: str) -> PaymentStatus:
        data = self._call("GET", f"invoices/{remote_id}", operation="invoices.get")
        view = data[0]
        remote = self._remote(view)
        transaction = view.get("Transaction") or {}
        created = transaction.get("created")
        return PaymentStatus(
            paid=remote.state is RemoteState.PAID, amount=remote.paid,
            paid_at=datetime.fromtimestamp(created, UTC) if created else None,
            reference=str(transaction.get("id", "")), state=remote.state)

    def cancel_invoice(self, remote: RemoteInvoice, reason: str) -> RemoteInvoice:
        """Hesabit has no cancellation: an unpaid invoice is deleted, a paid one refused."""
        current = self.get_invoice(remote.remote_id)
        if current.state is RemoteState.PAID:
            raise InvalidStateError(NAME, "فاکتور پرداخت‌شده در حسابیت حذف نمی‌شود",
                                    "a paid Hesabit invoice cannot be deleted")
        self.delete_invoice(remote.remote_id)
        return dataclasses.replace(current, state=RemoteState.CANCELLED)

    def check(self) -> list[CheckResult]:
        return [run_check("access_token", "توکن دسترسی حسابیت", "Hesabit access token",
                          lambda: self._call("GET", "invoices", operation="invoices.list",
                                             query={"limit": 1}))]

    # -- the rest of the API ---------------------------------------------------------------------

    def list_invoices(self, *, limit: int = 10, offset: int = 0, page: int | None = None,
                      **filters: int | str | datetime) -> list[HesabitInvoice]:
        """One page of invoices, newest first; `filters` are INVOICE_FILTERS (datetimes are
        sent as Unix seconds)."""
        data = self._call("GET", "invoices", operation="invoices.list",
                          query=_list_query(limit, offset, page, filters))
        return [self._remote(view) for view in data]

    def customer_invoices(self, *, customer_id: str | None = None, email: str | None = None,
                          mobile: str | None = None, limit: int = 10, offset: int = 0,
                          page: int | None = None,
                          **filters: int | str | datetime) -> list[HesabitInvoice]:
        if not (customer_id or email or mobile):
            raise ValueError("name the customer by id, email or mobile")
        query = _list_query(limit, offset, page, filters)
        query.update({"customer_id": customer_id, "email": email, "mobile": mobile})
        data = self._call("GET", "invoices/customer", operation="invoices.customer", query=query)
        return [self._remote(view) for view in data]

    def update_invoice(self, remote_id: str, invoice: Invoice, number: str) -> HesabitInvoice:
        body = self.invoice_body(invoice, number, self._customer_reference(invoice))
        data = self._call("PUT", f"invoices/{remote_id}", operation="invoices.update", body=body)
        return self._remote(data[0])

    def delete_invoice(self, remote_id: str) -> None:
        self._call("DELETE", f"invoices/{remote_id}", operation="invoices.delete")

    def create_customer(self, name: str, *, mobile: str = "", email: str = "", **extra: str) -> HesabitCustomer:
        """Create a customer (email or mobile required, each unique on Hesabit). `extra` may hold
        address, postal_code, company, tel, fax, registration_number, economical_number."""
        body = {"name": name or mobile or email, "mobile": mobile, "email": email, **extra}
        data = self._call("POST", "customers", operation="customers.create", body=body,
                          idempotent=False)
        return HesabitCustomer(str(data["id"]), str(data.get("name", "")),
                               str(data.get("email", "")), str(data.get("mobile", "")))

    def _all_pages(self, path: str, operation: str, query: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
        offset = 0
        while True:
            page = self._call("GET", path, operation=operation,
                              query={**query, "limit": PAGE_SIZE, "offset": offset})
            yield from page
            if len(page) < PAGE_SIZE:
                return
            offset += PAGE_SIZE


def line_item(line: InvoiceLine, totals: LineTotals) -> dict[str, Any]:
    """One Hesabit item whose total equals the posapp line's total to the Rial (see module doc)."""
    tax_percent = line.tax_rate * HUNDRED
    if tax_percent != tax_percent.to_integral_value():
        raise ProviderValidationError(
            NAME, f"حسابیت فقط نرخ مالیات با درصد صحیح می‌پذیرد ({tax_percent}٪)",
            f"Hesabit takes whole-percent tax rates only ({tax_percent}%)",
            field_errors={"tax_rate": str(tax_percent)})
    item: dict[str, Any] = {"description": line.description, "tax": int(tax_percent),
                            "code": line.product_code}
    whole_units = line.quantity == line.quantity.to_integral_value()
    whole_price = line.unit_price == line.unit_price.to_integral_value()
    percent = totals.discount * HUNDRED / totals.gross if totals.gross else ZERO
    if whole_units and whole_price and percent == percent.to_integral_value():
        item.update(cost=int(line.unit_price), quantity=int(line.quantity), discount=int(percent))
    else:
        item.update(description=folded_description(line), cost=_whole(totals.net, "lines"),
                    quantity=1, discount=0)
    return item


def folded_description(line: InvoiceLine) -> str:
    """A line's description when it is sent as one unit at its net amount: the quantity and
    unit price stay readable ("شکر (۲٫۵ کیلوگرم × ۴۸۰٬۰۰۰)")."""
    return (f"{line.description} ({format_quantity(line.quantity)} {line.unit} × "
            f"{format_amount(line.unit_price, with_unit=False)})")


def _whole(amount: Decimal, field: str) -> int:
    if amount != amount.to_integral_value():
        raise ProviderValidationError(NAME, "حسابیت فقط مبلغ ریالی صحیح می‌پذیرد",
                              "Hesabit takes whole Rial amounts only",
                              field_errors={field: str(amount)})
    return int(amount)


def _list_query(limit: int, offset: int, page: int | None,
                filters: Mapping[str, int | str | datetime]) -> dict[str, Any]:
    unknown = set(filters) - set(INVOICE_FILTERS)
    if unknown:
        raise ValueError(f"unknown Hesabit list filters: {sorted(unknown)}")
    if not 1 <= limit <= PAGE_SIZE:
        raise ValueError(f"limit must be from 1 to {PAGE_SIZE}")
    query: dict[str, Any] = {"limit": limit, "offset": offset, "page": page}
    for key, value in filters.items():
        query[key] = int(value.timestamp()) if isinstance(value, datetime) else value
    return query


_FIELD = re.compile(r"^([A-Za-z_][\w.]*)\b")


def _field_of(message: str) -> str:
    """The field a Hesabit validation message starts with (`Item.0.cost must…` → Item.0.cost)."""
    match = _FIELD.match(message)
    return match.group(1) if match else "invoice"


def create(config: HesabitConfig, secrets: Mapping[str, str], *,
           transport: httpx.BaseTransport | None = None,
           on_secret: SecretSink | None = None) -> HesabitProvider:
    def keep_tokens(access_token: str, refresh_token: str) -> None:
        if on_secret is not None:
            on_secret("access_token", access_token)
            on_secret("refresh_token", refresh_token)

    return HesabitProvider(config, secrets, transport=transport, on_tokens=keep_tokens)
