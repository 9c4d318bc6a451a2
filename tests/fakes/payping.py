"""A strict fake of PayPing's v1 customers and v2 invoices (PayPing's OpenAPI file and its
help article on scheduled invoices).

Real HTTP on 127.0.0.1 through the shared fake-server base, so every fault knob applies.
Amounts are whole Toman, times are UTC ISO-8601. It runs the contract's state machine
(0 draft → 1 awaiting payment → 2 paid / 3 overdue / 4 cancelled), issues pay codes only in
status 1 or 3, pays through the `pay` test hook, and materialises schedules from an injectable
clock (`advance`). Both field-naming schemes are understood (`accepted_namings` narrows that)
and the discount-type codes follow `discount_scheme`. A 400 answers with the field → message
map by default, or the newer `{title, metaData:{errors:[…]}}` shape.

Where the spec is silent the fake takes the least helpful reading: a reused `invoiceNumber` is
accepted (nothing says it is refused), the listings' `search` is ignored (nothing says what it
matches), Copy takes exactly the spec's property names (`additionalProperties: false`), and a
Schedule takes only the spec's `invoiceSchulder` shape with `endValue` a string.

Item arithmetic [G, field semantics F]: a discount is per unit, so
`totalPrice = (price − unitDiscount) × quantity`; a taxed item adds `merchant_tax_percent` of its
totalPrice (rounded half-up); the invoice discount applies after the item discounts;
`total = subTotal − itemsDiscount − invoiceDiscount + tax + shipping`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum
from typing import Any

from tests.fakes.hesabit import PatternRoutedFake, round_half_up
from tests.fakes.server import FakeRequest, FakeResponse, json_response

UTC = dt.UTC
DRAFT, AWAITING, PAID, OVERDUE, CANCELLED = range(5)
MAX_LIST = 50


class Naming(StrEnum):
    SPEC = "spec"
    """OpenAPI names: billToes, invoiceItems{name, price, discountValue, tax}, invoiceTitle…"""
    SEED = "seed"
    """The help article's / FastInvoice names: customers, products{title, amount, discountAmount, haveTax}…"""


class DiscountScheme(StrEnum):
    SPEC = "spec"
    """0 = amount, 1 = percent (the OpenAPI file)."""
    SEED = "seed"
    """0 = percent, 1 = amount (the help article and the 2025 SDK)."""

    def is_percent(self, code: int) -> bool:
        return code == (1 if self is DiscountScheme.SPEC else 0)


class ErrorFormat(StrEnum):
    FIELD_MAP = "map"
    TITLED = "titled"


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


def _parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _whole(value: Any) -> int | None:
    """A whole, non-negative Toman amount or count, else None (floats like 10.0 pass)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value < 0 or value != int(value):
        return None
    return int(value)


class Invalid(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class PayPingFake(PatternRoutedFake):
    """PayPing for one merchant account holding `token`."""

    provider = "payping"

    def __init__(self, *, seed: int = 0, token: str = "payping-test-token",
                 accepted_namings: frozenset[Naming] = frozenset(Naming),
                 discount_scheme: DiscountScheme = DiscountScheme.SPEC,
                 error_format: ErrorFormat = ErrorFormat.FIELD_MAP,
                 merchant_tax_percent: int = 10,
                 start: dt.datetime = dt.datetime(2026, 3, 1, 8, 0, tzinfo=UTC)) -> None:
        super().__init__(seed=seed)
        self.token = token
        self.accepted_namings = accepted_namings
        self.discount_scheme = discount_scheme
        self.error_format = error_format
        self.merchant_tax_percent = merchant_tax_percent
        self._now = start
        self.customers: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.schedules: dict[str, dict[str, Any]] = {}
        self.sent: list[str] = []
        """Codes of invoices sent to their customers (create with status 1, Send, schedules)."""
        self._codes = itertools.count(1)
        self._routes_()

    def _routes_(self) -> None:
        add = self.route
        add("POST", "/v1/customer", self.create_customer, name="customer.create", write=True)
        add("GET", "/v1/customer/List", self.list_customers, name="customer.list")
        add("GET", "/v1/customer/{code}", self.get_customer, name="customer.get")
        add("POST", "/v2/invoice", self.create_invoice, name="invoice.create", write=True)
        add("GET", "/v2/invoice/List", self.list_invoices, name="invoice.list")
        add("GET", "/v2/invoice/PaymentCode", self.payment_code, name="invoice.paymentCode",
            write=True)
        add("POST", "/v2/invoice/Cancel", self.cancel, name="invoice.cancel", write=True)
        add("POST", "/v2/invoice/Send/{code}", self.send, name="invoice.send", write=True)
        add("POST", "/v2/invoice/ConfirmPayment", self.confirm_payment, name="invoice.confirm",
            write=True)
        add("POST", "/v2/invoice/FastInvoice", self.fast_invoice, name="invoice.fast", write=True)
        add("POST", "/v2/invoice/Copy", self.copy, name="invoice.copy", write=True)
        add("POST", "/v2/invoice/Schedule", self.create_schedule, name="invoice.schedule",
            write=True)
        add("GET", "/v2/invoice/Schedule/{code}", self.get_schedule, name="invoice.getSchedule")
        add("POST", "/v2/invoice/CancelSchedule", self.cancel_schedule,
            name="invoice.cancelSchedule", write=True)
        add("GET", "/v2/invoice/{code}", self.get_invoice, name="invoice.get")
        add("DELETE", "/v2/invoice/{code}", self.delete_invoice, name="invoice.delete", write=True)

    # -- clock and test hooks ------------------------------------------------------------------

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, delta: dt.timedelta) -> None:
        """Move the fake's clock: schedules create their due invoices, unpaid ones go overdue."""
        with self.lock:
            self._now += delta
            self._tick()

    def pay(self, code: str) -> str:
        """The customer paid through the gateway; returns the bank's refId."""
        with self.lock:
            invoice = self.invoices[code]
            if invoice["status"] not in (AWAITING, OVERDUE) or not invoice["paymentCode"]:
                raise ValueError("only an invoice with a pay code awaiting payment can be paid")
            invoice["status"] = PAID
            invoice["payedDateTime"] = _iso(self._now)
            invoice["_refId"] = str(secrets.randbelow(10**9))
            return str(invoice["_refId"])

    def add_customer(self, first_name: str, last_name: str, **fields: Any) -> str:
        with self.lock:
            code = self._code()
            self.customers[code] = {"code": code, "firstName": first_name, "lastName": last_name,
                                    "email": "", "phone": "", "businessName": "", "nationalId": "",
                                    "isBusiness": False, **fields}
            return code

    def _tick(self) -> None:
        for schedule in self.schedules.values():
            for sub in schedule["invoiceSubSchulders"]:
                due_at = _parse_time(sub["mustBeCreateInDateTime"])
                if sub["isActive"] and not sub["isInvoiceCreated"] and due_at and due_at <= self._now:
                    child = self._materialise(schedule, sub)
                    sub["isInvoiceCreated"], sub["invoiceCode"] = True, child["code"]
        for invoice in self.invoices.values():
            due = _parse_time(invoice["dueDate"])
            if invoice["status"] == AWAITING and due and due < self._now:
                invoice["status"] = OVERDUE

    def _code(self) -> str:
        return f"PP{next(self._codes):06d}{secrets.token_hex(2)}"

    # -- envelope --------------------------------------------------------------------------------

    def bad_request(self, errors: dict[str, str]) -> FakeResponse:
        if self.error_format is ErrorFormat.TITLED:
            return json_response({"title": "One or more validation errors occurred.",
                                  "metaData": {"errors": [{"message": m, "field": f}
                                                          for f, m in errors.items()]}}, 400)
        return json_response(errors, 400)

    def _denied(self, request: FakeRequest) -> FakeResponse | None:
        if request.header("Authorization") != f"Bearer {self.token}":
            return FakeResponse(status=401, body=b"")
        return None

    def authenticated(self, handler: Callable[..., FakeResponse]) -> Callable[..., FakeResponse]:
        def guarded(request: FakeRequest, **params: str) -> FakeResponse:
            if (denied := self._denied(request)) is not None:
                return denied
            try:
                return handler(request, **params)
            except Invalid as invalid:
                return self.bad_request({invalid.field: invalid.message})
        return guarded

    def route(self, method: str, path: str, handler: Any, *, name: str = "",
              write: bool = False) -> None:
        super().route(method, path, self.authenticated(handler), name=name, write=write)

    @staticmethod
    def _body(request: FakeRequest) -> dict[str, Any]:
        try:
            body = request.json()
        except ValueError:
            raise Invalid("body", "The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise Invalid("body", "The request body must be an object.")
        return body

    # -- customers -------------------------------------------------------------------------------

    def create_customer(self, request: FakeRequest) -> FakeResponse:
        body = self._body(request)
        for key in ("firstName", "lastName"):
            if not str(body.get(key) or "").strip():
                raise Invalid(key, f"The {key} field is required.")
        phone = str(body.get("phone") or "")
        if phone and (not phone.isdigit() or len(phone) != 11 or not phone.startswith("09")):
            raise Invalid("phone", "شماره موبایل معتبر نیست")
        fields = ("email", "phone", "businessName", "nationalId", "zipCode", "state", "city",
                  "location", "memo", "additionalInfo")
        code = self.add_customer(str(body["firstName"]), str(body["lastName"]),
                                 **{k: str(body.get(k) or "") for k in fields},
                                 isBusiness=bool(body.get("isBusiness")))
        return json_response(self.customers[code])

    def get_customer(self, request: FakeRequest, code: str) -> FakeResponse:
        customer = self.customers.get(code)
        if customer is None:
            return FakeResponse(status=404, body=b"")
        return json_response(customer)

    def _page(self, request: FakeRequest) -> tuple[int, int]:
        query = dict(request.query)
        try:
            offset, limit = int(query.get("offset", 0)), int(query.get("limit", 10))
        except ValueError:
            raise Invalid("limit", "offset and limit must be integers") from None
        if not 1 <= limit <= MAX_LIST or offset < 0:
            raise Invalid("limit", f"limit must be from 1 to {MAX_LIST}")
        return offset, limit

    def list_customers(self, request: FakeRequest) -> FakeResponse:
        offset, limit = self._page(request)
        rows = list(self.customers.values())  # `search` is ignored: the spec does not say what it matches
        return json_response(rows[offset:offset + limit])

    # -- invoices: parsing both namings ------------------------------------------------------------

    def _canonical(self, body: dict[str, Any], *, schedule: bool = False,
                   fast: bool = False) -> dict[str, Any]:
        """The create body in one internal shape, whichever naming it used (FastInvoice has
        only the newer names, whatever `accepted_namings` says)."""
        naming = Naming.SEED if "products" in body else Naming.SPEC
        if naming not in self.accepted_namings and not fast:
            missing = "invoiceItems" if Naming.SPEC in self.accepted_namings else "products"
            raise Invalid(missing, f"The {missing} field is required.")
        if naming is Naming.SPEC:
            raw_items, customers = body.get("invoiceItems"), body.get("billToes") or []
            customer_codes = [c.get("addressBookCode") for c in customers if isinstance(c, dict)]
            item_keys = ("name", "price", "discountValue", "discountType", "tax")
            head = {"number": body.get("invoiceNumber"), "title": body.get("invoiceTitle"),
                    "discount": body.get("totalDiscountValue", 0),
                    "discountType": body.get("totalDiscountType", 0),
                    "cc": body.get("ccToes") or [], "schedule": body.get("invoiceSchulder")}
        else:
            raw_items, customers = body.get("products"), body.get("customers") or []
            customer_codes = [c.get("code") for c in customers if isinstance(c, dict)]
            item_keys = ("title", "amount", "discountAmount", "discountType", "haveTax")
            head = {"number": body.get("number"), "title": body.get("title"),
                    "discount": body.get("discountAmount", 0),
                    "discountType": body.get("discountType", 0), "cc": body.get("cc") or [],
                    "schedule": body.get("schedule")}
        if not isinstance(raw_items, list) or not raw_items:
            raise Invalid("products" if naming is Naming.SEED else "invoiceItems",
                          "At least one item is required.")
        items = []
        for index, raw in enumerate(raw_items):
            if not isinstance(raw, dict):
                raise Invalid(f"items[{index}]", "An item must be an object.")
            name_key, price_key, discount_key, type_key, tax_key = item_keys
            if not str(raw.get(name_key) or "").strip():
                raise Invalid(f"items[{index}].{name_key}", "The item name is required.")
            price, quantity = _whole(raw.get(price_key)), _whole(raw.get("quantity", 1))
            if price is None or price == 0:
                raise Invalid(f"items[{index}].{price_key}",
                              "The price must be a positive whole number of Toman.")
            if quantity is None or quantity < 1:
                raise Invalid(f"items[{index}].quantity", "The quantity must be a positive integer.")
            unit_discount = self._discount(raw.get(discount_key, 0), raw.get(type_key, 0), price,
                                           f"items[{index}].{discount_key}")
            items.append({"code": str(raw.get("code") or ""), "name": str(raw[name_key]),
                          "description": str(raw.get("description") or ""), "quantity": quantity,
                          "price": price, "unitDiscount": unit_discount,
                          "discountType": raw.get(type_key, 0),
                          "discountValue": raw.get(discount_key, 0),
                          "tax": bool(raw.get(tax_key))})
        is_device = bool(body.get("isDevicePayment"))
        if not is_device and not customer_codes:
            raise Invalid("billToes" if naming is Naming.SPEC else "customers",
                          "At least one customer is required.")
        for code in customer_codes:
            if code not in self.customers:
                raise Invalid("billToes" if naming is Naming.SPEC else "customers",
                              f"Customer {code} was not found.")
        create_status = body.get("createStatus", 0)
        if create_status not in ((1, 2) if schedule else (0, 1, 2)):
            raise Invalid("createStatus", "createStatus is not valid.")
        due = body.get("dueDate")
        if due is not None and _parse_time(due) is None:
            raise Invalid("dueDate", "dueDate must be a UTC date-time.")
        if due is not None and not schedule and _parse_time(due) < self._now:  # type: ignore[operator]
            raise Invalid("dueDate", "dueDate cannot be in the past.")
        number = head["number"]
        if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
            raise Invalid("invoiceNumber", "invoiceNumber must be an integer.")
        for key in ("shipping",):
            if _whole(body.get(key, 0)) is None:
                raise Invalid(key, f"{key} must be a whole number of Toman.")
        return {"naming": naming, "customers": customer_codes, "items": items,
                "createStatus": create_status, "dueDate": due, "isDevicePayment": is_device,
                "shipping": _whole(body.get("shipping", 0)), "notes": body.get("notes") or "",
                "termsAndConditions": body.get("termsAndConditions") or "",
                "memo": body.get("memo") or "",
                "paidManualDescription": body.get("paidManualDescription") or "", **head}

    def _discount(self, value: Any, type_code: Any, base: int, field: str) -> int:
        """The discount in Toman off `base` for a value given under `type_code`."""
        if type_code not in (0, 1):
            raise Invalid(field.replace("Value", "Type").replace("Amount", "Type"),
                          "The discount type is not valid.")
        if self.discount_scheme.is_percent(type_code):
            if not isinstance(value, int | float) or not 0 <= value <= 100:
                raise Invalid(field, "A discount percent is from 0 to 100.")
            return round_half_up(Decimal(base) * Decimal(str(value)) / 100)
        amount = _whole(value)
        if amount is None or amount > base:
            raise Invalid(field, "The discount must be a whole amount no larger than the price.")
        return amount

    def _detail(self, canonical: dict[str, Any], customer: str | None, *,
                parent: str | None = None, status: int | None = None) -> dict[str, Any]:
        items, sub_total, items_discount, tax_total = [], 0, 0, 0
        for item in canonical["items"]:
            total_price = (item["price"] - item["unitDiscount"]) * item["quantity"]
            tax = round_half_up(Decimal(total_price * self.merchant_tax_percent) / 100) if item["tax"] else 0
            percent = self.discount_scheme.is_percent(item["discountType"])
            items.append({"code": item["code"], "name": item["name"],
                          "description": item["description"], "quantity": item["quantity"],
                          "discountType": item["discountType"],
                          "discountPercent": int(item["discountValue"]) if percent else 0,
                          "discountAmount": item["unitDiscount"] * item["quantity"],
                          "tax": item["tax"],
                          "taxRate": self.merchant_tax_percent if item["tax"] else 0,
                          "price": item["price"], "totalPrice": total_price,
                          "amount": total_price + tax})
            sub_total += item["price"] * item["quantity"]
            items_discount += item["unitDiscount"] * item["quantity"]
            tax_total += tax
        invoice_discount = self._discount(canonical["discount"], canonical["discountType"],
                                          sub_total - items_discount, "totalDiscountValue")
        status = canonical["createStatus"] if status is None else status
        customer_view = self.customers.get(customer) if customer else None
        code = self._code()
        detail = {
            "code": code, "parentCode": parent, "paymentCode": None,
            "ccToes": canonical["cc"],
            "billToes": [{"addressBook": customer_view}] if customer_view else [],
            "status": status, "paidManualDescription": canonical["paidManualDescription"],
            "saveToTemplate": False, "invoiceNumber": canonical["number"],
            "invoiceTitle": canonical["title"], "invoiceDateTime": _iso(self._now),
            "dueDate": canonical["dueDate"],
            "payedDateTime": _iso(self._now) if status == PAID else None,
            "canceledDateTime": None, "subTotal": sub_total, "itemsDiscountAmount": items_discount,
            "totalDiscountAmount": invoice_discount,
            "totalDiscountPercent": canonical["discount"]
            if self.discount_scheme.is_percent(canonical["discountType"]) else 0,
            "totalDiscountType": canonical["discountType"],
            "sumDiscountAmount": items_discount + invoice_discount, "totalTaxtionAmount": tax_total,
            "shipping": canonical["shipping"],
            "total": sub_total - items_discount - invoice_discount + tax_total + canonical["shipping"],
            "notes": canonical["notes"], "termsAndConditions": canonical["termsAndConditions"],
            "memo": canonical["memo"], "invoiceSchulder": None, "invoiceItems": items,
            "attachFileIds": [], "qrCodeFileName": f"{code}.png",
        }
        self.invoices[code] = detail
        if status == AWAITING:
            self.sent.append(code)
        return detail

    @staticmethod
    def _public(invoice: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in invoice.items() if not k.startswith("_")}

    def create_invoice(self, request: FakeRequest) -> FakeResponse:
        canonical = self._canonical(self._body(request))
        targets = canonical["customers"] or [None]
        return json_response([self._public(self._detail(canonical, c)) for c in targets])

    def get_invoice(self, request: FakeRequest, code: str) -> FakeResponse:
        invoice = self.invoices.get(code)
        if invoice is None:
            return FakeResponse(status=404, body=b"")
        return json_response(self._public(invoice))

    def delete_invoice(self, request: FakeRequest, code: str) -> FakeResponse:
        invoice = self.invoices.get(code)
        if invoice is None:
            return FakeResponse(status=404, body=b"")
        if invoice["status"] not in (DRAFT, CANCELLED):
            raise Invalid("code", "فقط فاکتور پیش‌نویس یا لغوشده حذف می‌شود")
        del self.invoices[code]
        return json_response(code)

    def list_invoices(self, request: FakeRequest) -> FakeResponse:
        offset, limit = self._page(request)
        query = dict(request.query)
        status = int(query.get("status", 5))
        rows = [i for i in self.invoices.values()
                if (status == 5 or i["status"] == status)
                and (not query.get("invoiceCode") or i["code"] == query["invoiceCode"])]
        keys = ("code", "invoiceNumber", "invoiceDateTime", "dueDate", "payedDateTime",
                "canceledDateTime", "invoiceTitle", "status", "total", "ccToes", "billToes")
        return json_response([{k: i[k] for k in keys} for i in rows[offset:offset + limit]])

    def send(self, request: FakeRequest, code: str) -> FakeResponse:
        invoice = self.invoices.get(code)
        if invoice is None:
            return FakeResponse(status=404, body=b"")
        if invoice["status"] not in (DRAFT, AWAITING, OVERDUE):
            raise Invalid("code", "این فاکتور قابل ارسال نیست")
        if invoice["status"] == DRAFT:
            invoice["status"] = AWAITING
        self.sent.append(code)
        return json_response({"success": True, "message": "ارسال شد", "modelCode": code})

    def cancel(self, request: FakeRequest) -> FakeResponse:
        body = self._body(request)
        invoice = self.invoices.get(str(body.get("code") or ""))
        if invoice is None:
            raise Invalid("code", "فاکتور پیدا نشد")
        if invoice["status"] not in (DRAFT, AWAITING, OVERDUE):
            raise Invalid("code", "فاکتور در این وضعیت لغو نمی‌شود")
        invoice["status"] = CANCELLED
        invoice["canceledDateTime"] = _iso(self._now)
        return json_response({"code": invoice["code"], "message": "لغو شد"})

    def payment_code(self, request: FakeRequest) -> FakeResponse:
        query = {k.lower(): v for k, v in request.query}
        invoice = self.invoices.get(query.get("code", ""))
        if invoice is None:
            raise Invalid("Code", "فاکتور پیدا نشد")
        if invoice["status"] not in (AWAITING, OVERDUE):
            raise Invalid("Code", "این فاکتور در انتظار پرداخت نیست")
        invoice["paymentCode"] = invoice["paymentCode"] or secrets.token_hex(6)
        return json_response({"payCode": invoice["paymentCode"]})

    def confirm_payment(self, request: FakeRequest) -> FakeResponse:
        body = self._body(request)
        invoice = self.invoices.get(str(body.get("invoiceCode") or ""))
        if invoice is None:
            raise Invalid("invoiceCode", "فاکتور پیدا نشد")
        if invoice.get("_refId") is None or str(body.get("refId")) != invoice["_refId"]:
            raise Invalid("refId", "کد پیگیری پرداخت معتبر نیست")
        return json_response({"success": True, "message": "پرداخت تایید شد", "modelCode":
                              invoice["code"], "refId": invoice["_refId"],
                              "invoice": self._public(invoice)})

    def fast_invoice(self, request: FakeRequest) -> FakeResponse:
        body = self._body(request)
        customer = body.get("customer")
        if not isinstance(customer, dict) or not customer.get("firstName"):
            raise Invalid("customer.firstName", "The customer's firstName is required.")
        customer_code = self.add_customer(str(customer["firstName"]),
                                          str(customer.get("lastName") or ""),
                                          phone=str(customer.get("phone") or ""))
        canonical = self._canonical({**body, "customers": [{"code": customer_code}],
                                     "createStatus": AWAITING,
                                     "number": None, "title": body.get("title")}, fast=True)
        invoice = self._detail(canonical, customer_code)
        invoice["paymentCode"] = secrets.token_hex(6)
        return json_response({"code": invoice["code"], "payCode": invoice["paymentCode"],
                              "customerCode": customer_code})

    def copy(self, request: FakeRequest) -> FakeResponse:
        body = self._body(request)
        unknown = sorted(set(body) - {"code", "customerCodes", "sendDate"})
        if unknown:
            raise Invalid(unknown[0], f"The property {unknown[0]} is not allowed.")
        source = self.invoices.get(str(body.get("code") or ""))
        if source is None:
            raise Invalid("code", "فاکتور مرجع پیدا نشد")
        codes = body.get("customerCodes")
        if not isinstance(codes, list) or not codes:
            raise Invalid("customerCodes", "At least one customer code is required.")
        copies = []
        for customer in codes:
            if customer not in self.customers:
                raise Invalid("customerCodes", f"Customer {customer} was not found.")
        for customer in codes:
            copy = {**source, "code": self._code(), "paymentCode": None, "parentCode": None,
                    "billToes": [{"addressBook": self.customers[customer]}],
                    "status": AWAITING, "invoiceDateTime": _iso(self._now),
                    "payedDateTime": None, "canceledDateTime": None, "invoiceNumber": None}
            copy = {k: v for k, v in copy.items() if not k.startswith("_")}
            self.invoices[copy["code"]] = copy
            self.sent.append(copy["code"])
            copies.append({"code": copy["code"], "customerCode": customer})
        return json_response(copies)

    # -- schedules -------------------------------------------------------------------------------

    def create_schedule(self, request: FakeRequest) -> FakeResponse:
        body = self._body(request)
        if "invoiceSchulder" not in body:
            raise Invalid("invoiceSchulder", "The invoiceSchulder field is required.")
        canonical = self._canonical(body, schedule=True)
        raw = canonical["schedule"]
        if not isinstance(raw, dict):
            raise Invalid("invoiceSchulder", "The invoiceSchulder field is required.")
        repeat, kind = raw.get("repeat"), raw.get("schulderType")
        count, due_after = raw.get("endValue"), raw.get("dueDateAfterHowManyDay", 0)
        if not isinstance(count, str) or not count.isdigit():
            raise Invalid("invoiceSchulder.endValue", "endValue must be a string.")
        count = int(count)
        if raw.get("dueType", 0) != 0:
            raise Invalid("invoiceSchulder.dueType", "Only 'after N invoices' is supported.")
        start = _parse_time(body.get("invoiceDateTime")) or self._now
        if _whole(repeat) in (None, 0) or kind not in (0, 1, 2, 3):
            raise Invalid("schedule.interval", "The interval and schedule type are required.")
        if _whole(count) in (None, 0) or _whole(due_after) is None:
            raise Invalid("schedule.count", "The count must be a positive integer.")
        if len(canonical["customers"]) != 1:
            raise Invalid("customers", "A schedule bills exactly one customer.")
        parent = self._detail(canonical, canonical["customers"][0], status=DRAFT)
        subs = []
        for index in range(int(count)):
            create_at = _step(start, int(kind), int(repeat) * index)
            subs.append({"dueDate": _iso(create_at + dt.timedelta(days=int(due_after))),
                         "mustBeCreateInDateTime": _iso(create_at), "deActiveDateTime": None,
                         "isInvoiceCreated": False, "isActive": True, "invoiceCode": None})
        parent["invoiceSchulder"] = {"repeat": repeat, "schulderType": kind, "dueType": 0,
                                     "endValue": count, "dueDateAfterHowManyDay": due_after,
                                     "invoiceSubSchulders": subs}
        self.schedules[parent["code"]] = {**parent["invoiceSchulder"], "_parent": parent,
                                          "_canonical": canonical}
        self._tick()
        return json_response(self._public(parent))

    def _materialise(self, schedule: dict[str, Any], sub: dict[str, Any]) -> dict[str, Any]:
        canonical = {**schedule["_canonical"], "dueDate": sub["dueDate"], "number": None}
        parent = schedule["_parent"]
        return self._detail(canonical, canonical["customers"][0], parent=parent["code"],
                            status=AWAITING if canonical["createStatus"] == 1 else PAID)

    def get_schedule(self, request: FakeRequest, code: str) -> FakeResponse:
        schedule = self.schedules.get(code)
        if schedule is None:
            return FakeResponse(status=404, body=b"")
        children = [self._public(i) for i in self.invoices.values() if i["parentCode"] == code]
        return json_response({"parentInvoice": self._public(schedule["_parent"]),
                              "childInvoices": children})

    def cancel_schedule(self, request: FakeRequest) -> FakeResponse:
        body = self._body(request)
        schedule = self.schedules.get(str(body.get("code") or ""))
        if schedule is None:
            raise Invalid("code", "زمان‌بندی پیدا نشد")
        for sub in schedule["invoiceSubSchulders"]:
            if not sub["isInvoiceCreated"] and sub["isActive"]:
                sub["isActive"], sub["deActiveDateTime"] = False, _iso(self._now)
        return json_response(None)


def _step(start: dt.datetime, kind: int, steps: int) -> dt.datetime:
    """`start` moved by `steps` days (0), weeks (1), months (2) or years (3)."""
    if kind == 0:
        return start + dt.timedelta(days=steps)
    if kind == 1:
        return start + dt.timedelta(weeks=steps)
    months = steps if kind == 2 else 12 * steps
    year, month = divmod(start.month - 1 + months, 12)
    day = min(start.day, 28)
    return start.replace(year=start.year + year, month=month + 1, day=day)

