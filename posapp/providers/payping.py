"""PayPing (پی‌پینگ) v2 client: customers and invoices with payment links.

Contract: PayPing's OpenAPI file (API-Documents `spec/openapi.json`, v1-v2) and its help article
on scheduled invoices (payping-schedule); docs/providers.md sums up what posapp sends. Bearer token auth;
amounts in whole Toman (converted from posapp's Rial by `payping_mapping`, under the configured
`toman_rounding`); every time is sent and read as UTC. A 400 answers with a field → message map
(or, on newer servers, `{title, metaData:{errors:[…]}}`); both become a `ProviderValidationError` whose
`field_errors` name PayPing's fields.

Pushing an invoice: it is created as a draft, its total is compared with what posapp expects
(a wrong discount-type setting or naming scheme shows up here, and the draft is deleted, so no
customer ever sees a wrong amount), then sent (status 1, awaiting payment). The idempotency key
becomes PayPing's int64 `invoiceNumber` (`invoice_number_for`). The spec promises neither that a
reused number is refused nor that `search` matches numbers, so an earlier attempt is found by
reading the documented listing (`/v2/invoice/List`, every page) and comparing numbers here; the
sync engine does that before a create whose earlier attempt is unknown. A walk-in sale is a
"device payment" with no customer; a named buyer is found by mobile or created.

The payment link is `https://api.payping.ir/v2/pay/gotoipg/{payCode}` with the pay code from
`/v2/invoice/PaymentCode` (the OpenAPI file describes `/v2/pay/gotoipg/{code}` for pay codes but
not which code an invoice link takes: this pairing is posapp's reading).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar

import httpx

from posapp.domain.invoice import Invoice, Party, PartyKind
from posapp.domain.money import RIAL_PER_TOMAN, ZERO
from posapp.providers.base import (
    Capability,
    CheckResult,
    PaymentLink,
    PaymentStatus,
    ProviderConfig,
    RemoteCustomer,
    RemoteInvoice,
    RemoteState,
    SecretSink,
    SecretSpec,
    TomanRounding,
    run_check,
    setting,
    to_decimal,
)
from posapp.providers.errors import (
    DuplicateError,
    InvalidStateError,
    ProviderValidationError,
)
from posapp.providers.http import HttpClient, decode_json
from posapp.providers.http_provider import HttpProvider
from posapp.providers.payping_mapping import (
    NAME,
    DiscountCodes,
    FieldNaming,
    TomanInvoice,
    invoice_body,
    to_toman,
)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.payping.ir"
PAY_LINK = "https://api.payping.ir/v2/pay/gotoipg/{pay_code}"
LIST_LIMIT = 50

DRAFT, AWAITING, PAID, OVERDUE, CANCELLED, ANY_STATUS = range(6)
"""PayPing's invoice statuses; `ANY_STATUS` (5) asks its listing for every one."""
_STATES = {DRAFT: RemoteState.PENDING, AWAITING: RemoteState.OPEN, PAID: RemoteState.PAID,
           OVERDUE: RemoteState.OPEN, CANCELLED: RemoteState.CANCELLED}


@dataclass(frozen=True)
class PayPingConfig(ProviderConfig):
    field_naming: str = setting(
        "spec", "نام‌گذاری فیلدها (spec: مستند OpenAPI، seed: مستند جدید)",
        "field names: spec (OpenAPI) or seed (help article/FastInvoice)", choices=tuple(n.value for n in FieldNaming))
    discount_codes: str = setting(
        "spec", "کد نوع تخفیف (spec: ۰=مبلغ، seed: ۰=درصد)",
        "discount type codes: spec (0 = amount) or seed (0 = percent)", choices=tuple(c.value for c in DiscountCodes))
    toman_rounding: str = setting(
        "exact", "مبلغ غیرمضرب ۱۰ ریال: exact رد، up/down/half_up گرد کردن",
        "amounts not a multiple of 10 Rial: exact refuses; up/down/half_up round the total",
        choices=tuple(r.value for r in TomanRounding))
    due_days: int = setting(3, "مهلت پرداخت فاکتور (روز)", "days until a PayPing invoice is due")


CONFIG = PayPingConfig
SECRETS = (SecretSpec("token", "توکن دسترسی پی‌پینگ", "PayPing access token"),)


def _every_row(list_page: Callable[[int], list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    """Every row of a PayPing listing, fetched a page (`LIST_LIMIT` rows) at a time from
    `list_page(offset)`, and only as far as the caller reads."""
    offset = 0
    while True:
        rows = list_page(offset)
        yield from rows
        if len(rows) < LIST_LIMIT:
            return
        offset += len(rows)


def invoice_number_for(idempotency_key: str) -> int:
    """PayPing's int64 `invoiceNumber` for a posapp key ("1A-000042"): the first 7 bytes of its
    SHA-256, so the same key always gives the same number and it fits a signed int64."""
    return int.from_bytes(hashlib.sha256(idempotency_key.encode("utf-8")).digest()[:7], "big")


def utc_text(moment: datetime) -> str:
    """An aware datetime as PayPing's UTC ISO-8601 text."""
    if moment.tzinfo is None:
        raise ValueError("PayPing times must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_utc(text: Any) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _rial(toman: Any, field_name: str = "total") -> Decimal:
    """A Toman amount from PayPing's answer, in Rial."""
    return to_decimal(toman, provider=NAME, field_name=field_name) * RIAL_PER_TOMAN


class PayPingProvider(HttpProvider[PayPingConfig]):
    name: ClassVar[str] = NAME
    SECRETS = SECRETS
    DEFAULT_BASE_URL = DEFAULT_BASE_URL
    capabilities: ClassVar[frozenset[Capability]] = frozenset({
        Capability.PUSH_INVOICE, Capability.FIND_INVOICE, Capability.PAYMENT_STATUS,
        Capability.CANCEL_INVOICE, Capability.PAYMENT_LINK, Capability.PULL_CUSTOMERS,
    })

    def __init__(self, config: PayPingConfig, secrets: Mapping[str, str], *,
                 transport: httpx.BaseTransport | None = None, http: HttpClient | None = None,
                 on_secret: SecretSink | None = None, now: Callable[[], datetime] | None = None) -> None:
        self._now = now or (lambda: datetime.now(UTC))
        super().__init__(config, secrets, transport=transport, http=http, on_secret=on_secret)

    def _configure(self, secrets: Mapping[str, str]) -> None:
        self.naming = FieldNaming(self.config.field_naming)
        self.codes = DiscountCodes(self.config.discount_codes)
        self.rounding = TomanRounding(self.config.toman_rounding)
        self._auth = {"Authorization": f"Bearer {secrets['token'].strip()}"}

    # -- transport ---------------------------------------------------------------------------

    def _call(self, method: str, path: str, operation: str, *, body: Any = None,
              params: Mapping[str, Any] | None = None, idempotent: bool = True) -> Any:
        query = [(k, str(v).lower() if isinstance(v, bool) else str(v))
                 for k, v in (params or {}).items() if v is not None]
        return self._http.request(method, path, operation=operation, params=query,
                                  json_body=body, headers=self._auth, parse=self._parse,
                                  idempotent=idempotent)

    def _parse(self, response: httpx.Response) -> Any:
        status = response.status_code
        if 200 <= status < 300:
            return decode_json(response, NAME) if response.content else None
        if status == 400:
            fields = field_errors(decode_json(response, NAME) if response.content else None)
            raise self.status_error(status, "؛ ".join(f"{k}: {v}" for k, v in fields.items()),
                                    field_errors=fields)
        raise self.status_error(status)

    # -- mapping helpers ---------------------------------------------------------------------

    def _remote(self, detail: Mapping[str, Any], key: str = "") -> RemoteInvoice:
        status = int(detail.get("status", DRAFT))
        return RemoteInvoice(
            provider=NAME, remote_id=str(detail["code"]), key=key,
            number=str(detail.get("invoiceNumber") or ""), payable=_rial(detail.get("total", 0)),
            state=_STATES.get(status, RemoteState.OPEN),
            paid=_rial(detail.get("total", 0)) if status == PAID else ZERO)

    def expected_payable(self, invoice: Invoice) -> Decimal:
        """posapp's payable in whole Toman under the shop's rounding rule, back in Rial."""
        return self._toman(invoice).payable_rial

    def _toman(self, invoice: Invoice) -> TomanInvoice:
        toman = to_toman(invoice, self.rounding)
        if toman.payable_rial != invoice.totals.payable:
            log.info("payping: invoice %s rounded from %s to %s Rial (%s)", invoice.number,
                     invoice.totals.payable, toman.payable_rial, self.rounding)
        return toman

    def _due(self, start: datetime | None = None) -> str:
        return utc_text((start or self._now()) + timedelta(days=self.config.due_days))

    # -- customers ---------------------------------------------------------------------------

    def create_customer(self, party: Party, **extra: Any) -> str:
        """Create a PayPing customer for `party`; returns its code."""
        first, _, last = party.name.strip().rpartition(" ")
        body = {"firstName": first or last, "lastName": last if first else "-",
                "phone": party.mobile, "nationalId": party.national_id,
                "zipCode": party.postal_code, "location": party.address,
                "isBusiness": party.kind is PartyKind.LEGAL,
                "businessName": party.name if party.kind is PartyKind.LEGAL else "", **extra}
        answer = self._call("POST", "/v1/customer", "customer.create", body=body, idempotent=False)
        return str(answer["code"])

    def list_customers(self, *, search: str = "", offset: int = 0,
                       limit: int = LIST_LIMIT) -> list[dict[str, Any]]:
        return list(self._call("GET", "/v1/customer/List", "customer.list",
                               params={"offset": offset, "limit": limit, "search": search or None}))

    def customer_code_for(self, party: Party) -> str:
        """The code of the PayPing customer matching this party (by mobile, else national ID,
        else full name), created the first time."""
        def same(row: Mapping[str, Any]) -> bool:
            if party.mobile:
                return row.get("phone") == party.mobile
            if party.national_id:
                return row.get("nationalId") == party.national_id
            full_name = f"{row.get('firstName', '')} {row.get('lastName', '')}".strip()
            return party.name.strip() in (full_name, row.get("businessName"))

        search = party.mobile or party.national_id or party.name.strip()
        # every page: the spec does not say what `search` matches
        rows = _every_row(lambda offset: self.list_customers(search=search, offset=offset, limit=LIST_LIMIT))
        found = next((row for row in rows if same(row)), None)
        return str(found["code"]) if found is not None else self.create_customer(party)

    def pull_customers(self, since: datetime | None = None) -> Iterator[RemoteCustomer]:
        for row in _every_row(lambda offset: self.list_customers(offset=offset)):
            name = f"{row.get('firstName', '')} {row.get('lastName', '')}".strip()
            yield RemoteCustomer(
                provider=NAME, remote_id=str(row["code"]), code=str(row["code"]),
                name=str(row.get("businessName") or name),
                kind=PartyKind.LEGAL if row.get("isBusiness") in (True, "true", "True") else PartyKind.NATURAL,
                national_id=str(row.get("nationalId") or ""),
                mobile=str(row.get("phone") or ""), email=str(row.get("email") or ""))

    # -- invoices ----------------------------------------------------------------------------

    def _body(self, invoice: Invoice, toman: TomanInvoice, customers: Sequence[str], number: int,
              create_status: int, due: str, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return invoice_body(toman, naming=self.naming, codes=self.codes, customer_codes=customers,
                            number=number, title=f"فاکتور {invoice.number or number}", due=due,
                            create_status=create_status, notes=invoice.notes, extra=extra)

    def push_invoice(self, invoice: Invoice, idempotency_key: str) -> RemoteInvoice:
        toman = self._toman(invoice)
        customers = [self.customer_code_for(invoice.buyer)] if invoice.buyer else []
        number = invoice_number_for(idempotency_key)
        body = self._body(invoice, toman, customers, number, DRAFT, self._due())
        try:
            created = self._call("POST", "/v2/invoice", "invoice.create", body=body,
                                 idempotent=False)
        except ProviderValidationError as error:
            if "invoiceNumber" not in error.field_errors:
                raise
            # a server that does refuse a reused number: the engine looks the first one up
            raise DuplicateError(NAME, "این شماره فاکتور در پی‌پینگ استفاده شده است",
                                 "PayPing holds this invoice number already",
                                 existing_key=idempotency_key) from None
        detail = created[0]
        if int(detail["total"]) != toman.total:
            self.delete_invoice(str(detail["code"]))
            raise ProviderValidationError(
                NAME,
                f"مبلغ فاکتور در پی‌پینگ ({detail['total']} تومان) با posapp ({toman.total} تومان) یکی نیست؛ "
                "تنظیم «کد نوع تخفیف» یا «نام‌گذاری فیلدها» را بررسی کنید. پیش‌نویس حذف شد",
                f"PayPing computed {detail['total']} Toman, posapp {toman.total}; check the discount "
                "code and field naming settings. The draft was deleted",
                field_errors={"discountType": f"{detail['total']} != {toman.total}"})
        return self._deliver(str(detail["code"]), idempotency_key, invoice)

    def resume_push(self, invoice: Invoice, found: RemoteInvoice) -> RemoteInvoice:
        """A draft an earlier attempt created but never sent is sent now, when its total is
        right (a wrong one stays a draft, and the engine's amount check fails it)."""
        if found.state is RemoteState.PENDING and found.payable == self.expected_payable(invoice):
            return self._deliver(found.remote_id, found.key, invoice)
        return found

    def _deliver(self, code: str, key: str, invoice: Invoice) -> RemoteInvoice:
        """Send the checked draft to its customer when something is left to pay. A sale paid
        in full at the till stays a draft: PayPing would otherwise ask the customer (by SMS
        or e-mail) to pay again, and a paid invoice could never be cancelled there."""
        if invoice.totals.balance_due > ZERO:
            return self.send(code, key)
        return self.get_invoice(code, key)

    def send(self, code: str, key: str = "") -> RemoteInvoice:
        """Send a draft to its customer: it now awaits payment."""
        self._call("POST", f"/v2/invoice/Send/{code}", "invoice.send")
        return self.get_invoice(code, key)

    def get_invoice(self, code: str, key: str = "") -> RemoteInvoice:
        return self._remote(self._call("GET", f"/v2/invoice/{code}", "invoice.get"), key)

    def invoice_detail(self, code: str) -> dict[str, Any]:
        return dict(self._call("GET", f"/v2/invoice/{code}", "invoice.get"))

    def list_invoices(self, *, offset: int = 0, limit: int = LIST_LIMIT) -> list[dict[str, Any]]:
        """A page of invoice summaries of every status (PayPing's status 5)."""
        return list(self._call("GET", "/v2/invoice/List", "invoice.list",
                               params={"offset": offset, "limit": limit, "status": ANY_STATUS}))

    def find_invoice(self, idempotency_key: str) -> RemoteInvoice | None:
        """The live invoice numbered for `idempotency_key`, from every page of the listing (no
        `search`: the spec does not say what it matches), each number compared here."""
        number = invoice_number_for(idempotency_key)
        for row in _every_row(lambda offset: self.list_invoices(offset=offset, limit=LIST_LIMIT)):
            if int(row.get("invoiceNumber") or 0) == number and row.get("status") != CANCELLED:
                return self._remote(row, idempotency_key)
        return None

    def delete_invoice(self, code: str) -> None:
        """Only a draft or a cancelled invoice can be deleted."""
        self._call("DELETE", f"/v2/invoice/{code}", "invoice.delete")

    def payment_status(self, remote_id: str) -> PaymentStatus:
        detail = self.invoice_detail(remote_id)
        remote = self._remote(detail)
        return PaymentStatus(paid=remote.state is RemoteState.PAID, amount=remote.paid,
                             paid_at=parse_utc(detail.get("payedDateTime")), state=remote.state)

    def cancel_invoice(self, remote: RemoteInvoice, reason: str) -> RemoteInvoice:
        try:
            self._call("POST", "/v2/invoice/Cancel", "invoice.cancel",
                       body={"code": remote.remote_id})
        except ProviderValidationError as error:
            raise InvalidStateError(NAME, f"پی‌پینگ لغو را نپذیرفت: {error.message_fa}",
                                    f"PayPing refused to cancel: {error.message_en}",
                                    status=error.status) from None
        return self.get_invoice(remote.remote_id, remote.key)

    def payment_code(self, code: str, coupon: str = "") -> str:
        answer = self._call("GET", "/v2/invoice/PaymentCode", "invoice.paymentCode",
                            params={"Code": code, "CouponCode": coupon or None})
        return str(answer["payCode"])

    def create_payment_link(self, invoice: Invoice, idempotency_key: str,
                            existing: RemoteInvoice | None = None) -> PaymentLink:
        remote = (self.get_invoice(existing.remote_id, idempotency_key) if existing is not None
                  else self.push_invoice(invoice, idempotency_key))
        if remote.state is not RemoteState.OPEN:
            raise InvalidStateError(NAME, "این فاکتور پی‌پینگ در انتظار پرداخت نیست",
                                    f"the PayPing invoice is {remote.state}, not awaiting payment")
        pay_code = self.payment_code(remote.remote_id)
        return PaymentLink(url=PAY_LINK.format(pay_code=pay_code), remote_id=remote.remote_id,
                           amount=remote.payable)

    def check(self) -> list[CheckResult]:
        return [run_check("token", "توکن پی‌پینگ", "PayPing token",
                          lambda: self.list_invoices(limit=1))]


def field_errors(body: Any) -> dict[str, str]:
    """PayPing's 400 body as {field: message}: the documented map, or the newer
    `{title, metaData:{errors:[{message, field?}]}}`."""
    if isinstance(body, dict) and isinstance(body.get("metaData"), dict):
        errors = body["metaData"].get("errors") or []
        fields = {str(e.get("field") or f"error{index}"): str(e.get("message", ""))
                  for index, e in enumerate(errors) if isinstance(e, dict)}
        return fields or {"title": str(body.get("title", ""))}
    if isinstance(body, dict) and body:
        return {str(k): v if isinstance(v, str) else str(v) for k, v in body.items()}
    return {"body": "PayPing gave no reason"}


create = PayPingProvider
"""The registry's factory (see `posapp.providers.registry`)."""
