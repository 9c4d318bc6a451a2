"""A strict fake of Hesabfa's API (Hesabfa's API document, «مستندات API حسابفا») on the shared base.

`POST /v1/{area}/{method}` with a JSON body (flat, or wrapped as `{"data": {...}}` [G]); any other
method answers 405. Answers use the `{Success, ErrorCode, ErrorMessage, Result}` envelope with
HTTP 200 [G]. Checks, in order: the rate limit (101; `rate_limit` requests per `rate_window`
seconds, configurable so tests stay fast) → a readable body (103) → `apiKey` (113 missing, 107
unknown) → `loginToken` or `userId`+`password` (106) → the method's parameters (104 missing,
114 out of range) → business rules (112 unknown number/code, 190 refused).

Invoices are unique per (type, number) and `invoice/save` upserts by number (no number → the next
automatic one, from 1001). Totals: item `Sum = q × unitPrice`, `TotalAmount = Sum − Discount +
Tax`; invoice `Sum = Σ TotalAmount`, `Payable = Sum + Freight + others(add) − others(deduct)`,
`Paid = Σ receipts`, `Rest = Payable − Paid`; `Sum`/`Payable` are answered as strings, as in the
seed. Contacts and items upsert by code (`000001`, `0000001` style automatic codes).

Where the seed is silent the fake takes the least helpful reading: an invoice number is numeric
(the seed's `number: 1001`; a number with letters is refused with 114); the listings' queryInfo
honours only what the seed documents (sortBy, sortDesc, take, skip): `Filters` and `Search` are
ignored; `requestUniqueId` (the plugin's, not the seed's) is ignored; a receipt's
`transactionNumber` may be neither missing nor empty (the plugin's note).

`setting/getBanks` and `setting/GetCashes` are not in the seed; CONTRACTS.md §2.4 and the official
plugins call them with nothing but the credentials and read `Result` as a list of `{Code, Name,
Currency, …}`. Least helpful reading: the lists are not paged and hold every bank and cash box
whatever its currency (a receipt into one in another currency than the invoice's is refused, as
the seed says), and codes are answered and matched exactly as stored (`0001`; `1` names nothing).
`setting/getProjects` (the plugins' too) lists `{Id, Title, …}`; the seed names an invoice's or a
receipt's `project` by title (`'پروژه یک'`) without saying what an unknown one does, so the fake
refuses it (112).
"""

from __future__ import annotations

import re
import secrets
import time
from collections import deque
from decimal import Decimal, InvalidOperation
from typing import Any

from tests.fakes.server import FakeRequest, FakeResponse, FakeServer, Route, json_response

WRITES = frozenset({"invoice/save", "invoice/delete", "invoice/savepayment", "invoice/savewarehousereceipt",
                    "contact/save", "item/save"})
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$")


class HesabfaRefusal(Exception):
    def __init__(self, code: int, message: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _lower_keys(value: Any) -> Any:
    """Field names matched without case, as ASP.NET binding does (`sortBy` / `SortBy`)."""
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


class HesabfaFake(FakeServer):
    provider = "hesabfa"

    def __init__(self, *, seed: int = 0, rate_limit: int = 50, rate_window: float = 60.0) -> None:
        super().__init__(seed=seed)
        self.api_key = "hf-api-key-1"
        self.login_token = "hf-login-token-1"
        self.user_id, self.password = "owner@example.com", "owner-password"
        self.api_enabled = True
        self.expired = False
        self.online_gateway = True
        self.rate_limit, self.rate_window = rate_limit, rate_window
        self._recent: deque[float] = deque()
        self.contacts: dict[str, dict[str, Any]] = {}
        self.items: dict[str, dict[str, Any]] = {}
        self.invoices: dict[tuple[int, str], dict[str, Any]] = {}
        self.receipts: list[dict[str, Any]] = []
        self.warehouse_receipts: dict[tuple[int, str], list[dict[str, Any]]] = {}
        self.banks = {"0001": {"Id": 1004, "Code": "0001", "Name": "بانک ملت", "Branch": "مرکزی",
                               "AccountNumber": "1234567", "Currency": "IRR"},
                      "0002": {"Id": 1005, "Code": "0002", "Name": "حساب ارزی", "Branch": "",
                               "AccountNumber": "7654321", "Currency": "USD"}}
        self.cashes = {"0001": {"Id": 2001, "Code": "0001", "Name": "صندوق فروشگاه", "Currency": "IRR"}}
        self.warehouses = {"11": "انبار مرکزی"}
        self.projects = {"پروژه یک": {"Id": 12, "Title": "پروژه یک", "Active": True}}
        self._next_id = 3000
        self.forced_errors: dict[str, list[int]] = {}
        """Method (lower case, `invoice/save`) → error codes to answer with next, for the codes no
        input can provoke here (100 internal error, 109 fiscal year, 110/111 ids)."""

    # -- pipeline ----------------------------------------------------------------------------

    def resolve(self, request: FakeRequest) -> Route | None:
        match = re.fullmatch(r"/v1/(\w+)/(\w+)/?", request.path)
        if match is None:
            return None
        name = f"{match.group(1)}/{match.group(2)}".lower()
        if request.method != "POST":
            return Route(name, lambda r: json_response({"Message": "The requested resource does not support http method"}, 405))
        return Route(name, lambda r: self._serve(r, name), name in WRITES)

    def _serve(self, request: FakeRequest, name: str) -> FakeResponse:
        try:
            self._throttle()
            body = self._body(request)
            self._authenticate(body)
            forced = self.forced_errors.get(name)
            if forced:
                raise HesabfaRefusal(forced.pop(0), "خطای اجباری آزمون")
            handler = getattr(self, "op_" + name.replace("/", "_"), None)
            if handler is None:
                raise HesabfaRefusal(190, f"متد {name} وجود ندارد")
            result = handler(body)
        except HesabfaRefusal as refusal:
            return json_response({"Success": False, "ErrorCode": refusal.code, "ErrorMessage": refusal.message,
                                  "Result": None})
        return json_response({"Success": True, "ErrorCode": 0, "ErrorMessage": "", "Result": result})

    def _throttle(self) -> None:
        now = time.monotonic()
        while self._recent and now - self._recent[0] >= self.rate_window:
            self._recent.popleft()
        if len(self._recent) >= self.rate_limit:
            raise HesabfaRefusal(101, "TooManyRequests")
        self._recent.append(now)

    @staticmethod
    def _body(request: FakeRequest) -> dict[str, Any]:
        try:
            body = request.json()
        except ValueError:
            raise HesabfaRefusal(103, "MissingData") from None
        if not isinstance(body, dict):
            raise HesabfaRefusal(103, "MissingData")
        body = _lower_keys(body)
        data = body.pop("data", None)
        if isinstance(data, dict):
            body = {**data, **body}
        return body

    def _authenticate(self, body: dict[str, Any]) -> None:
        if not body.get("apikey"):
            raise HesabfaRefusal(113, "MissingApiKey")
        if body["apikey"] != self.api_key:
            raise HesabfaRefusal(107, "BusinessNotFound")
        if not self.api_enabled:
            raise HesabfaRefusal(105, "ApiDisabled")
        if self.expired:
            raise HesabfaRefusal(108, "BusinessExpired")
        if body.get("logintoken"):
            if body["logintoken"] != self.login_token:
                raise HesabfaRefusal(106, "UserIsNotOwner")
        elif body.get("userid") != self.user_id or body.get("password") != self.password:
            raise HesabfaRefusal(106, "UserIsNotOwner")

    # -- parameter helpers ---------------------------------------------------------------------

    @staticmethod
    def _required(record: dict[str, Any], name: str, where: str = "") -> Any:
        value = record.get(name.lower())
        if value is None or value == "":
            raise HesabfaRefusal(104, f"MissingParameter: {where}{name}")
        return value

    @staticmethod
    def _amount(record: dict[str, Any], name: str, *, positive: bool = False, default: Any = 0) -> Decimal:
        raw = record.get(name.lower(), default)
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            raise HesabfaRefusal(114, f"ParameterIsOutOfRange: {name}") from None
        if not value.is_finite() or value < 0 or (positive and value == 0):
            raise HesabfaRefusal(114, f"ParameterIsOutOfRange: {name}")
        return value

    def _type(self, body: dict[str, Any], name: str = "type") -> int:
        raw = self._required(body, name)
        if str(raw) not in {"0", "1", "2", "3", "4"}:
            raise HesabfaRefusal(114, f"ParameterIsOutOfRange: {name}")
        return int(raw)

    @staticmethod
    def _date(record: dict[str, Any], name: str) -> str:
        raw = str(record.get(name.lower()) or "")
        if not DATE.fullmatch(raw):
            raise HesabfaRefusal(114, f"ParameterIsOutOfRange: {name} (YYYY-MM-DD HH:MM:SS)")
        return raw

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    # -- invoices --------------------------------------------------------------------------------

    @staticmethod
    def _numeric(number: Any) -> str:
        text = str(number).strip()
        if isinstance(number, bool) or not text.isdigit():
            raise HesabfaRefusal(114, f"ParameterIsOutOfRange: number {number!r}")
        return str(int(text))

    def _invoice(self, invoice_type: int, number: Any) -> dict[str, Any]:
        invoice = self.invoices.get((invoice_type, self._numeric(number)))
        if invoice is None:
            raise HesabfaRefusal(112, f"ObjectNotFound: invoice {number}")
        return invoice

    def by_reference(self, reference: str, invoice_type: int = 0) -> dict[str, Any]:
        """Test hook: the one invoice of `invoice_type` whose Reference is `reference`."""
        [invoice] = [i for (t, _), i in self.invoices.items() if t == invoice_type and i["Reference"] == reference]
        return invoice

    def answer(self, invoice: dict[str, Any], *, with_items: bool = True) -> dict[str, Any]:
        """The invoice as Hesabfa answers it: Sum/Payable as strings (seed), the rest numbers."""
        out = {k: v for k, v in invoice.items() if k not in ("InvoiceItems", "Others")}
        out["Sum"], out["Payable"] = str(_number(invoice["Sum"])), str(_number(invoice["Payable"]))
        out["Paid"], out["Rest"] = _number(invoice["Paid"]), _number(invoice["Rest"])
        out["Freight"] = _number(invoice["Freight"])
        out["Contact"] = self.contacts.get(invoice["ContactCode"])
        out["Others"] = [{**o, "Amount": _number(o["Amount"])} for o in invoice["Others"]]
        if with_items:
            out["InvoiceItems"] = [
                {**item, **{k: _number(item[k]) for k in ("Quantity", "UnitPrice", "Sum", "Discount", "Tax", "TotalAmount")},
                 "Item": self.items.get(item["ItemCode"])}
                for item in invoice["InvoiceItems"]
            ]
        return out

    def _totals(self, invoice: dict[str, Any]) -> None:
        total = sum((item["TotalAmount"] for item in invoice["InvoiceItems"]), Decimal(0))
        others = sum((o["Amount"] if o["Add"] else -o["Amount"] for o in invoice["Others"]), Decimal(0))
        invoice["Sum"] = total
        invoice["Payable"] = total + invoice["Freight"] + others
        invoice["Rest"] = invoice["Payable"] - invoice["Paid"]

    def op_invoice_get(self, body: dict[str, Any]) -> Any:
        return self.answer(self._invoice(self._type(body), self._required(body, "number")))

    def op_invoice_getbyid(self, body: dict[str, Any]) -> Any:
        wanted = body.get("idlist") or ([body["id"]] if body.get("id") else None)
        if not wanted:
            raise HesabfaRefusal(104, "MissingParameter: id or idList")
        by_id = {invoice["Id"]: invoice for invoice in self.invoices.values()}
        found = [self.answer(by_id[int(i)]) for i in wanted if int(i) in by_id]
        if not found:
            raise HesabfaRefusal(112, "ObjectNotFound")
        return found if body.get("idlist") else found[0]

    def op_invoice_getinvoices(self, body: dict[str, Any]) -> Any:
        invoice_type = self._type(body)
        rows = [i for (t, _), i in self.invoices.items() if t == invoice_type]
        return self._query(rows, body.get("queryinfo") or {}, lambda i: self.answer(i, with_items=False))

    def _query(self, rows: list[dict[str, Any]], query: dict[str, Any], shape: Any) -> dict[str, Any]:
        total = len(rows)
        sort_by = query.get("sortby")
        if sort_by:
            rows.sort(key=lambda r: str(r.get(sort_by, "")), reverse=bool(query.get("sortdesc")))
        skip, take = int(query.get("skip") or 0), int(query.get("take") or 10)
        if take < 1 or skip < 0:
            raise HesabfaRefusal(114, "ParameterIsOutOfRange: Take/Skip")
        page = rows[skip:skip + take]
        return {"TotalCount": total, "FilteredCount": len(rows), "From": skip + 1 if page else 0,
                "To": skip + len(page), "List": [shape(r) for r in page]}

    def op_invoice_save(self, body: dict[str, Any]) -> Any:
        data = self._required(body, "invoice")
        if not isinstance(data, dict):
            raise HesabfaRefusal(114, "ParameterIsOutOfRange: invoice")
        date, due = self._date(data, "date"), self._date(data, "dueDate")
        contact_code = str(self._required(data, "contactCode", "invoice."))
        invoice_type = self._type(data, "invoiceType")
        status = data.get("status", 0)
        if str(status) not in {"0", "1", "2", "3"}:
            raise HesabfaRefusal(114, "ParameterIsOutOfRange: status")
        if contact_code not in self.contacts:
            raise HesabfaRefusal(112, f"ObjectNotFound: contact {contact_code}")
        raw_items = self._required(data, "invoiceItems", "invoice.")
        if not isinstance(raw_items, list) or not raw_items:
            raise HesabfaRefusal(104, "MissingParameter: invoice.invoiceItems")
        items = []
        for index, raw in enumerate(raw_items):
            for name in ("description", "itemCode", "quantity", "unitPrice", "discount", "tax"):
                if raw.get(name.lower()) is None:
                    raise HesabfaRefusal(104, f"MissingParameter: invoiceItems[{index}].{name}")
            code = str(raw["itemcode"])
            if code not in self.items:
                raise HesabfaRefusal(112, f"ObjectNotFound: item {code}")
            quantity = self._amount(raw, "quantity", positive=True)
            unit_price = self._amount(raw, "unitPrice")
            discount, tax = self._amount(raw, "discount"), self._amount(raw, "tax")
            line_sum = quantity * unit_price
            if discount > line_sum:
                raise HesabfaRefusal(114, f"ParameterIsOutOfRange: invoiceItems[{index}].discount")
            items.append({"RowNumber": raw.get("rownumber", index + 1), "ItemCode": code,
                          "Description": raw["description"], "Unit": raw.get("unit") or self.items[code]["Unit"],
                          "Quantity": quantity, "UnitPrice": unit_price, "Sum": line_sum, "Discount": discount,
                          "Tax": tax, "TotalAmount": line_sum - discount + tax,
                          "SerialNumbers": raw.get("serialnumbers") or []})
        others = []
        for raw in data.get("others") or []:
            title = raw.get("title")
            if not title:
                raise HesabfaRefusal(104, "MissingParameter: others.title")
            others.append({"Title": title, "Amount": self._amount(raw, "amount"), "Add": bool(raw.get("add"))})
        number = self._numeric(data["number"]) if data.get("number") not in (None, "") else ""
        if not number:
            taken = [int(n) for (t, n) in self.invoices if t == invoice_type and n.isdigit()]
            number = str(max(taken, default=1000) + 1)
        existing = self.invoices.get((invoice_type, number))
        invoice = {
            "Id": existing["Id"] if existing else self._id(), "Number": number,
            "Reference": data.get("reference") or "", "Date": date, "DueDate": due, "ContactCode": contact_code,
            "ContactTitle": data.get("contacttitle") or self.contacts[contact_code]["Name"],
            "Note": data.get("note") or "", "Sent": bool(data.get("sent")), "Returned": invoice_type in (2, 3),
            "InvoiceType": invoice_type, "Status": int(status), "Tag": data.get("tag") or "",
            "Freight": self._amount(data, "freight"), "WarehouseReceiptStatus": existing["WarehouseReceiptStatus"] if existing else 0,
            "Project": self._project(data.get("project")), "SalesmanCode": data.get("salesmancode"),
            "SalesmanPercent": data.get("salesmanpercent") or 0, "Currency": data.get("currency") or "IRR",
            "TaxId": data.get("taxid") or "", "Paid": existing["Paid"] if existing else Decimal(0),
            "InvoiceItems": items, "Others": others,
        }
        self._totals(invoice)
        self.invoices[(invoice_type, number)] = invoice
        return self.answer(invoice)

    def op_invoice_delete(self, body: dict[str, Any]) -> Any:
        key = (self._type(body), self._numeric(self._required(body, "number")))
        self._invoice(*key)
        # no document says a delete is refused once the invoice has receipts: the least helpful
        # reading is that it goes through, and the money received goes with the invoice
        del self.invoices[key]
        return True

    def op_invoice_savepayment(self, body: dict[str, Any]) -> Any:
        invoice = self._invoice(self._type(body), self._required(body, "number"))
        sources = [name for name in ("bankcode", "cashcode", "pettycashcode", "contactcode", "accountpath")
                   if body.get(name)]
        if len(sources) != 1:
            raise HesabfaRefusal(114, "ParameterIsOutOfRange: exactly one of bankCode, cashCode, pettyCashCode, contactCode, accountPath")
        amount = self._amount(body, "amount", positive=True)
        if not str(body.get("transactionnumber") or "").strip():
            raise HesabfaRefusal(104, "MissingParameter: transactionNumber")
        if "date" in body:
            self._date(body, "date")
        source = sources[0]
        account: dict[str, Any] | None = None
        if source in ("bankcode", "cashcode"):
            table = self.banks if source == "bankcode" else self.cashes
            account = table.get(str(body[source]))
            if account is None:
                raise HesabfaRefusal(112, f"ObjectNotFound: {source} {body[source]}")
            if account["Currency"] != (body.get("currency") or invoice["Currency"]):
                raise HesabfaRefusal(190, "ApplicationError: واحد پول فاکتور و بانک یکی نیست")
        if amount > invoice["Rest"]:
            raise HesabfaRefusal(190, "ApplicationError: مبلغ دریافت از مانده فاکتور بیشتر است")
        project = self._project(body.get("project"))
        invoice["Paid"] += amount
        self._totals(invoice)
        contact = self.contacts[invoice["ContactCode"]]
        receipt = {
            "Id": self._id(), "Number": 1000 + len(self.receipts) + 1, "DateTime": body.get("date") or "",
            "Description": body.get("description") or "", "Amount": _number(amount), "Currency": invoice["Currency"],
            "Project": project or invoice["Project"],
            "Items": [{"Contact": {"Id": contact["Id"], "Code": contact["Code"], "Name": contact["Name"]},
                       "Amount": _number(amount), "Account": None, "Description": body.get("description") or ""}],
            "Transactions": [{
                "Cash": account if source == "cashcode" else None, "Bank": account if source == "bankcode" else None,
                "PettyCash": None, "Contact": None, "Check": None, "Account": body.get("accountpath"),
                "Type": "3" if source == "bankcode" else "1", "Reference": body.get("transactionnumber"),
                "TransactionFee": _number(self._amount(body, "transactionFee")), "Amount": _number(amount)}],
        }
        self.receipts.append(receipt)
        return receipt

    def op_invoice_getonlineinvoiceurl(self, body: dict[str, Any]) -> Any:
        invoice_type = self._type(body)
        invoice = self._invoice(invoice_type, self._required(body, "number"))
        if invoice_type != 0:
            raise HesabfaRefusal(190, "ApplicationError: فقط برای فاکتور فروش")
        if not self.online_gateway:
            raise HesabfaRefusal(190, "ApplicationError: درگاه پرداخت اینترنتی فعال نیست")
        invoice.setdefault("OnlineToken", secrets.token_urlsafe(12))
        return f"https://app.hesabfa.com/public/invoice?token={invoice['OnlineToken']}"

    def op_invoice_savewarehousereceipt(self, body: dict[str, Any]) -> Any:
        receipt = self._required(body, "receipt")
        warehouse = str(self._required(receipt, "warehouseCode", "receipt."))
        invoice_type = self._type(receipt, "invoiceType")
        invoice = self._invoice(invoice_type, self._required(receipt, "invoiceNumber", "receipt."))
        if warehouse not in self.warehouses:
            raise HesabfaRefusal(112, f"ObjectNotFound: warehouse {warehouse}")
        raw_items = self._required(receipt, "items", "receipt.")
        key = (invoice_type, invoice["Number"])
        if body.get("deleteoldreceipts"):
            self.warehouse_receipts.pop(key, None)
        shipped = self._shipped(key)
        invoiced: dict[str, Decimal] = {}
        for item in invoice["InvoiceItems"]:
            invoiced[item["ItemCode"]] = invoiced.get(item["ItemCode"], Decimal(0)) + item["Quantity"]
        rows = []
        for index, raw in enumerate(raw_items):
            code = str(self._required(raw, "itemCode", f"receipt.items[{index}]."))
            quantity = self._amount(raw, "quantity", positive=True)
            item = self.items.get(code)
            if item is None:
                raise HesabfaRefusal(112, f"ObjectNotFound: item {code}")
            if item["ItemType"] != 0 or not item.get("StockControl", True):
                raise HesabfaRefusal(190, f"ApplicationError: کالای {code} کنترل موجودی ندارد")
            if shipped.get(code, Decimal(0)) + quantity > invoiced.get(code, Decimal(0)):
                raise HesabfaRefusal(190, f"ApplicationError: مقدار {code} از فاکتور بیشتر است")
            shipped[code] = shipped.get(code, Decimal(0)) + quantity
            rows.append({"Id": self._id(), "ItemCode": code, "Reference": raw.get("reference") or "",
                         "Notes": raw.get("note") or raw.get("notes") or "", "Item": item, "Quantity": _number(quantity)})
        saved = {"Id": self._id(), "Number": 1000 + sum(len(v) for v in self.warehouse_receipts.values()) + 1,
                 "InvoiceNumber": invoice["Number"], "InvoiceType": invoice_type, "WarehouseCode": warehouse,
                 "Date": receipt.get("date") or "", "Notes": receipt.get("note") or "", "Delivery": receipt.get("delivery") or "",
                 "Freight": receipt.get("freight") or "", "Project": receipt.get("project") or "", "Items": rows}
        self.warehouse_receipts.setdefault(key, []).append(saved)
        complete = all(shipped.get(code, Decimal(0)) >= qty for code, qty in invoiced.items())
        invoice["WarehouseReceiptStatus"] = 2 if complete else 1
        return saved

    def _shipped(self, key: tuple[int, str]) -> dict[str, Decimal]:
        shipped: dict[str, Decimal] = {}
        for receipt in self.warehouse_receipts.get(key, []):
            for row in receipt["Items"]:
                shipped[row["ItemCode"]] = shipped.get(row["ItemCode"], Decimal(0)) + Decimal(str(row["Quantity"]))
        return shipped

    # -- settings --------------------------------------------------------------------------------

    def op_setting_getbanks(self, body: dict[str, Any]) -> Any:
        return [dict(bank) for bank in self.banks.values()]

    def op_setting_getcashes(self, body: dict[str, Any]) -> Any:
        return [dict(cash) for cash in self.cashes.values()]

    def op_setting_getprojects(self, body: dict[str, Any]) -> Any:
        return [dict(project) for project in self.projects.values()]

    def _project(self, name: Any) -> str:
        """A project named on an invoice or receipt must be one of the business's."""
        if name and str(name) not in self.projects:
            raise HesabfaRefusal(112, f"ObjectNotFound: project {name}")
        return str(name or "")

    # -- contacts and items ----------------------------------------------------------------------

    def _upsert(self, table: dict[str, dict[str, Any]], data: dict[str, Any], width: int,
                fields: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise HesabfaRefusal(114, "ParameterIsOutOfRange")
        self._required(data, "Name")
        code = str(data.get("code") or "")
        if not code:
            taken = [int(c) for c in table if c.isdigit()]
            code = str(max(taken, default=0) + 1).zfill(width)
        existing = table.get(code, {})
        record = {"Id": existing.get("Id") or self._id(), "Code": code, "Active": True}
        for name in fields:
            record[name] = data.get(name.lower(), existing.get(name, ""))
        table[code] = record
        return record

    def op_contact_save(self, body: dict[str, Any]) -> Any:
        contact = self._required(body, "contact")
        fields = ("Name", "FirstName", "LastName", "Company", "ContactType", "NationalCode", "EconomicCode",
                  "RegistrationNumber", "Address", "City", "State", "PostalCode", "Phone", "Mobile", "Email",
                  "Note", "TaxType", "NodeFamily")
        if str(contact.get("contacttype", 0)) not in {"0", "1", "2"}:
            raise HesabfaRefusal(114, "ParameterIsOutOfRange: ContactType")
        return self._upsert(self.contacts, contact, 6, fields)

    def op_contact_get(self, body: dict[str, Any]) -> Any:
        contact = self.contacts.get(str(self._required(body, "code")))
        if contact is None:
            raise HesabfaRefusal(112, "ObjectNotFound: contact")
        return contact

    def op_contact_getcontacts(self, body: dict[str, Any]) -> Any:
        return self._query(list(self.contacts.values()), body.get("queryinfo") or {}, dict)

    def op_item_save(self, body: dict[str, Any]) -> Any:
        item = self._required(body, "item")
        fields = ("Name", "Barcode", "ItemType", "Unit", "SellPrice", "BuyPrice", "Description", "StockControl")
        if str(item.get("itemtype", 0)) not in {"0", "1"}:
            raise HesabfaRefusal(114, "ParameterIsOutOfRange: ItemType")
        record = self._upsert(self.items, item, 7, fields)
        record["ItemType"] = int(record["ItemType"] or 0)
        record["StockControl"] = bool(item.get("stockcontrol", True))
        return record

    def op_item_get(self, body: dict[str, Any]) -> Any:
        item = self.items.get(str(self._required(body, "code")))
        if item is None:
            raise HesabfaRefusal(112, "ObjectNotFound: item")
        return item

    def op_item_getitems(self, body: dict[str, Any]) -> Any:
        return self._query(list(self.items.values()), body.get("queryinfo") or {}, dict)
