"""Hesabit (حسابیت) client: online invoices with a payment link, over the shared HTTP layer.

Contract: Hesabit's invoice API document («مستندات API فاکتور حسابیت», v1). Every call carries
`?access_token=`; on a 401 the client uses the OAuth2 refresh grant once, hands the new token
pair to `on_secret` (wired to the OS keyring by the settings layer) and repeats
the call. Tokens never reach a log (the HTTP layer redacts `access_token`/`refresh_token`).

The mapping of invoices to Hesabit's JSON and back lives in `hesabit_mapping`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urljoin

import httpx

from posapp.domain.invoice import Invoice
from posapp.providers.base import (
    Capability,
    CheckResult,
    PaymentLink,
    PaymentStatus,
    ProviderConfig,
    RemoteInvoice,
    RemoteState,
    SecretSpec,
    run_check,
    setting,
)
from posapp.providers.errors import (
    AuthenticationError,
    DuplicateError,
    InvalidStateError,
    ProviderError,
    ProviderValidationError,
)
from posapp.providers.hesabit_mapping import (
    NAME,
    THEME_IDS,
    HesabitCustomer,
    HesabitInvoice,
    InvoiceOptions,
    customer_reference,
    invoice_body,
    message_field,
    remote_customer,
    remote_invoice,
)
from posapp.providers.http import decode_json
from posapp.providers.http_provider import HttpProvider

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.hesabit.com/v1/"
OAUTH2_ENDPOINT = "../oauth2/token"
"""The token endpoint, relative to the API base (`https://api.hesabit.com/oauth2/token`)."""

PAGE_SIZE = 100
"""Hesabit's largest list page."""


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


class HesabitProvider(HttpProvider[HesabitConfig]):
    name: ClassVar[str] = NAME
    SECRETS = SECRETS
    DEFAULT_BASE_URL = DEFAULT_BASE_URL
    capabilities: ClassVar[frozenset[Capability]] = frozenset({
        Capability.PUSH_INVOICE, Capability.FIND_INVOICE, Capability.PAYMENT_STATUS,
        Capability.CANCEL_INVOICE, Capability.PAYMENT_LINK,
    })

    def _configure(self, secrets: Mapping[str, str]) -> None:
        if self.config.theme not in THEME_IDS:
            raise ValueError(f"unknown theme {self.config.theme!r}; expected one of {list(THEME_IDS)}")
        self._access_token = secrets["access_token"].strip()
        self._refresh_token = secrets.get("refresh_token", "").strip()
        self._client_secret = secrets.get("client_secret", "").strip()
        self._options = InvoiceOptions(theme=self.config.theme, due_days=self.config.due_days,
                                       online_payment=self.config.online_payment,
                                       send_email=self.config.send_email, send_sms=self.config.send_sms)

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
        """Trade the refresh token for a new pair and hand both to the keyring."""
        form = [("grant_type", "refresh_token"), ("refresh_token", self._refresh_token),
                ("client_id", self.config.client_id), ("client_secret", self._client_secret)]
        answer = self._http.request("POST", urljoin(str(self._http.config.base_url), OAUTH2_ENDPOINT),
                                    operation="oauth2.token", form=form,
                                    parse=self._parse_token)
        self._access_token = answer["access_token"]
        self._refresh_token = answer.get("refresh_token") or self._refresh_token
        self._keep_secret("access_token", self._access_token)
        self._keep_secret("refresh_token", self._refresh_token)
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

    def _parse(self, response: httpx.Response) -> Any:
        body = decode_json(response, NAME)
        status = response.status_code
        if isinstance(body, dict) and body.get("success") is True and 200 <= status < 300:
            return body.get("data")
        message = str(body.get("message") or "") if isinstance(body, dict) else ""
        if status in (400, 409, 422):
            field = message_field(message)
            if field == "number" and "taken" in message:
                raise DuplicateError(NAME, "این شماره فاکتور در حسابیت ثبت شده است", message,
                                     status=status)
            raise self.status_error(status, message, field_errors={field: message})
        raise self.status_error(status, message)

    def invoice_body(self, invoice: Invoice, number: str, customer: Mapping[str, str]) -> dict[str, Any]:
        """The POST/PUT body for an issued posapp invoice under Hesabit `number`."""
        return invoice_body(invoice, number, customer, self._options)

    def _customer_reference(self, invoice: Invoice) -> dict[str, str]:
        return customer_reference(invoice, self.config.walk_in_customer_id)

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
            self.create_customer(invoice.buyer.name if invoice.buyer else "", customer["mobile"])
            data = self._call("POST", "invoices", operation="invoices.create", body=body,
                              idempotent=False)
        return remote_invoice(data)

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
                return remote_invoice(view)
        return None

    def get_invoice(self, remote_id: str) -> HesabitInvoice:
        data = self._call("GET", f"invoices/{remote_id}", operation="invoices.get")
        if not isinstance(data, list) or len(data) != 1:
            raise ProviderError(NAME, "پاسخ حسابیت برای فاکتور قابل خواندن نبود",
                                "Hesabit's invoice answer is not a one-element list")
        return remote_invoice(data[0])

    def payment_status(self, remote_id: str) -> PaymentStatus:
        data = self._call("GET", f"invoices/{remote_id}", operation="invoices.get")
        view = data[0]
        remote = remote_invoice(view)
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

    def delete_invoice(self, remote_id: str) -> None:
        self._call("DELETE", f"invoices/{remote_id}", operation="invoices.delete")

    def create_customer(self, name: str, mobile: str) -> HesabitCustomer:
        """Create the customer a sale's buyer becomes, under their mobile (unique on Hesabit)."""
        data = self._call("POST", "customers", operation="customers.create",
                          body={"name": name or mobile, "mobile": mobile}, idempotent=False)
        return remote_customer(data)

    def _all_pages(self, path: str, operation: str, query: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
        offset = 0
        while True:
            page = self._call("GET", path, operation=operation,
                              query={**query, "limit": PAGE_SIZE, "offset": offset})
            yield from page
            if len(page) < PAGE_SIZE:
                return
            offset += PAGE_SIZE



create = HesabitProvider
"""The registry's factory (see `posapp.providers.registry`)."""
