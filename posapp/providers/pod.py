"""Pod (Fanap) billing client: issue, look up, verify, close, cancel, reduce and payment links.

Two calling styles reach the same operations (Pod's billing SDKs; docs/providers.md): the *service call* used by
Pod's Python SDK (default: `POST {platform}/nzh/doServiceCall` with `scProductId`) and *direct
REST* used by the Node/PHP SDKs (`GET {platform}/nzh/biz/{operation}/`). Both send the business
token in the `_token_` header and form-encode lists with repeated bracketed keys.

The one-time token (ott) chain: every Pod answer carries a fresh `ott`, which is kept for the
next operation that needs one; when none is held one is fetched from the ott service; when Pod
answers error 39 (missing or used ott) a new one is fetched and the call is tried once more.

The bill number is the idempotency key: Pod refuses a key it already has (error 19, a
DuplicateError), and the sync engine, the one layer that looks documents up, then finds the
first invoice by its bill number.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar
from urllib.parse import urlencode

import httpx

from posapp.domain.invoice import Invoice, InvoiceKind
from posapp.domain.money import ZERO
from posapp.providers import pod_mapping as mapping
from posapp.providers.base import (
    Capability,
    CheckResult,
    PaymentLink,
    PaymentStatus,
    ProviderConfig,
    RemoteCopy,
    RemoteInvoice,
    RemoteState,
    SecretSpec,
    choice_check,
    decimal_text,
    run_check,
    setting,
    to_decimal,
)
from posapp.providers.errors import (
    AuthenticationError,
    InvalidStateError,
    MalformedResponseError,
    ProviderValidationError,
    RemoteNotFoundError,
)
from posapp.providers.http import decode_json
from posapp.providers.http_provider import HttpProvider
from posapp.providers.pod_mapping import NAME, Form, PodItem, boolean, remote_invoice

log = logging.getLogger(__name__)


class CallStyle(StrEnum):
    SERVICE_CALL = "service-call"
    REST = "rest"


@dataclass(frozen=True)
class PodUrls:
    platform: str
    pay: str


PRODUCTION = PodUrls("https://api.pod.ir/srv/core", "https://pay.pod.ir")
SANDBOX = PodUrls("https://sandbox.pod.ir/srv/basic-platform", "https://sandbox.pod.ir:1033")
"""The SDKs name the sandbox platform over plain http; the token never travels in
clear text from posapp, so they are asked over https (a sandbox without TLS there cannot be used)."""

SERVICE_IDS: Mapping[str, tuple[int, int]] = {
    "issueInvoice": (29796, 39291),
    "reduceInvoice": (29803, 39298),
    "getInvoiceList": (29813, 39308),
    "verifyInvoice": (29809, 39304),
    "closeInvoice": (29812, 39307),
    "cancelInvoice": (29810, 39305),
    "ott": (29816, 39311),
    "guildList": (29833, 39329),
}
"""scProductId per operation: (production, sandbox), from Pod's Python SDK
(pod-billing 1.2.0 and pod-common, `services.json`)."""
REST_PATHS: Mapping[str, str] = {"ott": "/nzh/ott/", "guildList": "/nzh/guildList/"}
"""Direct-REST paths of the platform operations; the billing ones are `/nzh/biz/{operation}/`."""
GUILD_PAGE = 50
"""Rows asked for per guildList page (the SDKs' default size)."""

MATCH_PAGE = 10
"""Rows asked for in a lookup by bill number or id (one is expected; the rest are checked away)."""


@dataclass(frozen=True)
class PodConfig(ProviderConfig):
    """Pod's non-secret settings. Empty URLs mean the documented production or sandbox ones."""

    provider_name: ClassVar[str] = "pod"
    endpoint_fields: ClassVar[tuple[str, ...]] = ("base_url", "pay_base_url")

    sandbox: bool = setting(False, "محیط آزمایشی (sandbox)", "use Pod's sandbox")
    call_style: str = setting(
        CallStyle.SERVICE_CALL.value, "شیوه فراخوانی", "calling style",
        choices=tuple(style.value for style in CallStyle),
    )
    pay_base_url: str = setting("", "نشانی صفحه پرداخت (خالی = پیش‌فرض)", "pay pages URL (empty = default)")
    guild_code: str = setting("", "کد صنف در پنل کسب‌وکار", "guild code from the business panel")
    deadline_days: int = setting(0, "مهلت پرداخت (روز؛ ۰ = بدون مهلت)", "days to pay (0 = no deadline)")
    verification_needed: bool = setting(False, "پرداخت سه‌مرحله‌ای (تأیید پس از پرداخت)", "three-step payment (verify after paying)")
    redirect_url: str = setting("", "نشانی بازگشت پس از پرداخت", "URL the customer returns to after paying")
    gateway: str = setting("PEP", "درگاه بانکی پیوند پرداخت", "bank gateway for payment links")

    @property
    def urls(self) -> PodUrls:
        default = SANDBOX if self.sandbox else PRODUCTION
        return PodUrls(
            platform=self.base_url.strip().rstrip("/") or default.platform,
            pay=self.pay_base_url.strip().rstrip("/") or default.pay,
        )


CONFIG = PodConfig
SECRETS = (
    SecretSpec("token", "توکن API کسب‌وکار پاد", "Pod business API token"),
    SecretSpec("sc_api_key", "کلید فراخوانی سرویس (اختیاری)", "service-call API key (optional)", required=False),
)


@dataclass(frozen=True)
class PodAnswer:
    result: Any
    count: int | None


class PodProvider(HttpProvider[PodConfig]):
    """Pod billing over `HttpClient`. Not shared between threads (the held ott is per object)."""

    name = NAME
    SECRETS = SECRETS
    capabilities = frozenset({
        Capability.PUSH_INVOICE, Capability.FIND_INVOICE, Capability.PAYMENT_STATUS,
        Capability.CANCEL_INVOICE, Capability.REDUCE_INVOICE, Capability.PAYMENT_LINK,
        Capability.VERIFY_PAID, Capability.CLOSE_PAID, Capability.REISSUE_INVOICE,
    })

    def _configure(self, secrets: Mapping[str, str]) -> None:
        self.urls = self.config.urls
        self.style = CallStyle(self.config.call_style)
        self._token = secrets["token"]
        self._sc_api_key = secrets.get("sc_api_key", "")
        self._ott: str | None = None
        self._ott_lock = threading.Lock()

    def _default_base_url(self) -> str:
        """Production's or the sandbox's platform address, by the `sandbox` setting."""
        return self.urls.platform

    # -- transport and envelope ----------------------------------------------------------------

    def _headers(self, ott: str | None = None) -> dict[str, str]:
        headers = {"_token_": self._token, "_token_issuer_": "1"}
        if ott and self.style is CallStyle.REST:
            headers["_ott_"] = ott
        return headers

    def _service_id(self, operation: str) -> str:
        production, sandbox = SERVICE_IDS[operation]
        return str(sandbox if self.config.sandbox else production)

    def _send(self, operation: str, params: Form, *, ott: Callable[[], str] | None, idempotent: bool,
              bill_number: str | None = None) -> PodAnswer:
        """One operation; `ott` gives a fresh one-time token for every attempt, since Pod refuses
        a used one (a resend after a dropped answer must not carry the token already spent)."""
        def parse(response: httpx.Response) -> PodAnswer:
            return self._parse(response, operation, bill_number)

        attempt_ott: list[str | None] = [None]

        def next_ott() -> str | None:
            attempt_ott[0] = ott() if ott is not None else None
            return attempt_ott[0]

        def headers() -> dict[str, str]:
            return self._headers(attempt_ott[0])

        if self.style is CallStyle.SERVICE_CALL:
            def service_form() -> Form:
                form: Form = [("scProductId", self._service_id(operation))]
                if self._sc_api_key:
                    form.append(("scApiKey", self._sc_api_key))
                form += params
                one_time = next_ott()
                if one_time:
                    form.append(("_ott_", one_time))
                return form

            return self._http.request("POST", "/nzh/doServiceCall", operation=operation, form=service_form,
                                     headers=headers, parse=parse, idempotent=idempotent)
        path = REST_PATHS.get(operation, f"/nzh/biz/{operation}/")

        def rest_headers() -> dict[str, str]:
            next_ott()
            return headers()

        return self._http.request("GET", path, operation=operation, params=params, headers=rest_headers,
                                 parse=parse, idempotent=idempotent)

    def _parse(self, response: httpx.Response, operation: str, bill_number: str | None) -> PodAnswer:
        body = decode_json(response, NAME)
        if not isinstance(body, Mapping):
            raise MalformedResponseError(NAME, "پاسخ پاد قالب درستی نداشت",
                                         f"Pod's answer to {operation} is not an object")
        fresh_ott = mapping.field_of(body, "ott")
        if fresh_ott:
            with self._ott_lock:
                self._ott = str(fresh_ott)
        if mapping.field_of(body, "hasError"):
            code = int(mapping.field_of(body, "errorCode", 0) or 0)
            message = str(mapping.field_of(body, "message", "") or "")
            raise mapping.pod_error(code, message, operation, bill_number=bill_number)
        result = mapping.field_of(body, "result")
        if isinstance(result, Mapping) and "statusCode" in result and "result" in result:
            result = result["result"]  # a service call wrapping an external service
        count = mapping.field_of(body, "count")
        return PodAnswer(result, int(count) if count is not None else None)

    def _fetch_ott(self) -> None:
        answer = self._send("ott", [], ott=None, idempotent=True)
        if isinstance(answer.result, str) and answer.result:
            with self._ott_lock:
                self._ott = self._ott or answer.result

    def _take_ott(self) -> str:
        with self._ott_lock:
            held = self._ott
        if held is None:
            self._fetch_ott()
        with self._ott_lock:
            ott, self._ott = self._ott, None
        if not ott:
            raise MalformedResponseError(NAME, "پاد توکن یک‌بارمصرف نداد", "Pod's ott service gave no ott")
        return ott

    def call(self, operation: str, params: Form, *, uses_ott: bool = False, idempotent: bool = True,
             bill_number: str | None = None) -> PodAnswer:
        """One Pod operation. With `uses_ott`, a fresh ott goes with every attempt, and a held ott
        Pod refuses (39: it expired) is replaced once."""
        if not uses_ott:
            return self._send(operation, params, ott=None, idempotent=idempotent, bill_number=bill_number)
        try:
            return self._send(operation, params, ott=self._take_ott, idempotent=idempotent,
                              bill_number=bill_number)
        except AuthenticationError as error:
            if error.code != mapping.OTT_CODE:
                raise
            log.info("Pod refused the ott for %s; fetching a fresh one and trying once more", operation)
            with self._ott_lock:
                self._ott = None
            return self._send(operation, params, ott=self._take_ott, idempotent=idempotent,
                              bill_number=bill_number)

    # -- Pod operations ------------------------------------------------------------------------

    def _issue_form(self, invoice: Invoice, key: str) -> Form:
        priced = mapping.invoice_items(invoice)
        if not self.config.guild_code.strip():
            raise ProviderValidationError(NAME, "کد صنف پاد تنظیم نشده است", "Pod's guild code is not set",
                                  field_errors={"guildCode": "required"})
        form: Form = [
            ("guildCode", self.config.guild_code.strip()),
            *mapping.item_fields(priced.items),
            ("billNumber", key),
            ("preferredTaxRate", decimal_text(priced.tax_rate)),
            ("currencyCode", "IRR"),
            ("metadata", mapping.metadata_json(invoice, key, priced)),
            ("verificationNeeded", boolean(self.config.verification_needed)),
        ]
        description = " — ".join(part for part in (invoice.number or "", invoice.notes.strip()) if part)
        if description:
            form.append(("description", description))
        if self.config.deadline_days > 0:
            start = invoice.issued_at or invoice.created_at
            form.append(("deadline", mapping.jalali_deadline(start + timedelta(days=self.config.deadline_days))))
        if invoice.buyer and invoice.buyer.mobile:
            form.append(("cellphoneNumber", invoice.buyer.mobile))
        return form

    def issue_invoice(self, form: Form, *, bill_number: str) -> dict[str, Any]:
        """issueInvoice with a prepared form; returns Pod's InvoiceSrv."""
        answer = self.call("issueInvoice", form, uses_ott=True, bill_number=bill_number)
        return self._invoice_srv(answer.result, "issueInvoice")

    def get_invoice_list(self, *, offset: int = 0, size: int = 50, invoice_id: str | None = None,
                         bill_number: str | None = None) -> tuple[list[dict[str, Any]], int]:
        """getInvoiceList: (invoices, total count), narrowed to one Pod id or billNumber when given
        (the callers still compare what comes back)."""
        params: Form = [("offset", str(offset)), ("size", str(size))]
        if invoice_id is not None:
            params.append(("id", invoice_id))
        if bill_number is not None:
            params.append(("billNumber", bill_number))
        answer = self.call("getInvoiceList", params)
        invoices = self._invoice_list(answer.result, "getInvoiceList")
        return invoices, answer.count if answer.count is not None else len(invoices)

    def guilds(self) -> dict[str, str]:
        """guildList, every page: guild code → name. The seed names it as the way to find guild
        codes but not whose guilds it lists, so a listed code may still need adding to the
        business (Pod's error 53 at the first invoice)."""
        found: dict[str, str] = {}
        offset = 0
        while True:
            answer = self.call("guildList", [("offset", str(offset)), ("size", str(GUILD_PAGE))])
            rows = answer.result if isinstance(answer.result, list) else None
            if rows is None or not all(isinstance(row, Mapping) for row in rows):
                raise MalformedResponseError(NAME, "فهرست اصناف پاد قابل خواندن نبود",
                                             "Pod's answer to guildList is not a list of guilds")
            known = len(found)
            found |= {str(mapping.field_of(row, "code")): str(mapping.field_of(row, "name") or "")
                      for row in rows if mapping.field_of(row, "code")}
            offset += len(rows)
            if len(found) == known or (answer.count is not None and offset >= answer.count) or (
                    answer.count is None and len(rows) < GUILD_PAGE):
                return found  # the end, or a server that ignores offset and repeats a page

    def get_invoice(self, remote_id: str) -> dict[str, Any] | None:
        """One invoice by Pod id (edited ones included, as Pod lists them when asked by id)."""
        invoices, _ = self.get_invoice_list(offset=0, size=MATCH_PAGE, invoice_id=remote_id)
        return next((srv for srv in invoices if str(mapping.field_of(srv, "id")) == str(remote_id)), None)

    def verify_invoice(self, invoice_id: str) -> dict[str, Any]:
        return self._invoice_srv(self.call("verifyInvoice", [("id", invoice_id)]).result, "verifyInvoice")

    def close_invoice(self, invoice_id: str) -> bool:
        return self.call("closeInvoice", [("id", invoice_id)]).result is True

    def cancel(self, invoice_id: str) -> bool:
        """cancelInvoice; a paid invoice is refunded by Pod."""
        return self.call("cancelInvoice", [("id", invoice_id)]).result is True

    def reduce(self, invoice_id: str, items: Sequence[tuple[str, PodItem]],
               preferred_tax_rate: Decimal | None) -> dict[str, Any]:
        """reduceInvoice with (invoiceItemId, new item) for every item of the original."""
        params: Form = [("id", invoice_id)]
        for item_id, item in items:
            params += [("invoiceItemId[]", item_id), ("price[]", decimal_text(item.price)),
                       ("quantity[]", decimal_text(item.quantity)),
                       ("itemDescription[]", item.description)]
        if preferred_tax_rate is not None:
            params.append(("preferredTaxRate", decimal_text(preferred_tax_rate)))
        answer = self.call("reduceInvoice", params, idempotent=False)
        return self._invoice_srv(answer.result, "reduceInvoice")

    def gateway_url(self, unique_number: str) -> str:
        """Pay by bank gateway, for customers without a Pod wallet."""
        query = {"uniqueNumber": unique_number, "gateway": self.config.gateway}
        if self.config.redirect_url:
            query |= {"redirectUri": self.config.redirect_url, "callUri": self.config.redirect_url}
        return f"{self.urls.pay}/v1/pbc/payInvoiceByUniqueNumber/?{urlencode(query)}"

    # -- the Provider interface ----------------------------------------------------------------

    def push_invoice(self, invoice: Invoice, idempotency_key: str) -> RemoteInvoice:
        return remote_invoice(self._push(invoice, idempotency_key), key=idempotency_key)

    def _push(self, invoice: Invoice, key: str) -> dict[str, Any]:
        if invoice.kind is not InvoiceKind.SALE:
            raise ProviderValidationError(NAME, "به پاد فقط فاکتور فروش فرستاده می‌شود؛ کاهش را با reduce بفرستید",
                                  "only sale invoices are issued in Pod; send reductions with reduce_invoice")
        return self._issue(invoice, key)

    def _issue(self, invoice: Invoice, key: str) -> dict[str, Any]:
        """issueInvoice under bill number `key`; a key Pod already holds (19) raises DuplicateError."""
        return self.issue_invoice(self._issue_form(invoice, key), bill_number=key)

    def _find_srv(self, key: str) -> dict[str, Any] | None:
        """The invoice holding bill number `key`: the filter is documented, and what comes back
        is still compared here ("some row came back" is not "found")."""
        invoices, _ = self.get_invoice_list(offset=0, size=MATCH_PAGE, bill_number=key)
        return next((srv for srv in invoices if str(mapping.field_of(srv, "billNumber") or "") == key), None)

    def find_invoice(self, idempotency_key: str) -> RemoteInvoice | None:
        srv = self._find_srv(idempotency_key)
        return remote_invoice(srv, key=idempotency_key) if srv is not None else None

    def payment_status(self, remote_id: str) -> PaymentStatus:
        srv = self.get_invoice(remote_id)
        if srv is None:
            raise RemoteNotFoundError(NAME, "فاکتور در پاد پیدا نشد", f"Pod has no invoice {remote_id}")
        remote = remote_invoice(srv)
        paid = remote.state in (RemoteState.PAID, RemoteState.CLOSED)
        reference = srv.get("paymentBillNumber") or srv.get("referenceNumber") or srv.get("uniqueNumber") or ""
        return PaymentStatus(paid=paid, amount=remote.payable if paid else ZERO,
                             paid_at=mapping.epoch_ms(srv.get("paymentDate")) if paid else None,
                             reference=str(reference), state=remote.state)

    def verify_paid(self, remote_id: str) -> PaymentStatus:
        """verifyInvoice for a paid invoice waiting in three-step payment (else Pod returns the
        money after an hour)."""
        self.verify_invoice(remote_id)
        return self.payment_status(remote_id)

    def close_paid(self, remote_id: str) -> None:
        self.close_invoice(remote_id)

    def cancel_invoice(self, remote: RemoteInvoice, reason: str) -> RemoteInvoice:
        """cancelInvoice (Pod keeps no reason). Cancelling twice answers the cancelled invoice."""
        try:
            self.cancel(remote.remote_id)
        except InvalidStateError:
            current = self.get_invoice(remote.remote_id)
            if current is None or mapping.invoice_state(current) is not RemoteState.CANCELLED:
                raise
        return replace(remote, state=RemoteState.CANCELLED, paid=ZERO)

    def reduce_invoice(self, invoice: Invoice, original: RemoteInvoice, idempotency_key: str) -> RemoteInvoice:
        """reduceInvoice for a posapp REDUCTION of `original`. Pod gives the new invoice the
        original's bill number, so after an unclear failure `find_invoice(original.key)` tells
        whether it went through (its `replaces` is the original's id)."""
        if invoice.kind is not InvoiceKind.REDUCTION:
            raise ProviderValidationError(NAME, "فقط فاکتور کاهش با reduce فرستاده می‌شود",
                                  "only a reduction invoice can be sent with reduce_invoice")
        srv = self.get_invoice(original.remote_id)
        if srv is None:
            raise RemoteNotFoundError(NAME, "فاکتور اصلی در پاد پیدا نشد", f"Pod has no invoice {original.remote_id}")
        original_items = srv.get("invoiceItemSrvs") or []
        items, rate = mapping.reduction_items(invoice, len(original_items))
        pairs = [(str(original_items[index]["id"]), item) for index, item in items]
        new = self.reduce(original.remote_id, pairs, rate)
        return remote_invoice(new, key=original.key)

    def reissue_invoice(self, invoice: Invoice, idempotency_key: str) -> RemoteInvoice:
        """A sale's new copy after its unpaid copy was cancelled, the way Pod's document says to
        change an unpaid invoice («فاکتور قبلی را باطل نمایید و فاکتور جدیدی صادر کنید»).
        `invoice` carries what the sale now holds (a correction of it, any kind) and
        `idempotency_key` is a fresh bill number: the old one stays with the cancelled copy (25)."""
        return remote_invoice(self._issue(invoice, idempotency_key), key=idempotency_key)

    def current_copy(self, remote: RemoteInvoice, *later_keys: str) -> RemoteCopy:
        """The Pod invoice that stands for `remote` now, with its item quantities: `remote`
        itself, or the one that replaced it when an attempt whose answer was lost reduced it
        (Pod moves the bill number to the new invoice) or cancelled it and issued a new copy
        under one of `later_keys`."""
        srv = self.get_invoice(remote.remote_id)
        if srv is None:
            raise RemoteNotFoundError(NAME, "فاکتور در پاد پیدا نشد", f"Pod has no invoice {remote.remote_id}")
        current = remote_invoice(srv, key=remote.key)
        while current.state is RemoteState.REPLACED:
            found = self._find_srv(remote.key)
            if found is None or str(found.get("editedInvoiceId")) != current.remote_id:
                break
            srv, current = found, remote_invoice(found, key=remote.key)
        if current.state is RemoteState.CANCELLED:
            for key in later_keys:
                found = self._find_srv(key)
                if found is not None:
                    srv, current = found, remote_invoice(found, key=key)
                    break
        quantities = tuple(to_decimal(item.get("quantity"), provider=NAME, field_name="quantity")
                           for item in srv.get("invoiceItemSrvs") or [])
        return RemoteCopy(current, quantities)

    def create_payment_link(self, invoice: Invoice, idempotency_key: str,
                            existing: RemoteInvoice | None = None) -> PaymentLink:
        """Issue the invoice (or take the one already issued) and link Pod's bank-gateway page."""
        if existing is not None:
            found = self.get_invoice(existing.remote_id)
            if found is None:
                raise RemoteNotFoundError(NAME, "فاکتور در پاد پیدا نشد", f"Pod has no invoice {existing.remote_id}")
            srv = found
        else:
            srv = self._push(invoice, idempotency_key)
        remote = remote_invoice(srv, key=idempotency_key)
        if remote.state is not RemoteState.OPEN:
            raise InvalidStateError(NAME, "این فاکتور در پاد دیگر قابل پرداخت نیست",
                                    f"the invoice is {remote.state} in Pod and cannot be paid")
        unique_number = srv.get("uniqueNumber")
        if not unique_number:
            raise MalformedResponseError(NAME, "پاد شماره یکتای فاکتور را نداد", "Pod gave no uniqueNumber")
        return PaymentLink(self.gateway_url(str(unique_number)), remote.remote_id, remote.payable)

    def check(self) -> list[CheckResult]:
        """The token, the invoice listing, and whether the guild code is one of Pod's guilds
        (whether the business has added it shows only at the first invoice: Pod lists no
        business's own guilds)."""
        guild = self.config.guild_code.strip()
        return [
            run_check("token", "توکن و دریافت ott", "token and one-time token", self._fetch_ott),
            run_check("invoices", "خواندن فهرست فاکتورها", "reading the invoice list",
                      lambda: self.get_invoice_list(offset=0, size=1)),
            choice_check(PodConfig, "guild_code", guild, unset=not guild, offered=self.guilds,
                         absent_fa="در فهرست اصناف پاد نیست", absent_en="is not among Pod's guilds"),
        ]

    # -- helpers -------------------------------------------------------------------------------

    def _invoice_srv(self, result: Any, operation: str) -> dict[str, Any]:
        if not isinstance(result, Mapping) or "id" not in result:
            raise MalformedResponseError(NAME, "پاسخ پاد فاکتور نداشت", f"Pod's answer to {operation} held no invoice")
        return dict(result)

    def _invoice_list(self, result: Any, operation: str) -> list[dict[str, Any]]:
        if result is None:
            return []
        if not isinstance(result, list) or not all(isinstance(r, Mapping) for r in result):
            raise MalformedResponseError(NAME, "فهرست فاکتورهای پاد قابل خواندن نبود",
                                         f"Pod's answer to {operation} is not a list of invoices")
        return [dict(r) for r in result]


create = PodProvider
"""The registry's factory (see `posapp.providers.registry`)."""
