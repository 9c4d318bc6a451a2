"""Hesabfa (حسابفا) client: invoices (upsert by number), payments, online links, warehouse receipts,
contacts and items, over the JSON `{"apiKey": …, "loginToken": …, …}` API (CONTRACTS.md §2).

Every call is `POST {base}/{area}/{method}` with one flat JSON object carrying the credentials
(`apiKey` plus `loginToken`, or `userId` plus `password`) and the method's parameters. Answers
come in the `{Success, ErrorCode, ErrorMessage, Result}` envelope; numbers may arrive as strings
(`"Sum": "109000"`) and are read exactly as Decimal. Hesabfa allows 50 requests a minute per IP:
the client limits itself below that, and a `TooManyRequests` (101) answer is retried with backoff.

Numbers: Hesabfa numbers its invoices itself (the seed's numbers are numeric, `number: 1001`; the
official plugin never chooses one). posapp sends no `number`, keeps the one Hesabfa answers as the
remote id, and puts its own number («1A-000001») in `reference`; an earlier attempt is found by
that reference, read from the listing and compared here (the listing's filters are not in the
seed, so a server may ignore them), every page. `invoice/save` without a number is never resent
blindly: the sync engine looks the reference up first. Contacts get a code derived from the
buyer (national ID, mobile, or name) and are looked up by it before one is created, so a resend
never makes a second contact; the walk-in contact and the generic item have fixed codes.
Line tax and discount are sent as Rial amounts, exactly as posapp computed them, so Hesabfa's
totals equal posapp's. Receipts are dated when the till took the money; a cash receipt's
`transactionNumber` is «-» (it may be neither null nor empty).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx

from posapp.domain.invoice import (
    ChargeKind,
    Invoice,
    InvoiceKind,
    Party,
    PartyKind,
    Payment,
    PaymentMethod,
)
from posapp.domain.jalali import to_iran_time
from posapp.domain.money import ZERO
from posapp.providers.base import (
    Capability,
    CheckResult,
    PaymentLink,
    PaymentStatus,
    Provider,
    ProviderConfig,
    RemoteCustomer,
    RemoteInvoice,
    RemoteProduct,
    RemoteState,
    SecretSink,
    SecretSpec,
    priced_quantity,
    run_check,
    setting,
    to_decimal,
)
from posapp.providers.errors import (
    AuthenticationError,
    MalformedResponseError,
    ProviderError,
    ProviderValidationError,
    RateLimitedError,
    RemoteNotFoundError,
    ServerError,
)
from posapp.providers.http import HttpClient, decode_json
from posapp.providers.ratelimit import RateLimit

log = logging.getLogger(__name__)

PROVIDER = "hesabfa"
DEFAULT_BASE_URL = "https://api.hesabfa.com/v1"
PAGE_SIZE = 100


class InvoiceType:
    """Hesabfa's invoice types (typestable)."""

    SALE = 0
    PURCHASE = 1
    SALE_RETURN = 2
    PURCHASE_RETURN = 3
    WASTAGE = 4


_ERRORS: Mapping[int, tuple[type[ProviderError], str, str]] = {
    100: (ServerError, "خطای داخلی حسابفا", "Hesabfa internal server error"),
    101: (RateLimitedError, "تعداد درخواست‌ها به حسابفا از حد مجاز (۵۰ در دقیقه) گذشت", "too many requests (Hesabfa allows 50 a minute)"),
    103: (ProviderValidationError, "داده‌ای فرستاده نشد", "the request carried no data"),
    104: (ProviderValidationError, "پارامتر لازم فرستاده نشده است", "a required parameter is missing"),
    105: (AuthenticationError, "دسترسی API در حسابفا غیرفعال است", "the API is disabled for this business"),
    106: (AuthenticationError, "کاربر مالک کسب‌وکار نیست یا توکن ورود نادرست است", "the user is not the business owner (or the login token is wrong)"),
    107: (AuthenticationError, "کسب‌وکاری با این کلید API پیدا نشد", "no business has this API key"),
    108: (AuthenticationError, "اشتراک کسب‌وکار در حسابفا به پایان رسیده است", "the business's Hesabfa subscription has expired"),
    109: (ProviderValidationError, "سال مالی پیدا نشد", "the fiscal year was not found"),
    110: (ProviderValidationError, "شناسه باید صفر باشد", "the id must be zero"),
    111: (ProviderValidationError, "شناسه نباید صفر باشد", "the id must not be zero"),
    112: (RemoteNotFoundError, "مورد خواسته‌شده در حسابفا پیدا نشد", "the object was not found"),
    113: (AuthenticationError, "کلید API حسابفا فرستاده نشده است", "the API key is missing"),
    114: (ProviderValidationError, "مقدار پارامتر خارج از محدوده است", "a parameter is out of range"),
    190: (ProviderValidationError, "حسابفا درخواست را نپذیرفت", "Hesabfa refused the request"),
}


def hesabfa_error(code: int, message: str, operation: str) -> ProviderError:
    """The typed error for Hesabfa's ErrorCode; Hesabfa's own detail text is kept in both languages."""
    kind, fa, en = _ERRORS.get(code, (ProviderError, f"خطای {code} از حسابفا", f"Hesabfa error {code}"))
    detail = f": {message}" if message else ""
    text_fa, text_en = fa + detail, f"{en} in {operation}{detail}"
    if kind is ProviderValidationError:
        return ProviderValidationError(PROVIDER, text_fa, text_en, code=code,
                               field_errors={"message": message} if message else {})
    return kind(PROVIDER, text_fa, text_en, code=code)


@dataclass(frozen=True)
class HesabfaConfig(ProviderConfig):
    """Hesabfa's non-secret settings (the API key, login token and password go to the keyring)."""

    user_id: str = setting("", "نام کاربری مالک (اگر توکن ورود ندارید)", "owner's user name (when no login token is used)")
    walk_in_contact_code: str = setting("", "کد شخص برای مشتری گذری (خالی = ساختن خودکار)", "contact code for walk-in customers (empty = create one)")
    generic_item_code: str = setting("", "کد کالای عمومی برای ردیف‌های بدون کد", "item code for lines without a product code (empty = create one)")
    cash_code: str = setting("", "کد صندوق برای دریافت نقدی", "cash box code for cash payments")
    bank_code: str = setting("", "کد بانک برای کارت و پیوند پرداخت", "bank code for card and link payments")
    invoice_status: int = setting(
        2, "وضعیت فاکتور (جدول وضعیت فاکتور: ۰ پیش‌نویس، ۱ در انتظار تأیید، ۲ تأییدشده، ۳ پرداخت‌شده)",
        "invoice status (Hesabfa's status table: 0 draft, 1 awaiting approval, 2 approved, 3 paid)")
    project: str = setting("", "پروژه", "project")
    client_rate_limit: int = setting(45, "سقف درخواست در دقیقه از این دستگاه (۰ = بدون سقف)", "requests a minute from this device (0 = unlimited)")

    def rate_limit(self) -> RateLimit | None:
        if self.client_rate_limit <= 0:
            return None
        return RateLimit(self.client_rate_limit, 60.0, burst=max(1, min(5, self.client_rate_limit - 1)))


CONFIG = HesabfaConfig
SECRETS = (
    SecretSpec("api_key", "کلید API حسابفا", "Hesabfa API key"),
    SecretSpec("login_token", "توکن ورود (تنظیمات مالی ← API)", "login token (financial settings → API)", required=False),
    SecretSpec("password", "گذرواژه مالک (اگر توکن ورود ندارید)", "owner's password (when no login token is used)", required=False),
)

WALK_IN_NAME = "مشتری گذری"
WALK_IN_CODE = "900000001"
"""The walk-in contact's code when none is configured: fixed, so every lane finds the same one."""
GENERIC_ITEM_NAME = "کالا و خدمات فروشگاه"
GENERIC_ITEM_CODE = "900000001"
CASH_TRANSACTION_NUMBER = "-"
"""Hesabfa takes no null or empty `transactionNumber` (the official plugin sends «-» for cash)."""


def contact_code(buyer: Party) -> str:
    """A Hesabfa contact code for the buyer, the same every time: from the national ID, else the
    mobile, else the name (digits only, like Hesabfa's own codes; distinct leading digits keep
    the three kinds apart)."""
    if buyer.national_id.strip():
        return "1" + "".join(ch for ch in buyer.national_id if ch.isdigit()).zfill(11)
    digits = "".join(ch for ch in buyer.mobile if ch.isdigit())
    if digits:
        return "2" + digits[-10:].zfill(10)
    name = " ".join(buyer.name.split())
    return "3" + str(int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % 10**10).zfill(10)


def hesabfa_datetime(moment: datetime) -> str:
    """Hesabfa's Gregorian `YYYY-MM-DD HH:MM:SS`, in Tehran's wall-clock time."""
    return to_iran_time(moment).strftime("%Y-%m-%d %H:%M:%S")


def invoice_items(invoice: Invoice, item_codes: Sequence[str]) -> list[dict[str, Any]]:
    """`invoiceItems` with discount and tax as the Rial amounts posapp computed."""
    rows = []
    for index, (line, totals, code) in enumerate(zip(invoice.lines, invoice.totals.lines, item_codes, strict=True)):
        priced = priced_quantity(line.description, line.quantity, line.unit_price, totals.gross)
        rows.append({
            "rowNumber": index + 1, "description": priced.description, "itemCode": code, "unit": line.unit,
            "quantity": priced.quantity, "unitPrice": priced.unit_price, "discount": totals.discount,
            "tax": totals.tax,
        })
    return rows


def invoice_payload(invoice: Invoice, *, contact_code: str, contact_title: str,
                    item_codes: Sequence[str], invoice_type: int, status: int, project: str = "") -> dict[str, Any]:
    """The `invoice` object of invoice/save for a posapp invoice: no `number` (Hesabfa numbers
    it), posapp's own number as `reference`."""
    moment = invoice.issued_at or invoice.created_at
    freight = sum((c.amount for c in invoice.charges if c.kind is ChargeKind.FREIGHT and not c.is_deduction), ZERO)
    others = [{"title": c.label, "amount": c.amount, "add": not c.is_deduction}
              for c in invoice.charges if not (c.kind is ChargeKind.FREIGHT and not c.is_deduction)]
    returned = f"برگشت از فاکتور {invoice.original_number}" if invoice.original_number else ""
    note = " — ".join(part for part in (returned, invoice.notes.strip(), invoice.cancel_reason.strip()) if part)
    payload: dict[str, Any] = {
        "reference": invoice.number or "",
        "date": hesabfa_datetime(moment), "dueDate": hesabfa_datetime(moment),
        "contactCode": contact_code, "contactTitle": contact_title, "note": note, "sent": False,
        "invoiceType": invoice_type, "status": status, "tag": "posapp", "freight": freight,
        "currency": "IRR", "taxId": invoice.tax_id or "",
        "invoiceItems": invoice_items(invoice, item_codes), "others": others,
    }
    if project:
        payload["project"] = project
    return payload


def hesabfa_number(number: str) -> int:
    """Hesabfa's invoice number as the integer it is (the seed's `number: 1001`)."""
    text = str(number).strip()
    if not text.isdigit():
        raise ProviderValidationError(PROVIDER, f"شماره فاکتور حسابفا باید عدد باشد، نه «{text}»",
                              f"a Hesabfa invoice number is numeric, not {text!r}",
                              field_errors={"number": "not numeric"})
    return int(text)


def payload_payable(payload: Mapping[str, Any]) -> Decimal:
    """What Hesabfa will compute as `Payable` for this payload (its documented arithmetic)."""
    total = ZERO
    for item in payload["invoiceItems"]:
        total += Decimal(item["quantity"]) * Decimal(item["unitPrice"]) - Decimal(item["discount"]) + Decimal(item["tax"])
    additions = sum((Decimal(o["amount"]) for o in payload["others"] if o["add"]), ZERO)
    deductions = sum((Decimal(o["amount"]) for o in payload["others"] if not o["add"]), ZERO)
    return total + Decimal(payload["freight"]) + additions - deductions


def remote_invoice(result: Mapping[str, Any]) -> RemoteInvoice:
    number = result.get("Number")
    if number in (None, ""):
        raise MalformedResponseError(PROVIDER, "پاسخ حسابفا فاکتور نداشت", "Hesabfa's answer held no invoice")
    payable = to_decimal(result.get("Payable"), provider=PROVIDER, field_name="Payable")
    paid = to_decimal(result.get("Paid", 0), provider=PROVIDER, field_name="Paid")
    rest = to_decimal(result.get("Rest", payable - paid), provider=PROVIDER, field_name="Rest")
    if int(result.get("Status") or 0) == 0:
        state = RemoteState.PENDING
    elif payable > ZERO and rest <= ZERO:
        state = RemoteState.PAID
    else:
        state = RemoteState.OPEN
    return RemoteInvoice(provider=PROVIDER, remote_id=str(number), key=str(result.get("Reference") or ""),
                         number=str(number), payable=payable, state=state, paid=paid)


def _party_kind(value: Any) -> PartyKind:
    return PartyKind.LEGAL if str(value) == "2" else PartyKind.NATURAL


class HesabfaProvider(Provider):
    """Hesabfa over `HttpClient`. One object per worker thread (it caches known codes)."""

    name = PROVIDER
    capabilities = frozenset({
        Capability.PUSH_INVOICE, Capability.FIND_INVOICE, Capability.PAYMENT_STATUS,
        Capability.CANCEL_INVOICE, Capability.PUSH_RETURN, Capability.PAYMENT_LINK,
        Capability.RECORD_PAYMENT, Capability.PULL_CUSTOMERS, Capability.PULL_PRODUCTS,
    })

    def __init__(self, config: HesabfaConfig, *, api_key: str, login_token: str = "", password: str = "",
                 transport: httpx.BaseTransport | None = None, http: HttpClient | None = None) -> None:
        if not api_key:
            raise AuthenticationError(PROVIDER, "کلید API حسابفا تنظیم نشده است؛ «posapp provider configure hesabfa» را اجرا کنید",
                                      "no Hesabfa API key is configured; run 'posapp provider configure hesabfa'")
        if not login_token and not (config.user_id and password):
            raise AuthenticationError(PROVIDER, "برای حسابفا توکن ورود یا نام کاربری و گذرواژه لازم است",
                                      "Hesabfa needs a login token, or the owner's user name and password")
        self.config = config
        self._credentials = {"apiKey": api_key}
        if login_token:
            self._credentials["loginToken"] = login_token
        else:
            self._credentials |= {"userId": config.user_id, "password": password}
        self._known_contacts: set[str] = set()
        self._known_items: set[str] = set()
        self._generic_code: str | None = None
        self.http = http or HttpClient(
            config.client_config(DEFAULT_BASE_URL, config.rate_limit()), provider=PROVIDER, transport=transport)

    def close(self) -> None:
        self.http.close()

    # -- transport -----------------------------------------------------------------------------

    def call(self, method: str, params: Mapping[str, Any] | None = None, *, idempotent: bool = True) -> Any:
        """`POST {base}/{method}` (e.g. `invoice/save`) and return `Result`."""
        body = {**self._credentials, **(params or {})}

        def parse(response: httpx.Response) -> Any:
            if response.status_code in (401, 403):
                raise AuthenticationError(PROVIDER, "حسابفا دسترسی نداد", f"HTTP {response.status_code}",
                                          status=response.status_code)
            envelope = decode_json(response, PROVIDER)
            if not isinstance(envelope, Mapping) or "Success" not in envelope:
                raise MalformedResponseError(PROVIDER, "پاسخ حسابفا قالب درستی نداشت",
                                             f"the answer to {method} has no Success field (HTTP {response.status_code})")
            if not envelope["Success"]:
                code = int(envelope.get("ErrorCode") or 0)
                raise hesabfa_error(code, str(envelope.get("ErrorMessage") or ""), method)
            return envelope.get("Result")

        return self.http.request("POST", f"/{method}", operation=method, json_body=body, parse=parse,
                                 idempotent=idempotent)

    # -- invoices --------------------------------------------------------------------------------

    def get_invoice(self, number: str, invoice_type: int = InvoiceType.SALE) -> dict[str, Any] | None:
        try:
            return self._object(self.call("invoice/get", {"number": hesabfa_number(number), "type": invoice_type}),
                                "invoice/get")
        except RemoteNotFoundError:
            return None

    def get_invoices_by_id(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        result = self.call("invoice/getById", {"idList": list(ids)})
        rows = result if isinstance(result, list) else [result]
        return [self._object(row, "invoice/getById") for row in rows if row]

    def list_invoices(self, invoice_type: int = InvoiceType.SALE, *, skip: int = 0, take: int = PAGE_SIZE,
                      sort_by: str = "Date", sort_desc: bool = True, search: str = "",
                      filters: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
        """invoice/getinvoices: {TotalCount, FilteredCount, From, To, List} (rows without items)."""
        query = {"SortBy": sort_by, "SortDesc": sort_desc, "Take": take, "Skip": skip,
                 "Search": search, "Filters": list(filters)}
        return self._object(self.call("invoice/getinvoices", {"type": invoice_type, "queryInfo": query}),
                            "invoice/getinvoices")

    def save_invoice(self, invoice: Mapping[str, Any]) -> dict[str, Any]:
        """invoice/save: creates (no number: Hesabfa numbers it), or edits the invoice with the same
        number and type. Without a number a resend would create a second invoice, so it is never
        resent after it may have arrived."""
        return self._object(self.call("invoice/save", {"invoice": dict(invoice)},
                                      idempotent="number" in invoice), "invoice/save")

    def find_by_reference(self, reference: str, invoice_type: int = InvoiceType.SALE) -> dict[str, Any] | None:
        """The invoice of `invoice_type` whose `Reference` is `reference`, from every page of the
        listing, each row compared here (a server may ignore the filter); the lowest number when
        an earlier fault left two."""
        filters = [{"Property": "Reference", "Operator": "=", "Value": reference}]
        matches = [row for row in self._pages(lambda skip, take: self.list_invoices(
                       invoice_type, skip=skip, take=take, sort_by="Number", sort_desc=False, filters=filters))
                   if str(row.get("Reference") or "") == reference]
        if not matches:
            return None
        if len(matches) > 1:
            log.warning("Hesabfa holds %d invoices with reference %s; using the first", len(matches), reference)
        first = min(matches, key=lambda row: int(str(row.get("Number") or 0)))
        return self.get_invoice(str(first["Number"]), invoice_type)

    def delete_invoice(self, number: str, invoice_type: int = InvoiceType.SALE) -> bool:
        return self.call("invoice/delete", {"number": hesabfa_number(number), "type": invoice_type}) is True

    def save_payment(self, number: str, amount: Decimal, *, when: datetime, invoice_type: int = InvoiceType.SALE,
                     bank_code: str = "", cash_code: str = "", transaction_number: str = "",
                     description: str = "", transaction_fee: Decimal = ZERO) -> dict[str, Any]:
        """invoice/savepayment into exactly one bank or cash box. Not resent blindly after an
        unclear failure: a second receipt would count the money twice."""
        if bool(bank_code) == bool(cash_code):
            raise ProviderValidationError(PROVIDER, "برای ثبت دریافت، کد بانک یا صندوق را (فقط یکی) تنظیم کنید",
                                  "set exactly one of the bank code or the cash box code to record a payment",
                                  field_errors={"bankCode": "exactly one of bankCode / cashCode"})
        params: dict[str, Any] = {"type": invoice_type, "number": hesabfa_number(number), "date": hesabfa_datetime(when),
                                  "amount": amount, "transactionNumber": transaction_number or CASH_TRANSACTION_NUMBER,
                                  "description": description, "transactionFee": transaction_fee}
        params |= {"bankCode": bank_code} if bank_code else {"cashCode": cash_code}
        if self.config.project:
            params["project"] = self.config.project
        return self._object(self.call("invoice/savepayment", params, idempotent=False), "invoice/savepayment")

    def online_invoice_url(self, number: str) -> str:
        """invoice/getonlineinvoiceurl (sales invoices; needs the online gateway enabled)."""
        url = self.call("invoice/getonlineinvoiceurl", {"number": hesabfa_number(number), "type": InvoiceType.SALE})
        if not isinstance(url, str) or not url.startswith("http"):
            raise MalformedResponseError(PROVIDER, "حسابفا نشانی فاکتور آنلاین نداد", "Hesabfa returned no online invoice URL")
        return url

    def save_warehouse_receipt(self, *, warehouse_code: str, invoice_number: str,
                               items: Sequence[tuple[str, Decimal]], invoice_type: int = InvoiceType.SALE,
                               delete_old_receipts: bool = False, date: datetime | None = None,
                               note: str = "") -> dict[str, Any]:
        """invoice/SaveWarehouseReceipt: ship (or receive) `items` as (item code, quantity)."""
        receipt: dict[str, Any] = {
            "warehouseCode": warehouse_code, "invoiceNumber": hesabfa_number(invoice_number), "invoiceType": invoice_type,
            "note": note, "items": [{"itemCode": code, "quantity": quantity} for code, quantity in items],
        }
        if date is not None:
            receipt["date"] = hesabfa_datetime(date)
        if self.config.project:
            receipt["project"] = self.config.project
        result = self.call("invoice/SaveWarehouseReceipt",
                           {"deleteOldReceipts": delete_old_receipts, "receipt": receipt}, idempotent=delete_old_receipts)
        return self._object(result, "invoice/SaveWarehouseReceipt")

    # -- contacts and items ----------------------------------------------------------------------

    def get_contact(self, code: str) -> dict[str, Any] | None:
        try:
            return self._object(self.call("contact/get", {"code": code}), "contact/get")
        except RemoteNotFoundError:
            return None

    def save_contact(self, contact: Mapping[str, Any]) -> dict[str, Any]:
        """contact/save: creates (no or unknown Code) or edits (existing Code)."""
        saved = self._object(self.call("contact/save", {"contact": dict(contact)}), "contact/save")
        self._known_contacts.add(str(saved.get("Code")))
        return saved

    def list_contacts(self, *, skip: int = 0, take: int = PAGE_SIZE,
                      filters: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
        query = {"SortBy": "Code", "SortDesc": False, "Take": take, "Skip": skip, "Filters": list(filters)}
        return self._object(self.call("contact/getcontacts", {"queryInfo": query}), "contact/getcontacts")

    def get_item(self, code: str) -> dict[str, Any] | None:
        try:
            return self._object(self.call("item/get", {"code": code}), "item/get")
        except RemoteNotFoundError:
            return None

    def save_item(self, item: Mapping[str, Any]) -> dict[str, Any]:
        saved = self._object(self.call("item/save", {"item": dict(item)}), "item/save")
        self._known_items.add(str(saved.get("Code")))
        return saved

    def list_items(self, *, skip: int = 0, take: int = PAGE_SIZE,
                   filters: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
        query = {"SortBy": "Code", "SortDesc": False, "Take": take, "Skip": skip, "Filters": list(filters)}
        return self._object(self.call("item/getitems", {"queryInfo": query}), "item/getitems")

    def _contact_for(self, buyer: Party | None) -> tuple[str, str]:
        """(contact code, title) for the invoice's buyer: the contact under the buyer's own code
        (`contact_code`), else one Hesabfa already holds with the same national ID or mobile
        (every page read, each row compared here), else a new contact under that code. Saving
        under a known code edits rather than creates, so a resend never doubles a customer."""
        if buyer is None or not buyer.name.strip():
            return self._walk_in_contact(), WALK_IN_NAME
        code = contact_code(buyer)
        if code in self._known_contacts or self.get_contact(code) is not None:
            self._known_contacts.add(code)
            return code, buyer.name
        for prop, value in (("NationalCode", buyer.national_id.strip()), ("Mobile", buyer.mobile.strip())):
            if value:
                found = self._find_contact(prop, value)
                if found is not None:
                    return found, buyer.name
        saved = self.save_contact({
            "Code": code, "Name": buyer.name, "ContactType": 2 if buyer.kind is PartyKind.LEGAL else 1,
            "NationalCode": buyer.national_id, "EconomicCode": buyer.economic_code,
            "RegistrationNumber": buyer.registration_number, "PostalCode": buyer.postal_code,
            "Phone": buyer.phone, "Mobile": buyer.mobile, "Address": buyer.address,
            "TaxType": 8 if not buyer.economic_code else 5,
        })
        return str(saved["Code"]), buyer.name

    def _find_contact(self, prop: str, value: str) -> str | None:
        filters = [{"Property": prop, "Operator": "=", "Value": value}]
        for row in self._pages(lambda skip, take: self.list_contacts(skip=skip, take=take, filters=filters)):
            if str(row.get(prop) or "").strip() == value:
                code = str(row["Code"])
                self._known_contacts.add(code)
                return code
        return None

    def _walk_in_contact(self) -> str:
        """The walk-in contact under its fixed (or configured) code, created once."""
        code = self.config.walk_in_contact_code.strip() or WALK_IN_CODE
        if code in self._known_contacts or self.get_contact(code) is not None:
            self._known_contacts.add(code)
            return code
        return str(self.save_contact({"Code": code, "Name": WALK_IN_NAME, "ContactType": 1, "TaxType": 8})["Code"])

    def _item_codes(self, invoice: Invoice) -> list[str]:
        """Hesabfa item codes for the lines: the product's own code (created in Hesabfa when it
        is missing there) or the generic item for lines without one."""
        codes = []
        for line in invoice.lines:
            code = line.product_code.strip()
            if not code:
                codes.append(self._generic_item(line.unit))
            elif code in self._known_items or self.get_item(code) is not None:
                self._known_items.add(code)
                codes.append(code)
            else:
                item = {"Code": code, "Name": line.description, "ItemType": 0, "Unit": line.unit,
                        "SellPrice": line.unit_price}
                codes.append(str(self.save_item(item)["Code"]))
        return codes

    def _generic_item(self, unit: str) -> str:
        """The item for lines without a product code, under its fixed (or configured) code."""
        if self._generic_code is not None:
            return self._generic_code
        code = self.config.generic_item_code.strip() or GENERIC_ITEM_CODE
        if self.get_item(code) is None:
            code = str(self.save_item({"Code": code, "Name": GENERIC_ITEM_NAME, "ItemType": 1, "Unit": unit})["Code"])
        self._generic_code = code
        return code

    # -- the Provider interface ----------------------------------------------------------------

    def _push(self, invoice: Invoice, invoice_type: int) -> RemoteInvoice:
        contact, title = self._contact_for(invoice.buyer)
        payload = invoice_payload(invoice, contact_code=contact, contact_title=title,
                                  item_codes=self._item_codes(invoice), invoice_type=invoice_type,
                                  status=self.config.invoice_status, project=self.config.project)
        if payload_payable(payload) != invoice.totals.payable:
            raise ProviderValidationError(PROVIDER, "جمع فاکتور در حسابفا با صندوق یکی نمی‌شود",
                                  "Hesabfa would total this invoice differently", field_errors={"total": "mismatch"})
        return remote_invoice(self.save_invoice(payload))

    def push_invoice(self, invoice: Invoice, idempotency_key: str) -> RemoteInvoice:
        """invoice/save with `idempotency_key` (posapp's number) as the reference; Hesabfa numbers
        it. An earlier attempt is looked for by `find_invoice` (the engine does, when unsure)."""
        if invoice.kind is not InvoiceKind.SALE:
            raise ProviderValidationError(PROVIDER, "برگشت از فروش را با push_return بفرستید",
                                  "send returns with push_return")
        return self._push(replace(invoice, number=idempotency_key), InvoiceType.SALE)

    def push_return(self, invoice: Invoice, original: RemoteInvoice, idempotency_key: str) -> RemoteInvoice:
        """A sales-return invoice (type 2) whose reference is the original's number."""
        if invoice.kind is not InvoiceKind.RETURN:
            raise ProviderValidationError(PROVIDER, "فقط فاکتور برگشت از فروش", "only a return invoice can be sent as a return")
        return self._push(replace(invoice, number=idempotency_key), InvoiceType.SALE_RETURN)

    def find_invoice(self, idempotency_key: str) -> RemoteInvoice | None:
        """The sale, or else the sales return, whose reference is `idempotency_key`."""
        for invoice_type in (InvoiceType.SALE, InvoiceType.SALE_RETURN):
            found = self.find_by_reference(idempotency_key, invoice_type)
            if found is not None:
                return remote_invoice(found)
        return None

    def payment_status(self, remote_id: str) -> PaymentStatus:
        found = self.get_invoice(remote_id)
        if found is None:
            raise RemoteNotFoundError(PROVIDER, "فاکتور در حسابفا پیدا نشد", f"Hesabfa has no sales invoice {remote_id}")
        remote = remote_invoice(found)
        return PaymentStatus(paid=remote.state is RemoteState.PAID, amount=remote.paid, state=remote.state)

    def cancel_invoice(self, remote: RemoteInvoice, reason: str) -> RemoteInvoice:
        """Hesabfa has no cancellation: the invoice is deleted. No document says Hesabfa refuses
        to delete an invoice with receipts, so the sync engine asks `received_amount` first and
        sends a paid sale's cancellation as a full sales return instead. Deleting one that is
        already gone counts as done."""
        try:
            self.delete_invoice(remote.remote_id)
        except RemoteNotFoundError:
            log.info("Hesabfa invoice %s was already deleted", remote.remote_id)
        return replace(remote, state=RemoteState.CANCELLED, paid=ZERO)

    def cancel_return(self, remote: RemoteInvoice, reason: str) -> RemoteInvoice:
        """Delete the sales-return invoice (type 2, under the number Hesabfa gave it): the goods
        were not returned after all. Deleting one that is already gone counts as done."""
        try:
            self.delete_invoice(remote.remote_id, InvoiceType.SALE_RETURN)
        except RemoteNotFoundError:
            log.info("Hesabfa return %s was already deleted", remote.remote_id)
        return replace(remote, state=RemoteState.CANCELLED, paid=ZERO)

    def create_payment_link(self, invoice: Invoice, idempotency_key: str,
                            existing: RemoteInvoice | None = None) -> PaymentLink:
        if existing is not None:
            found = self.get_invoice(existing.remote_id)
            if found is None:
                raise RemoteNotFoundError(PROVIDER, "فاکتور در حسابفا پیدا نشد",
                                    f"Hesabfa has no sales invoice {existing.remote_id}")
            remote = remote_invoice(found)
        else:
            remote = self.push_invoice(invoice, idempotency_key)
        return PaymentLink(self.online_invoice_url(remote.remote_id), remote.remote_id, remote.payable)

    def record_payment(self, remote: RemoteInvoice, payment: Payment, idempotency_key: str) -> None:
        """A receipt for `payment`: cash into the cash box, card and link into the bank. Credit
        (on account) is not money received and is not recorded. savepayment has no key of its
        own, so it is never resent blindly: see `received_amount`. The receipt is dated when the
        till took the money (the seed: «date تاریخ تراکنش»)."""
        if payment.method is PaymentMethod.CREDIT:
            return
        to_bank = payment.method is not PaymentMethod.CASH
        if payment.recorded_at is None:
            log.warning("payment of %s has no time it was taken; dating its receipt now", remote.key)
        self.save_payment(
            remote.remote_id, payment.amount, when=payment.recorded_at or datetime.now().astimezone(),
            bank_code=self.config.bank_code if to_bank else "",
            cash_code="" if to_bank else self.config.cash_code,
            transaction_number=payment.reference, description=f"posapp {idempotency_key}",
        )

    def received_amount(self, remote: RemoteInvoice) -> Decimal:
        """The sales invoice's `Paid` (every receipt against it, including ones paid through
        Hesabfa's own online invoice page); invoice/get lists no receipts, so this sum is what
        tells whether a payment already arrived."""
        found = self.get_invoice(remote.remote_id)
        if found is None:
            raise RemoteNotFoundError(PROVIDER, "فاکتور در حسابفا پیدا نشد", f"Hesabfa has no sales invoice {remote.remote_id}")
        return remote_invoice(found).paid

    def pull_customers(self, since: datetime | None = None) -> Iterator[RemoteCustomer]:
        """Every contact (Hesabfa's list has no changed-since filter, so `since` is not used)."""
        for row in self._pages(self.list_contacts):
            yield RemoteCustomer(
                provider=PROVIDER, remote_id=str(row.get("Id") or row.get("Code")), code=str(row.get("Code") or ""),
                name=str(row.get("Name") or ""), kind=_party_kind(row.get("ContactType")),
                national_id=str(row.get("NationalCode") or ""), economic_code=str(row.get("EconomicCode") or ""),
                mobile=str(row.get("Mobile") or ""), phone=str(row.get("Phone") or ""),
                email=str(row.get("Email") or ""), address=str(row.get("Address") or ""),
                postal_code=str(row.get("PostalCode") or ""), active=bool(row.get("Active", True)),
            )

    def pull_products(self, since: datetime | None = None) -> Iterator[RemoteProduct]:
        """Every item (no changed-since filter in Hesabfa's list either)."""
        for row in self._pages(self.list_items):
            price = row.get("SellPrice")
            yield RemoteProduct(
                provider=PROVIDER, remote_id=str(row.get("Id") or row.get("Code")), code=str(row.get("Code") or ""),
                name=str(row.get("Name") or ""), barcode=str(row.get("Barcode") or ""), unit=str(row.get("Unit") or ""),
                price=None if price in (None, "") else to_decimal(price, provider=PROVIDER, field_name="SellPrice"),
                is_service=str(row.get("ItemType")) == "1", active=bool(row.get("Active", True)),
            )

    def check(self) -> list[CheckResult]:
        results = [
            run_check("credentials", "کلید API و ورود", "API key and login", lambda: self.list_contacts(take=1)),
            run_check("invoices", "خواندن فاکتورها", "reading invoices", lambda: self.list_invoices(take=1)),
        ]
        for name, code, fa, en in (("cash_code", self.config.cash_code, "کد صندوق", "cash box code"),
                                   ("bank_code", self.config.bank_code, "کد بانک", "bank code")):
            results.append(CheckResult(name, bool(code), f"{fa}: {code or 'تنظیم نشده'}", f"{en}: {code or 'not set'}"))
        return results

    # -- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _object(result: Any, method: str) -> dict[str, Any]:
        if not isinstance(result, Mapping):
            raise MalformedResponseError(PROVIDER, "پاسخ حسابفا قالب درستی نداشت", f"the Result of {method} is not an object")
        return dict(result)

    @staticmethod
    def _pages(fetch: Any) -> Iterator[dict[str, Any]]:
        """Every row of a listing, page by page, until a short page or the counted end."""
        skip = 0
        while True:
            page = fetch(skip=skip, take=PAGE_SIZE)
            rows = page.get("List") or []
            yield from rows
            skip += len(rows)
            if len(rows) < PAGE_SIZE or skip >= int(page.get("FilteredCount", page.get("TotalCount", 0)) or 0):
                return



def create(config: HesabfaConfig, secrets: Mapping[str, str], *,
           transport: httpx.BaseTransport | None = None,
           on_secret: SecretSink | None = None) -> HesabfaProvider:
    """The registry's factory (see `posapp.providers.registry`)."""
    return HesabfaProvider(config, api_key=secrets.get("api_key", ""), login_token=secrets.get("login_token", ""),
                           password=secrets.get("password", ""), transport=transport)
