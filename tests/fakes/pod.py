"""A strict fake of Pod billing (Pod's billing document «مستندات صورتحساب پاد») on the shared base.

It serves both calling styles: the service call (`POST /nzh/doServiceCall`, operation picked by
`scProductId`, field names matched without case) and direct REST (`GET /nzh/biz/{op}/`,
`GET /nzh/ott/`, `POST /service/createPreInvoice`), plus the export file download
(`GET /nzh/file/`) and the pre-invoice pay page (`GET /v1/pbc/preinvoice/{hash}`).

Checks run in Pod's order: the `_token_` (21) → the ott where one is required (39 when missing,
used, unknown or issued to another token) → the schema (887) → business rules (10, 19, 25, 37,
53, 56, 66). Every answer from an authenticated call carries a fresh ott. Business errors come
as HTTP 200 with `hasError: true` [G]. Codes marked [G] in posapp.providers.pod_mapping (130
state, 131 not found) stand in for refusals Pod does not document.

Money: `totalAmount = Σ(price × quantity)`, `vat = round(totalAmount × rate)`, `payableAmount =
totalAmount + vat`. Where the seed is silent the fake takes the least helpful reading: issueInvoice
and createPreInvoice ignore a `discount[]` list (the seed documents none; reduceInvoice never had
one), createPreInvoice takes its one-time token only as the documented `ott` field, and how `vat`
is rounded is a knob (`vat_rounding`, half up by default). The default rate is configurable
(docs: 0.09 [F]).
guildList (the seed names it as the way to find guild codes; `GET /nzh/guildList` in the SDKs, with
`name`, `offset`, `size`) answers GuildSrv rows `{id, name, code}` with a `count`. The seed does not
say whose guilds it lists: the least helpful reading is every guild on the platform, so a code it
lists may still be refused with 53 until the business adds that guild; pages hold at most 50 rows
and `name` is ignored.
Test hooks: `pay(id)`, `expire_verification(id)`, `open_pre_invoice(hash)`,
`cancel_on_gateway(hash)`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from persiantools.jdatetime import JalaliDate, JalaliDateTime

from tests.fakes.server import FakeRequest, FakeResponse, FakeServer, Route, json_response

PRODUCTION_IDS = {
    29796: "issueInvoice", 29803: "reduceInvoice", 29813: "getInvoiceList",
    29814: "getInvoiceListByMetadata", 29809: "verifyInvoice", 29812: "closeInvoice",
    29808: "verifyAndCloseInvoice", 29810: "cancelInvoice", 29817: "getInvoiceListAsFile",
    29818: "getExportList", 30359: "createPreInvoice", 29816: "ott", 29833: "guildList",
}
SANDBOX_IDS = {
    39291: "issueInvoice", 39298: "reduceInvoice", 39308: "getInvoiceList",
    39309: "getInvoiceListByMetadata", 39304: "verifyInvoice", 39307: "closeInvoice",
    39303: "verifyAndCloseInvoice", 39305: "cancelInvoice", 39312: "getInvoiceListAsFile",
    39313: "getExportList", 39311: "ott", 39329: "guildList",
}
WRITES = frozenset({"issueInvoice", "reduceInvoice", "verifyInvoice", "closeInvoice",
                    "verifyAndCloseInvoice", "cancelInvoice", "getInvoiceListAsFile",
                    "createPreInvoice"})
REQUIRE_OTT = frozenset({"issueInvoice", "createPreInvoice"})
"""The seed lists `ott` among the required parameters of both."""

GUILD_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
PLATFORM_GUILDS = ("INFORMATION_TECHNOLOGY_GUILD", "CLOTHING_GUILD", "FOOD_GUILD", "PHARMACY_GUILD",
                   "BOOKSTORE_GUILD", "BAKERY_GUILD", "HOME_APPLIANCES_GUILD")
"""Every guild the platform lists, whether or not a business has added it."""
GUILD_PAGE = 50
"""The most rows one guildList page holds (the SDKs' default size) [G]."""
JALALI_DAY = re.compile(r"^1[3-5]\d{2}/\d{2}/\d{2}$")
JALALI_MOMENT = re.compile(r"^1[3-5]\d{2}/\d{2}/\d{2}( \d{2}:\d{2}:\d{2})?$")
CELLPHONE = re.compile(r"^(0|\+98|0098)9\d{9}$")
STATE, NOT_FOUND = 130, 131


class PodRefusal(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Business:
    token: str
    business_id: int
    user_id: int
    name: str
    guilds: set[str] = field(default_factory=set)


def _number(value: Decimal) -> int | float:
    """JSON number for an amount: an int when whole (Pod's style), else the shortest float."""
    return int(value) if value == value.to_integral_value() else float(value)


def _now_ms() -> int:
    return int(time.time() * 1000)


class PodCall:
    """The parameters of one call, whichever style carried them."""

    def __init__(self, request: FakeRequest, operation: str, pairs: list[tuple[str, str]]) -> None:
        self.request = request
        self.operation = operation
        self.pairs = pairs

    def one(self, name: str) -> str | None:
        for key, value in self.pairs:
            if key == name:
                return value
        return None

    def many(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k in (f"{name}[]", name)]

    def any_case(self, name: str) -> str | None:
        for key, value in self.pairs:
            if key.lower() == name.lower():
                return value
        return None

    def credential(self, name: str) -> str | None:
        """A credential from a header, the query string or the form (Pod accepts all three)."""
        return self.request.header(name) or self.any_case(name)


class PodFake(FakeServer):
    provider = "pod"

    def __init__(self, *, seed: int = 0, sandbox: bool = False, default_tax_rate: str = "0.09") -> None:
        super().__init__(seed=seed)
        self.sandbox = sandbox
        self.service_ids = SANDBOX_IDS if sandbox else PRODUCTION_IDS
        self.default_tax_rate = Decimal(default_tax_rate)
        self.vat_rounding = ROUND_HALF_UP
        """How VAT is rounded to a Rial (undocumented; a test may set ROUND_FLOOR)."""
        self.businesses: dict[str, Business] = {}
        self.platform_guilds = list(PLATFORM_GUILDS)
        self.otts: dict[str, str] = {}
        """Unused otts → the token they were issued to."""
        self.invoices: dict[int, dict[str, Any]] = {}
        self.pre_invoices: dict[str, dict[str, Any]] = {}
        self.exports: dict[int, dict[str, Any]] = {}
        self.files: dict[int, tuple[str, bytes]] = {}
        self.fail_next_export = False
        self.forced_errors: dict[str, list[int]] = {}
        """Operation → error codes to answer with next (for codes no input can provoke, e.g. 999)."""
        self._next_id = 1000001
        self._next_item_id = 5000001
        self._next_serial = 1
        self._reference = 235031199
        self.token = self.add_business("biz-token-1", business_id=3001, user_id=9001,
                                       name="فروشگاه نمونه", guilds={"INFORMATION_TECHNOLOGY_GUILD"})
        self.add_business("other-biz-token", business_id=3002, user_id=9002, name="کسب‌وکار دیگر",
                          guilds={"INFORMATION_TECHNOLOGY_GUILD"})
        self.route("GET", "/nzh/file/", self.download, name="downloadExport")

    # -- set-up and test hooks -------------------------------------------------------------------

    def add_business(self, token: str, *, business_id: int, user_id: int, name: str,
                     guilds: set[str]) -> str:
        self.businesses[token] = Business(token, business_id, user_id, name, set(guilds))
        return token

    def pay(self, invoice_id: int | str, *, at_ms: int | None = None) -> dict[str, Any]:
        """The customer pays (wallet or gateway)."""
        with self.lock:
            invoice = self._invoice(int(invoice_id))
            if invoice["payed"] or invoice["canceled"]:
                raise AssertionError("the invoice cannot be paid in its state")
            invoice.update(payed=True, paymentDate=at_ms or _now_ms(), serial=self._next_serial,
                           paymentBillNumber=str(secrets.randbelow(10**9)))
            self._next_serial += 1
            if invoice["verificationNeeded"]:
                if invoice.get("verifyAfterTimeout"):
                    invoice.update(waiting=False, verificationDate=_now_ms())
                else:
                    invoice["waiting"] = True
            return dict(invoice)

    def expire_verification(self, invoice_id: int | str) -> None:
        """An hour passed without verifyInvoice: the money goes back [G: the invoice is cancelled]."""
        with self.lock:
            invoice = self._invoice(int(invoice_id))
            if invoice["waiting"]:
                invoice.update(waiting=False, canceled=True, cancelDate=_now_ms())

    def open_pre_invoice(self, hash_code: str) -> int:
        """The customer opens the pre-invoice page: it becomes a real invoice."""
        with self.lock:
            pre = self.pre_invoices[hash_code]
            if pre.get("invoiceId") is None:
                invoice = self._new_invoice(pre["business"], pre["params"])
                pre["invoiceId"] = invoice["id"]
            return int(pre["invoiceId"])

    def cancel_on_gateway(self, hash_code: str) -> None:
        with self.lock:
            pre = self.pre_invoices[hash_code]
            if pre.get("invoiceId") is not None:
                self.invoices[pre["invoiceId"]].update(canceled=True, cancelDate=_now_ms())

    # -- routing ---------------------------------------------------------------------------------

    def resolve(self, request: FakeRequest) -> Route | None:
        path = request.path.rstrip("/")
        if request.method == "POST" and path == "/nzh/doServiceCall":
            pairs = request.form()
            raw_id = next((v for k, v in pairs if k.lower() == "scproductid"), None)
            try:
                operation = self.service_ids.get(int(raw_id or ""), "")
            except ValueError:
                operation = ""
            if not operation:
                return Route("unknownService", self._unknown_service)
            return Route(operation, self._handler(operation, pairs), operation in WRITES)
        match = re.fullmatch(r"/nzh/biz/(\w+)", path)
        if request.method == "GET" and match and match.group(1) in set(self.service_ids.values()) - {"ott", "createPreInvoice"}:
            operation = match.group(1)
            return Route(operation, self._handler(operation, request.query), operation in WRITES)
        if request.method == "GET" and path == "/nzh/guildList":
            return Route("guildList", self._handler("guildList", request.query))
        if request.method == "GET" and path == "/nzh/ott":
            return Route("ott", self._handler("ott", request.query))
        if request.method == "POST" and path == "/service/createPreInvoice":
            return Route("createPreInvoice", self._handler("createPreInvoice", request.form()), True)
        match = re.fullmatch(r"/v1/pbc/preinvoice/(\w+)", path)
        if request.method == "GET" and match:
            return Route("preInvoicePage", lambda r: self._pre_invoice_page(match.group(1)), True)
        return super().resolve(request)

    def _unknown_service(self, request: FakeRequest) -> FakeResponse:
        return json_response({"hasError": True, "errorCode": 887, "message": "سرویس نامعتبر است",
                              "referenceNumber": self._ref()})

    def _handler(self, operation: str, pairs: list[tuple[str, str]]) -> Callable[[FakeRequest], FakeResponse]:
        def handle(request: FakeRequest) -> FakeResponse:
            return self._serve(PodCall(request, operation, pairs))
        return handle

    def _ref(self) -> str:
        self._reference += 1
        return str(self._reference)

    def _issue_ott(self, token: str) -> str:
        ott = secrets.token_hex(8)
        self.otts[ott] = token
        return ott

    def _serve(self, call: PodCall) -> FakeResponse:
        token = call.credential("_token_")
        business = self.businesses.get(token or "")
        if business is None:
            return json_response({"hasError": True, "errorCode": 21, "message": "client not authenticated",
                                  "referenceNumber": self._ref()})
        try:
            if call.operation in REQUIRE_OTT:
                self._consume_ott(call, business)
            forced = self.forced_errors.get(call.operation)
            if forced:
                raise PodRefusal(forced.pop(0), "خطای اجباری آزمون")
            result, count = getattr(self, f"op_{call.operation}")(call, business)
        except PodRefusal as refusal:
            return json_response({"hasError": True, "errorCode": refusal.code, "message": refusal.message,
                                  "referenceNumber": self._ref(), "ott": self._issue_ott(business.token)})
        envelope: dict[str, Any] = {"hasError": False, "messageId": 0, "referenceNumber": self._ref(),
                                    "errorCode": 0, "ott": self._issue_ott(business.token), "result": result}
        if count is not None:
            envelope["count"] = count
        return json_response(envelope)

    @staticmethod
    def _ott_of(call: PodCall) -> str | None:
        if call.operation == "createPreInvoice":
            return call.one("ott")  # the seed's name for it here; `_ott_` is not read
        return call.credential("_ott_")

    def _consume_ott(self, call: PodCall, business: Business) -> None:
        ott = self._ott_of(call)
        if not ott or self.otts.get(ott) != business.token:
            raise PodRefusal(39, "PERMISSION_ACCESS_DENIED: توکن یکبار مصرف (ott) ارسال نشده یا نامعتبر است")
        del self.otts[ott]

    # -- validation helpers ----------------------------------------------------------------------

    @staticmethod
    def _invalid(what: str) -> PodRefusal:
        return PodRefusal(887, f"پارامتر نامعتبر: {what}")

    def _required(self, call: PodCall, name: str) -> str:
        value = call.one(name)
        if value is None or value == "":
            raise self._invalid(f"{name} الزامی است")
        return value

    def _decimal(self, raw: str | None, name: str) -> Decimal:
        try:
            value = Decimal(raw or "")
        except InvalidOperation:
            raise self._invalid(f"{name} عدد نیست") from None
        if not value.is_finite():
            raise self._invalid(f"{name} عدد نیست")
        return value

    def _bool(self, call: PodCall, name: str) -> bool | None:
        raw = call.one(name)
        if raw is None or raw == "":
            return None
        if raw.lower() not in ("true", "false"):
            raise self._invalid(f"{name} باید true یا false باشد")
        return raw.lower() == "true"

    def _int(self, call: PodCall, name: str, *, required: bool = False) -> int | None:
        raw = call.one(name)
        if raw is None or raw == "":
            if required:
                raise self._invalid(f"{name} الزامی است")
            return None
        if not re.fullmatch(r"-?\d+", raw):
            raise self._invalid(f"{name} عدد صحیح نیست")
        return int(raw)

    def _items(self, call: PodCall, *, with_discount: bool) -> list[dict[str, Any]]:
        ids, prices = call.many("productId"), call.many("price")
        quantities, descriptions = call.many("quantity"), call.many("productDescription")
        discounts = call.many("discount") if with_discount else []
        if not ids or not len(ids) == len(prices) == len(quantities) == len(descriptions):
            raise self._invalid("فهرست‌های productId، price، quantity و productDescription هم‌اندازه نیستند")
        if discounts and len(discounts) != len(ids):
            raise self._invalid("فهرست discount هم‌اندازه فهرست کالاها نیست")
        items = []
        for i in range(len(ids)):
            if not re.fullmatch(r"\d+", ids[i]):
                raise self._invalid("productId")
            price = self._decimal(prices[i], "price")
            quantity = self._decimal(quantities[i], "quantity")
            discount = self._decimal(discounts[i], "discount") if discounts else Decimal(0)
            if price <= 0 or quantity <= 0 or discount < 0 or discount > price * quantity:
                raise self._invalid("price و quantity باید مثبت و تخفیف کمتر از مبلغ باشد")
            if not descriptions[i].strip():
                raise self._invalid("productDescription")
            items.append({"id": self._next_item_id, "amount": price, "quantity": quantity,
                          "discount": discount, "description": descriptions[i],
                          "productId": int(ids[i]), "voucherUsageSrvs": []})
            self._next_item_id += 1
        return items

    def _guild(self, call: PodCall, business: Business) -> str:
        code = self._required(call, "guildCode")
        if not GUILD_CODE.fullmatch(code):
            raise PodRefusal(37, "INVALID_ELEMENT_CODE")
        if code not in business.guilds:
            raise PodRefusal(53, "INVALID_BUSINESS_GUILD")
        return code

    def _deadline_ms(self, call: PodCall) -> int | None:
        raw = call.one("deadline")
        if raw is None or raw == "":
            return None
        if not JALALI_DAY.fullmatch(raw):
            raise PodRefusal(10, "INVALID_DATE")
        try:
            year, month, day = (int(part) for part in raw.split("/"))
            gregorian = JalaliDate(year, month, day).to_gregorian()
        except ValueError:
            raise PodRefusal(10, "INVALID_DATE") from None
        return int(time.mktime(gregorian.timetuple()) * 1000)

    def _rate(self, call: PodCall) -> tuple[Decimal, bool]:
        raw = call.one("preferredTaxRate")
        if raw is None or raw == "":
            return self.default_tax_rate, True
        rate = self._decimal(raw, "preferredTaxRate")
        if not 0 <= rate <= 1:
            raise self._invalid("preferredTaxRate باید بین ۰ و ۱ باشد")
        return rate, False

    def _check_bill_number(self, business: Business, bill_number: str | None) -> None:
        if not bill_number:
            return
        for invoice in self.invoices.values():
            if invoice["business"]["id"] == business.business_id and invoice["billNumber"] == bill_number:
                if invoice["canceled"]:
                    raise PodRefusal(25, "DUPLICATE_CANCELED_BILLNUMBER")
                raise PodRefusal(19, "DUPLICATE_BILLNUMBER: شماره صورتحساب تکراری می باشد.")

    def _invoice(self, invoice_id: int, business: Business | None = None) -> dict[str, Any]:
        invoice = self.invoices.get(invoice_id)
        if invoice is None or (business is not None and invoice["business"]["id"] != business.business_id):
            raise PodRefusal(NOT_FOUND, "فاکتور یافت نشد")
        return invoice

    # -- invoices --------------------------------------------------------------------------------

    def _totals(self, invoice: dict[str, Any]) -> None:
        without_discount = sum((i["amount"] * i["quantity"] for i in invoice["items"]), Decimal(0))
        total = without_discount - sum((i["discount"] for i in invoice["items"]), Decimal(0))
        vat = (total * invoice["rate"]).quantize(Decimal(1), rounding=self.vat_rounding)
        invoice.update(totalAmountWithoutDiscount=without_discount, totalAmount=total, vat=vat,
                       payableAmount=total + vat)

    def _new_invoice(self, business: Business, params: dict[str, Any]) -> dict[str, Any]:
        invoice = {
            "id": self._next_id, "billNumber": params.get("billNumber"), "business": {
                "id": business.business_id, "name": business.name, "numOfProducts": 0,
                "rate": {"rate": 0, "rateCount": 0}, "sheba": ""},
            "issuanceDate": _now_ms(), "issuancePersianDate": JalaliDateTime.now().strftime("%Y/%m/%d %H:%M:%S"),
            "deliveryDate": params.get("deadline"), "uniqueNumber": secrets.token_hex(8),
            "trackerId": secrets.randbelow(10**6), "description": params.get("description") or "",
            "paymentDate": None, "payed": False, "serial": 0, "canceled": False, "cancelDate": None,
            "closed": False, "waiting": False, "verificationNeeded": bool(params.get("verificationNeeded")),
            "verifyAfterTimeout": bool(params.get("verifyAfterTimeout")), "verificationDate": None,
            "safe": bool(params.get("safe")), "postVoucherEnabled": False, "edited": False,
            "editedInvoiceId": None, "subInvoice": False, "metadata": params.get("metadata"),
            "cellphoneNumber": params.get("cellphoneNumber"), "referenceNumber": self._ref(),
            "guildSrv": {"id": 1, "name": "", "code": params["guildCode"]},
            "userSrv": {"id": params["userId"]} if params.get("userId") else None,
            "rate": params["rate"], "rateIsDefault": params["rateIsDefault"], "items": params["items"],
            "paymentBillNumber": None, "willBeBlocked": False, "willBePaid": False,
        }
        self._next_id += 1
        self._totals(invoice)
        self.invoices[invoice["id"]] = invoice
        return invoice

    def srv(self, invoice: dict[str, Any]) -> dict[str, Any]:
        """The InvoiceSrv Pod would answer with."""
        hidden = {"items", "rate", "rateIsDefault", "verifyAfterTimeout"}
        out = {k: v for k, v in invoice.items() if k not in hidden}
        for name in ("totalAmountWithoutDiscount", "totalAmount", "vat", "payableAmount"):
            out[name] = _number(invoice[name])
        out["delegationAmount"] = 0
        out["invoiceItemSrvs"] = [
            {"id": i["id"], "amount": _number(i["amount"]), "quantity": _number(i["quantity"]),
             "discount": _number(i["discount"]), "description": i["description"],
             "voucherUsageSrvs": [], "productSrv": None if i["productId"] == 0 else {"id": i["productId"]}}
            for i in invoice["items"]
        ]
        return out

    def _issue_params(self, call: PodCall, business: Business, *, with_discount: bool) -> dict[str, Any]:
        guild = self._guild(call, business)
        items = self._items(call, with_discount=with_discount)
        user_id = self._int(call, "userId")
        if user_id is not None and user_id == business.user_id:
            raise PodRefusal(66, "INVOICE_SAME_BIZ_AND_CUSTOMER")
        rate, is_default = self._rate(call)
        metadata = call.one("metadata")
        if metadata:
            try:
                json.loads(metadata)
            except ValueError:
                raise self._invalid("metadata باید JSON باشد") from None
        phone = call.one("cellphoneNumber")
        if phone and not CELLPHONE.fullmatch(phone):
            raise self._invalid("cellphoneNumber")
        currency = call.one("currencyCode") or "IRR"
        if currency != "IRR":
            raise self._invalid("currencyCode")
        bill_number = call.one("billNumber") or None
        self._check_bill_number(business, bill_number)
        return {"guildCode": guild, "items": items, "userId": user_id, "rate": rate, "rateIsDefault": is_default,
                "billNumber": bill_number, "metadata": metadata, "description": call.one("description"),
                "deadline": self._deadline_ms(call), "cellphoneNumber": phone,
                "verificationNeeded": self._bool(call, "verificationNeeded"),
                "verifyAfterTimeout": self._bool(call, "verifyAfterTimeout"), "safe": self._bool(call, "safe")}

    def op_ott(self, call: PodCall, business: Business) -> tuple[Any, int | None]:
        return None, None

    def op_issueInvoice(self, call: PodCall, business: Business) -> tuple[Any, int | None]:
        for flag in ("preview", "postVoucherEnabled", "hasEvent"):
            self._bool(call, flag)
        invoice = self._new_invoice(business, self._issue_params(call, business, with_discount=False))
        return self.srv(invoice), None

    def op_createPreInvoice(self, call: PodCall, business: Business) -> tuple[Any, int | None]:
        if call.one("token") != business.token:
            raise PodRefusal(21, "client not authenticated")
        params = self._issue_params(call, business, with_discount=False)
        redirect = self._required(call, "redirectUri")
        if not re.match(r"^https?://", redirect):
            raise self._invalid("redirectUri")
        if params["userId"] is None:
            raise self._invalid("userId الزامی است")
        hash_code = secrets.token_hex(10)
        self.pre_invoices[hash_code] = {"business": business, "params": params, "invoiceId": None}
        return hash_code, None

    def _pre_invoice_page(self, hash_code: str) -> FakeResponse:
        if hash_code not in self.pre_invoices:
            return FakeResponse(404, b"<html>not found</html>", "text/html")
        invoice_id = self.open_pre_invoice(hash_code)
        return FakeResponse(200, f"<html>invoice {invoice_id}</html>".encode(), "text/html")

    def _listed(self, business: Business, call: PodCall, *, explicit_id: int | None) -> list[dict[str, Any]]:
        rows = [i for i in self.invoices.values() if i["business"]["id"] == business.business_id]
        if explicit_id is not None:
            return [i for i in rows if i["id"] == explicit_id]
        return [i for i in rows if not i["edited"]]

    def op_guildList(self, call: PodCall, business: Business) -> tuple[Any, int | None]:
        offset = self._int(call, "offset") or 0
        size = min(self._int(call, "size") or GUILD_PAGE, GUILD_PAGE)
        codes = sorted(set(self.platform_guilds) | {g for b in self.businesses.values() for g in b.guilds})
        rows = [{"id": 100 + index, "name": code.removesuffix("_GUILD").replace("_", " ").title(), "code": code}
                for index, code in enumerate(codes)]
        return rows[offset:offset + size], len(rows)

    def op_getInvoiceList(self, call: PodCall, business: Business) -> tuple[Any, int | None]:
        offset, first_id, last_id = (self._int(call, n) for n in ("offset", "firstId", "lastId"))
        if sum(v is not None for v in (offset, first_id, last_id)) != 1:
            raise self._invalid("دقیقاً یکی از offset، firstId یا lastId لازم است")
        size = self._int(call, "size") or 50
        if not 1 <= size <= 200:
            raise self._invalid("size")
        rows = self._filter(self._listed(business, call, explicit_id=self._int(call, "id")), call)
        rows.sort(key=lambda i: -i["id"])
        if first_id is not None:
            rows = [i for i in rows if i["id"] > first_id]
        if last_id is not None:
            rows = [i for i in rows if i["id"] < last_id]
        start = offset or 0
        return [self.srv(i) for i in rows[start:start + size]], len(rows)

    def _filter(self, rows: list[dict[str, Any]], call: PodCall) -> list[dict[str, Any]]:
        for name, flag in (("isCanceled", "canceled"), ("isPayed", "payed"), ("isClosed", "closed"),
                           ("isWaiting", "waiting")):
            wanted = self._bool(call, name)
            if wanted is not None:
                rows = [i for i in rows if bool(i[flag]) == wanted]
        for name in ("billNumber", "uniqueNumber", "guildCode", "referenceNumber"):
            wanted_text = call.one(name)
            if wanted_text:
                key = (lambda i: i["guildSrv"]["code"]) if name == "guildCode" else (lambda i, n=name: i[n])
                rows = [i for i in rows if key(i) == wanted_text]
        for name, cmp in (("fromDate", lambda a, b: a >= b), ("toDate", lambda a, b: a <= b)):
            raw = call.one(name)
            if raw:
                if not JALALI_MOMENT.fullmatch(raw):
                    raise PodRefusal(10, "INVALID_DATE")
                moment = JalaliDateTime.strptime(raw if " " in raw else raw + " 00:00:00", "%Y/%m/%d %H:%M:%S")
                bound = int(moment.to_gregorian().timestamp() * 1000)
                rows = [i for i in rows if cmp(i["issuanceDate"], bound)]
        query = call.one("query")
        if query:
            rows = [i for i in rows if query in (i["description"] or "")
                    or any(query in item["description"] for item in i["items"])]
        return rows

    def op_getInvoiceListByMetadata(self, call: PodCall, business: Business) -> tuple[Any, int | None]:
        try:
            query = json.loads(self._required(call, "metaQuery"))
        except ValueError:
            raise self._invalid("metaQuery باید JSON باشد") from None
        if not isinstance(query, dict) or "field" not in query:
            raise self._invalid("metaQuery")
        offset, size = self._int(call, "offset") or 0, self._int(call, "size") or 50
        rows = []
        for invoice in self._listed(business, call, explicit_id=None):
            try:
                metadata = json.loads(invoice["metadata"] or "{}")
            except ValueError:
                continue
            if self._meta_matches(metadata, query):
                rows.append(invoice)
        payed, cancelled = self._bool(call, "isPayed"), self._bool(call, "isCancelled")
        rows = [i for i in rows if (payed is None or i["payed"] == payed)
                and (cancelled is None or i["canceled"] == cancelled)]
        rows.sort(key=lambda i: -i["id"])
        return [self.srv(i) for i in rows[offset:offset + size]], len(rows)

    @staticmethod
    def _meta_matches(metadata: dict[str, Any], query: dict[str, Any]) -> bool:
        present = query["field"] in metadata
        value = metadata.get(query["field"])
        if "has" in query:
            return present
        if "is" in query:
            return present and str(value) == str(query["is"])
        for op, test in (("gt", lambda a, b: a > b), ("lt", lambda a, b: a < b)):
            if op in query:
                try:
                    return present and test(Decimal(str(value)), Decimal(str(query[op])))
                except InvalidOperation:
                    return False
        return False

    def _target(self, call: PodCall, business: Business) -> dict[str, Any]:
        invoice_id = self._int(call, "id", required=True)
        assert invoice_id is not None
        return self._invoice(invoice_id, business)

    def op_verifyInvoice(self, call: PodCall, business: Business) -> tuple[Any, int | None]:
        invoice_id, bill_number = self._int(call, "id"), call.one("billNumber")
        if (invoice_id is None) == (not bill_number):
            raise self._invalid("یکی از id یا billNumber لازم است")
        if invoice_id is not None:
            invoice = self._invoice(invoice_id, business)
        else:
            found = [i for i in self._listed(business, call, explicit_id=None) if i["billNumber"] == bill_number]
            if not found:
                raise PodRefusal(NOT_FOUND, "فاکتور یافت نشد")
            invoice = found[0]
        if not invoice["payed"] or not invoice["waiting"] or invoice["canceled"]:
            raise PodRefusal(STATE, "فاکتور در انتظار تایید نیست")
        invoice.update(waiting=False, verificationDate=_now_ms())
        return self.srv(invoice), None

    def _closable(self, invoice: dict[str, Any]) -> None:
        if invoice["safe"]:
            raise PodRefusal(39, "اجازه بستن این فاکتور را ندارید")
        if invoice["edited"] or invoice["canceled"] or invoice["closed"] or not invoice["payed"]:
            raise PodRefusal(STATE, "این فاکتور قابل بستن نیست")

    def op_closeInvoice(self, call: PodCall, business: Business) -> tuple[Any, int | None]:
        invoice = self._target(call, business)
        self._closable(invoice)
        if invoice["waiting"]:
            raise PodRefusal(STATE, "فاکتور هنوز تایید نشده است")
        invoice["closed"] = True
        return True, None

    def op_verifyAndCloseInvoice(self, call: PodCall, business: Business) -> tuple[Any, int | None]:
        invoice = self._target(call, business)
        self._closable(invoice)
        if invoice["waiting"]:
            invoice.update(waiting=False, verificationDate=_now_ms())
        invoice["closed"] = True
        return self.srv(invoice), None

    def op_cancelInvoice(self, call: PodCall, business: Business) -> tuple[Any, int | None]:
        invoice = self._target(call, business)
        if invoice["safe"]:
            raise PodRefusal(39, "فقط پرداخت کننده می تواند این فاکتور را ابطال کند")
        if invoice["edited"] or invoice["closed"] or invoice["canceled"]:
            raise PodRefusal(STATE, "این فاکتور قابل ابطال نیست")
        invoice.update(canceled=True, cancelDate=_now_ms(), waiting=False)
        return True, None

    def op_reduceInvoice(self, call: PodCall, business: Business) -> tuple[Any, int | None]:
        original = self._target(call, business)
        item_ids, prices = call.many("invoiceItemId"), call.many("price")
        quantities, descriptions = call.many("quantity"), call.many("itemDescription")
        if not len(item_ids) == len(prices) == len(quantities) == len(descriptions) == len(original["items"]):
            raise self._invalid("تعداد اقلام کاهش باید با فاکتور اول برابر باشد")
        if original["edited"] or original["canceled"] or original["closed"] or not original["payed"] or original["waiting"]:
            raise PodRefusal(STATE, "فقط فاکتور پرداخت‌شده و باز قابل کاهش است")
        by_id = {str(i["id"]): i for i in original["items"]}
        if sorted(item_ids) != sorted(by_id):
            raise self._invalid("invoiceItemId متعلق به این فاکتور نیست")
        items = []
        for item_id, raw_price, raw_quantity, description in zip(item_ids, prices, quantities, descriptions, strict=True):
            old = by_id[item_id]
            price, quantity = self._decimal(raw_price, "price"), self._decimal(raw_quantity, "quantity")
            if not 0 < price <= old["amount"] or not 0 < quantity <= old["quantity"]:
                raise self._invalid("مبلغ و تعداد جدید نباید از فاکتور اول بیشتر باشد")
            items.append({**old, "id": self._next_item_id, "amount": price, "quantity": quantity,
                          "discount": Decimal(0), "description": description or old["description"]})
            self._next_item_id += 1
        if call.one("preferredTaxRate"):
            rate, is_default = self._rate(call)
        elif original["rateIsDefault"]:
            rate, is_default = self.default_tax_rate, True
        else:
            rate, is_default = original["rate"], False
        replacement = {**original, "id": self._next_id, "items": items, "rate": rate, "rateIsDefault": is_default,
                       "editedInvoiceId": original["id"], "edited": False, "canceled": False,
                       "referenceNumber": self._ref(), "uniqueNumber": secrets.token_hex(8)}
        self._next_id += 1
        self._totals(replacement)
        original.update(edited=True, canceled=True, cancelDate=_now_ms(), billNumber=None)
        self.invoices[replacement["id"]] = replacement
        return self.srv(replacement), None

    # -- exports ---------------------------------------------------------------------------------

    def op_getInvoiceListAsFile(self, call: PodCall, business: Business) -> tuple[Any, int | None]:
        last_rows = self._int(call, "lastNRows")
        if last_rows is None and not call.one("fromDate") and not call.one("toDate"):
            raise self._invalid("یکی از lastNRows، fromDate یا toDate لازم است")
        rows = self._filter(self._listed(business, call, explicit_id=self._int(call, "id")), call)
        rows.sort(key=lambda i: -i["id"])
        if last_rows is not None:
            rows = rows[:last_rows]
        job_id = 1500 + len(self.exports) + 1
        self.exports[job_id] = {
            "id": job_id, "statusCode": "EXPORT_SERVICE_STATUS_CREATED", "creationDate": _now_ms(),
            "service": "/nzh/biz/getInvoiceList/", "business": business.business_id,
            "rows": [self.srv(i) for i in rows], "fail": self.fail_next_export,
        }
        self.fail_next_export = False
        return self._job(self.exports[job_id]), None

    @staticmethod
    def _job(job: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in job.items() if k not in ("rows", "fail", "business")}

    def op_getExportList(self, call: PodCall, business: Business) -> tuple[Any, int | None]:
        offset = self._int(call, "offset", required=True) or 0
        size = self._int(call, "size", required=True) or 0
        job_id, status = self._int(call, "id"), call.one("statusCode")
        jobs = [j for j in self.exports.values() if j["business"] == business.business_id
                and (job_id is None or j["id"] == job_id)]
        for job in jobs:
            self._advance(job)
        if status:
            jobs = [j for j in jobs if j["statusCode"] == status]
        return [self._job(j) for j in jobs[offset:offset + size]], len(jobs)

    def _advance(self, job: dict[str, Any]) -> None:
        """Each poll moves a job one step: CREATED → RUNNING → SUCCESSFUL (or FAILED) [G]."""
        status = job["statusCode"].removeprefix("EXPORT_SERVICE_STATUS_")
        if status == "CREATED":
            job["statusCode"] = "EXPORT_SERVICE_STATUS_RUNNING"
        elif status == "RUNNING":
            if job["fail"]:
                job["statusCode"] = "EXPORT_SERVICE_STATUS_FAILED"
                return
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(["id", "billNumber", "payableAmount", "payed", "canceled"])
            for row in job["rows"]:
                writer.writerow([row["id"], row["billNumber"] or "", row["payableAmount"], row["payed"], row["canceled"]])
            content = buffer.getvalue().encode("utf-8")
            file_id, hash_code = 7000 + job["id"], secrets.token_hex(6).upper()
            self.files[file_id] = (hash_code, content)
            job["statusCode"] = "EXPORT_SERVICE_STATUS_SUCCESSFUL"
            job["resultFile"] = {"id": file_id, "name": f"invoices-{job['id']}.csv", "hashCode": hash_code,
                                 "size": len(content)}

    def download(self, request: FakeRequest) -> FakeResponse:
        if self.businesses.get(request.header("_token_")) is None:
            return json_response({"error": "unauthorized"}, 401)
        query = dict(request.query)
        try:
            hash_code, content = self.files[int(query.get("fileId", "0"))]
        except (KeyError, ValueError):
            return json_response({"error": "file not found"}, 404)
        if query.get("hashCode") != hash_code:
            return json_response({"error": "file not found"}, 404)
        return FakeResponse(200, content, "text/csv; charset=utf-8")
