"""A strict fake of Hesabit's v1 invoice API (Hesabit's invoice API document).

Real HTTP on 127.0.0.1 through the shared `FakeServer`, so every fault knob applies. It keeps
customers and invoices, checks `?access_token=` on every call, serves the OAuth2 refresh grant
(rotating both tokens), validates bodies the way the seed describes, computes item totals
(cost × quantity less the discount %, plus the tax %, each rounded half-up to whole Rial),
answers `GET /invoices/{id}` with a one-element list, and moves an invoice from `invoice` to
`paid` only through the `mark_paid` test hook (which adds the `Transaction`).

`PatternRoutedFake` (path templates such as `/v1/invoices/{id}`) is shared by the Sepidar and
PayPing fakes as well.
"""

from __future__ import annotations

import functools
import re
import secrets
import time
import uuid
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tests.fakes.server import FakeRequest, FakeResponse, FakeServer, Handler, Route, json_response

_PARAM = re.compile(r"\{(\w+)\}")


class PatternRoutedFake(FakeServer):
    """A `FakeServer` whose routes may hold `{name}` segments; handlers get them as keywords.
    A trailing slash is optional, as on the real services."""

    def __init__(self, *, seed: int = 0) -> None:
        super().__init__(seed=seed)
        self._patterns: list[tuple[str, re.Pattern[str], Route]] = []

    def route(self, method: str, path: str, handler: Handler | Callable[..., FakeResponse], *,
              name: str = "", write: bool = False) -> None:
        regex = "^" + _PARAM.sub(r"(?P<\1>[^/]+)", path.rstrip("/")) + "/?$"
        self._patterns.append((method.upper(), re.compile(regex, re.IGNORECASE),
                               Route(name or path, handler, write)))
        super().route(method, path, handler, name=name, write=write)

    def resolve(self, request: FakeRequest) -> Route | None:
        for method, regex, route in self._patterns:
            match = regex.match(request.path)
            if method == request.method and match:
                if not match.groupdict():
                    return route
                handler = functools.partial(route.handler, **match.groupdict())
                return Route(route.name, handler, route.is_write)
        return None

    def not_found(self, request: FakeRequest) -> FakeResponse:
        allowed = sorted({m for m, regex, _ in self._patterns if regex.match(request.path)})
        if allowed:
            return json_response({"error": "method not allowed"}, 405, {"Allow": ", ".join(allowed)})
        return json_response({"error": f"no route for {request.method} {request.path}"}, 404)


THEMES = {1: "modern", 2: "formal", 3: "receipt", 4: "carbon"}
STATUSES = ("invoice", "paid")
MAX_LIMIT = 100
DAY = 86_400
_MOBILE = re.compile(r"^09\d{9}$")


def round_half_up(value: Decimal) -> int:
    """Half-up to a whole unit [G]: the providers do not document their rounding."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class HesabitFake(PatternRoutedFake):
    """Hesabit with one business profile. `client_id`/`client_secret` and the first token pair
    are fixed at construction; `clock` gives Unix seconds (tests may replace it)."""

    provider = "hesabit"

    def __init__(self, *, seed: int = 0, client_id: str = "posapp-client",
                 client_secret: str = "client-secret") -> None:
        super().__init__(seed=seed)
        self.client_id = client_id
        self.client_secret = client_secret
        self.access_token = str(uuid.uuid4())
        self.refresh_token = secrets.token_hex(16)
        self.clock: Callable[[], int] = lambda: int(time.time())
        self.customers: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        """id -> {"Invoice": {...}, "Item": [...], "customer_id": str, "Transaction"?: {...}}"""
        self.products: dict[str, dict[str, Any]] = {}
        self._next_number = 10001
        self.profile = {"id": str(uuid.uuid4()), "name": "فروشگاه نمونه", "slug": "shop"}
        self.route("POST", "/oauth2/token", self.token, name="token", write=True)
        self.route("POST", "/v1/customers", self.create_customer, name="customers.create", write=True)
        self.route("POST", "/v1/invoices", self.create_invoice, name="invoices.create", write=True)
        self.route("GET", "/v1/invoices", self.list_invoices, name="invoices.list")
        self.route("GET", "/v1/invoices/customer", self.customer_invoices, name="invoices.customer")
        self.route("GET", "/v1/invoices/{invoice_id}", self.get_invoice, name="invoices.get")
        self.route("PUT", "/v1/invoices/{invoice_id}", self.update_invoice, name="invoices.update",
                   write=True)
        self.route("DELETE", "/v1/invoices/{invoice_id}", self.delete_invoice,
                   name="invoices.delete", write=True)

    # -- test hooks ------------------------------------------------------------------------------

    def expire_access_token(self) -> None:
        """The current access token stops working (as after ~10 h); the refresh token still does."""
        with self.lock:
            self.access_token = str(uuid.uuid4())

    def revoke_refresh_token(self) -> None:
        """The user revoked posapp's access: only a new authorization would help."""
        with self.lock:
            self.access_token = str(uuid.uuid4())
            self.refresh_token = secrets.token_hex(16)

    def add_customer(self, **fields: Any) -> dict[str, Any]:
        with self.lock:
            customer = {"id": str(uuid.uuid4()), "name": "", "company": "", "address": "",
                        "tel": "", "email": "", "mobile": "", **fields}
            self.customers[customer["id"]] = customer
            return customer

    def add_product(self, description: str, cost: int, code: str = "") -> str:
        with self.lock:
            product_id = str(uuid.uuid4())
            self.products[product_id] = {"description": description, "cost": cost, "code": code}
            return product_id

    def mark_paid(self, invoice_id: str) -> None:
        """The customer paid online: status `paid` and a `Transaction` appear."""
        with self.lock:
            record = self.invoices[invoice_id]
            record["Invoice"]["status"] = "paid"
            record["Transaction"] = {"id": str(secrets.randbelow(10**13)),
                                     "amount": record["Invoice"]["amount"], "created": self.clock()}

    # -- envelope and auth -------------------------------------------------------------------------

    @staticmethod
    def _ok(data: Any, status: int = 200, message: str | None = None) -> FakeResponse:
        body: dict[str, Any] = {"data": data, "success": True, "status": status}
        if message:
            body["message"] = message
        return json_response(body, status)

    @staticmethod
    def _error(status: int, message: str) -> FakeResponse:
        return json_response({"success": False, "status": status, "message": message}, status)

    def _unauthorized(self, request: FakeRequest) -> FakeResponse | None:
        token = dict(request.query).get("access_token", "")
        if token != self.access_token:
            return self._error(401, "Invalid or expired access token")
        return None

    def token(self, request: FakeRequest) -> FakeResponse:
        form = dict(request.form())
        if (form.get("client_id"), form.get("client_secret")) != (self.client_id, self.client_secret):
            return json_response({"error": "invalid_client"}, 401)
        if form.get("grant_type") != "refresh_token":
            return json_response({"error": "unsupported_grant_type"}, 400)
        if form.get("refresh_token") != self.refresh_token:
            return json_response({"error": "invalid_grant",
                                  "error_description": "refresh token is invalid or revoked"}, 400)
        self.access_token = str(uuid.uuid4())
        self.refresh_token = secrets.token_hex(16)
        return json_response({"access_token": self.access_token, "refresh_token": self.refresh_token,
                              "token_type": "Bearer", "expires_in": 36_000})

    # -- customers ---------------------------------------------------------------------------------

    def create_customer(self, request: FakeRequest) -> FakeResponse:
        if (denied := self._unauthorized(request)) is not None:
            return denied
        body = _json_object(request)
        if body is None:
            return self._error(400, "Body must be a JSON object")
        email, mobile = str(body.get("email") or ""), str(body.get("mobile") or "")
        if not str(body.get("name") or "").strip():
            return self._error(422, "name is required")
        if not email and not mobile:
            return self._error(422, "email or mobile is required")
        if mobile and not _MOBILE.match(mobile):
            return self._error(422, "mobile must be 11 digits starting with 09")
        for other in self.customers.values():
            if email and other["email"] == email:
                return self._error(422, "email has already been taken")
            if mobile and other["mobile"] == mobile:
                return self._error(422, "mobile has already been taken")
        fields = ("name", "email", "mobile", "address", "postal_code", "company", "tel", "fax",
                  "registration_number", "economical_number")
        customer = {"id": str(uuid.uuid4()), **{f: str(body.get(f) or "") for f in fields}}
        self.customers[customer["id"]] = customer
        return self._ok(customer, 201)

    # -- invoices ----------------------------------------------------------------------------------

    def _find_customer(self, reference: Any) -> dict[str, Any] | None:
        if not isinstance(reference, dict):
            return None
        for key in ("id", "email", "mobile"):
            value = reference.get(key)
            if value:
                return next((c for c in self.customers.values() if str(c[key]) == str(value)), None)
        return None

    def _items(self, raw: Any) -> list[dict[str, Any]] | str:
        """Validated items with totals, or the error message."""
        if not isinstance(raw, list) or not raw:
            return "Item is required"
        items = []
        for index, entry in enumerate(raw):
            if not isinstance(entry, dict):
                return f"Item.{index} must be an object"
            if entry.get("id"):
                product = self.products.get(str(entry["id"]))
                if product is None:
                    return f"Item.{index}.id not found"
                entry = {**product, "quantity": 1, **{k: v for k, v in entry.items() if k != "id"}}
            for key in ("description", "cost", "quantity"):
                if entry.get(key) in (None, ""):
                    return f"Item.{index}.{key} is required"
            for key, low, high in (("cost", 0, 10**15), ("quantity", 1, 10**9),
                                   ("tax", 0, 100), ("discount", 0, 100)):
                value = entry.get(key, 0)
                if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                    return f"Item.{index}.{key} must be an integer from {low} to {high}"
            cost, quantity = entry["cost"], entry["quantity"]
            discount, tax = entry.get("discount", 0), entry.get("tax", 0)
            base = round_half_up(Decimal(cost * quantity * (100 - discount)) / 100)
            total = base + round_half_up(Decimal(base * tax) / 100)
            items.append({"id": str(uuid.uuid4()), "code": str(entry.get("code") or ""),
                          "description": str(entry["description"]), "cost": cost,
                          "quantity": quantity, "discount": discount, "tax": tax, "total": total})
        return items

    def _validated(self, body: Any, current_id: str | None) -> dict[str, Any] | FakeResponse:
        if not isinstance(body, dict):
            return self._error(400, "Body must be a JSON object")
        customer = self._find_customer(body.get("Customer"))
        if customer is None:
            return self._error(422, "Customer (id, email or mobile) must name an existing customer")
        items = self._items(body.get("Item"))
        if isinstance(items, str):
            return self._error(422, items)
        theme = body.get("theme_id", 1)
        if theme not in THEMES:
            return self._error(422, "theme_id must be 1, 2, 3 or 4")
        for key in ("date", "due"):
            if key in body and (isinstance(body[key], bool) or not isinstance(body[key], int)):
                return self._error(422, f"{key} must be a Unix timestamp")
        number = str(body.get("number") or "")
        if number and any(r["Invoice"]["number"] == number for i, r in self.invoices.items()
                          if i != current_id):
            return self._error(422, "number has already been taken")
        return {"customer": customer, "items": items, "theme": theme, "number": number}

    def _view(self, record: dict[str, Any]) -> dict[str, Any]:
        view = {"Item": record["Item"], "Invoice": record["Invoice"],
                "Customer": self.customers[record["customer_id"]], "Profile": self.profile}
        if "Transaction" in record:
            view["Transaction"] = record["Transaction"]
        return view

    def _store(self, invoice_id: str, body: dict[str, Any], checked: dict[str, Any],
               previous: dict[str, Any] | None) -> dict[str, Any]:
        number = checked["number"]
        if not number:
            if previous is not None:
                number = previous["Invoice"]["number"]
            else:
                while any(r["Invoice"]["number"] == str(self._next_number)
                          for r in self.invoices.values()):
                    self._next_number += 1
                number = str(self._next_number)
                self._next_number += 1
        now = self.clock()
        auto_send = body.get("auto_send") if isinstance(body.get("auto_send"), dict) else {}
        invoice = {
            "id": invoice_id, "title": str(body.get("title") or ""), "number": number,
            "date": body.get("date", previous["Invoice"]["date"] if previous else now),
            "due": body.get("due", previous["Invoice"]["due"] if previous else now + 7 * DAY),
            "amount": sum(item["total"] for item in checked["items"]),
            "link": f"https://www.hesabit.com/invoice/{invoice_id}",
            "short_link": previous["Invoice"]["short_link"] if previous else
            f"http://hesab.it/{secrets.token_urlsafe(5)[:7]}",
            "seeing": 0,
            "auto_send": {"email": int(bool(auto_send.get("email", 1))),
                          "sms": int(bool(auto_send.get("sms", 1)))},
            "source": "api", "status": previous["Invoice"]["status"] if previous else "invoice",
            "note": str(body.get("note") or ""), "theme_id": checked["theme"],
            "online_payment": int(bool(body.get("online_payment", 0))),
        }
        record = {"Invoice": invoice, "Item": checked["items"],
                  "customer_id": checked["customer"]["id"]}
        self.invoices[invoice_id] = record
        return record

    def create_invoice(self, request: FakeRequest) -> FakeResponse:
        if (denied := self._unauthorized(request)) is not None:
            return denied
        body = _json_object(request)
        checked = self._validated(body, None)
        if isinstance(checked, FakeResponse):
            return checked
        assert body is not None
        record = self._store(str(uuid.uuid4()), body, checked, None)
        return self._ok(self._view(record), 201)

    def _filtered(self, query: dict[str, str],
                  records: list[dict[str, Any]]) -> list[dict[str, Any]] | FakeResponse:
        numbers: dict[str, int] = {}
        for key in ("limit", "offset", "page", "date", "from_date", "to_date", "due", "from_due",
                    "to_due"):
            if key in query:
                if not query[key].isdigit():
                    return self._error(422, f"{key} must be a non-negative integer")
                numbers[key] = int(query[key])
        limit = numbers.get("limit", 10)
        if not 1 <= limit <= MAX_LIMIT:
            return self._error(422, f"limit must be from 1 to {MAX_LIMIT}")
        status = query.get("status")
        if status is not None and status not in STATUSES:
            return self._error(422, "status must be invoice or paid")

        def keep(record: dict[str, Any]) -> bool:
            invoice = record["Invoice"]
            for field in ("date", "due"):
                value = invoice[field]
                if field in numbers and not numbers[field] <= value < numbers[field] + DAY:
                    return False
                if f"from_{field}" in numbers and value < numbers[f"from_{field}"]:
                    return False
                if f"to_{field}" in numbers and value > numbers[f"to_{field}"]:
                    return False
            return status is None or invoice["status"] == status

        kept = sorted((r for r in records if keep(r)), key=lambda r: (r["Invoice"]["date"],
                                                                      r["Invoice"]["number"]),
                      reverse=True)
        offset = numbers.get("offset", 0)
        if numbers.get("page"):
            offset += (numbers["page"] - 1) * limit
        return [self._view(r) for r in kept[offset:offset + limit]]

    def list_invoices(self, request: FakeRequest) -> FakeResponse:
        if (denied := self._unauthorized(request)) is not None:
            return denied
        result = self._filtered(dict(request.query), list(self.invoices.values()))
        return result if isinstance(result, FakeResponse) else self._ok(result)

    def customer_invoices(self, request: FakeRequest) -> FakeResponse:
        if (denied := self._unauthorized(request)) is not None:
            return denied
        query = dict(request.query)
        reference = {"id": query.get("customer_id"), "email": query.get("email"),
                     "mobile": query.get("mobile")}
        if not any(reference.values()):
            return self._error(422, "customer_id, email or mobile is required")
        customer = self._find_customer(reference)
        if customer is None:
            return self._error(404, "Customer not found")
        records = [r for r in self.invoices.values() if r["customer_id"] == customer["id"]]
        result = self._filtered(query, records)
        return result if isinstance(result, FakeResponse) else self._ok(result)

    def get_invoice(self, request: FakeRequest, invoice_id: str) -> FakeResponse:
        if (denied := self._unauthorized(request)) is not None:
            return denied
        record = self.invoices.get(invoice_id)
        if record is None:
            return self._error(404, "Invoice not found")
        return self._ok([self._view(record)])

    def update_invoice(self, request: FakeRequest, invoice_id: str) -> FakeResponse:
        if (denied := self._unauthorized(request)) is not None:
            return denied
        previous = self.invoices.get(invoice_id)
        if previous is None:
            return self._error(404, "Invoice not found")
        if previous["Invoice"]["status"] == "paid":
            return self._error(422, "A paid invoice cannot be edited")
        body = _json_object(request)
        checked = self._validated(body, invoice_id)
        if isinstance(checked, FakeResponse):
            return checked
        assert body is not None
        record = self._store(invoice_id, body, checked, previous)
        return self._ok([self._view(record)])

    def delete_invoice(self, request: FakeRequest, invoice_id: str) -> FakeResponse:
        if (denied := self._unauthorized(request)) is not None:
            return denied
        record = self.invoices.get(invoice_id)
        if record is None:
            return self._error(404, "Invoice not found")
        if record["Invoice"]["status"] == "paid":
            return self._error(422, "A paid invoice cannot be deleted")
        del self.invoices[invoice_id]
        return self._ok({"Invoice": {"id": invoice_id}}, message="Invoice deleted successfully")


def _json_object(request: FakeRequest) -> dict[str, Any] | None:
    try:
        body = request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
