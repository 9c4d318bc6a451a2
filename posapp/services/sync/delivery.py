"""Delivery: one outbox row through one provider client, one method per operation, each
coming to a `Decision` the drain writes down with its wave."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from posapp.domain.errors import DomainError
from posapp.domain.invoice import (
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    PaymentMethod,
    held_quantities,
    kept_part,
    make_return,
)
from posapp.domain.money import ZERO
from posapp.domain.payment_links import check_payment_link
from posapp.domain.sync import (
    OutboxItem,
    OutboxOperation,
    OutboxState,
    document_key,
    received_amounts,
    undoing_key,
)
from posapp.providers.base import Capability, Provider, RemoteInvoice, RemoteState
from posapp.providers.errors import (
    AuthenticationError,
    DuplicateError,
    InvalidStateError,
    NetworkError,
    ProviderError,
    ProviderValidationError,
    RateLimitedError,
    RemoteNotFoundError,
    UnsupportedOperationError,
)
from posapp.services.error_text import error_text, scrubbed
from posapp.services.invoicing import InvoicingService
from posapp.services.payment_links import delivered_copy, link_for
from posapp.services.sync.leases import LeaseLapsed, LeaseLost
from posapp.services.sync.policy import Clock, SyncPolicy
from posapp.services.sync.results import Decision, ItemResult
from posapp.services.sync.texts import manual_text, mismatch_text, unsupported_text
from posapp.storage import outbox
from posapp.storage.engine import Database
from posapp.storage.outbox import LinkUpdate, Settlement

log = logging.getLogger(__name__)


class Delivery:
    """Sends one outbox row through one provider client and comes to a `Decision`; the drain
    writes the decisions of a wave down together."""

    def __init__(self, invoicing: InvoicingService, db: Database, clock: Clock, policy: SyncPolicy,
                 retry_delay: Callable[[int], timedelta]) -> None:
        self.invoicing = invoicing
        self.db = db
        self.clock = clock
        self.policy = policy
        self.retry_delay = retry_delay
        """The backoff before the next attempt, given the attempts so far (jittered)."""

    def deliver(self, client: Provider, item: OutboxItem) -> Decision:
        handlers = {
            OutboxOperation.ISSUE: self._issue,
            OutboxOperation.CANCEL: self._cancel,
            OutboxOperation.RETURN: self._return,
            OutboxOperation.REDUCE: self._reduce,
            OutboxOperation.PAYMENT_LINK: self._payment_link,
            OutboxOperation.PAYMENT: self._payment,
        }
        try:
            invoice = self.load_invoice(item.invoice_id)
            return handlers[item.operation](client, item, invoice)
        except UnsupportedOperationError as exc:
            return self._failed(item, ItemResult.UNSUPPORTED, unsupported_text(item, exc))
        except AuthenticationError as exc:
            return self._retry(item, error_text(exc), provider_unavailable=True)
        except RateLimitedError as exc:
            return self._retry(item, error_text(exc), at_least=exc.retry_after)
        except (ProviderValidationError, InvalidStateError, RemoteNotFoundError, DuplicateError) as exc:
            return self._failed(item, ItemResult.REJECTED, error_text(exc))
        except NetworkError as exc:
            # never reached (no connection): the shop is offline, which is no fault of the row
            return self._retry(item, error_text(exc), unreached=not exc.maybe_committed)
        except ProviderError as exc:
            if exc.retryable or exc.maybe_committed:
                return self._retry(item, error_text(exc))
            # a refusal in the provider's own words (a code posapp does not know): final
            return self._failed(item, ItemResult.REJECTED, error_text(exc))
        except DomainError as exc:
            return self._failed(item, ItemResult.REJECTED, f"{exc.message_fa} / {exc.message_en}")
        except (LeaseLost, LeaseLapsed):
            raise
        except Exception as exc:
            log.exception("sending outbox row %s failed unexpectedly", item.id)
            return self._retry(item, scrubbed(f"{type(exc).__name__}: {exc}"))

    # -- reading invoices ------------------------------------------------------------------------

    def load_invoice(self, invoice_id: int) -> Invoice:
        invoice: Invoice = self.invoicing.get(invoice_id)
        return invoice

    def kept_after_returns(self, sale: Invoice) -> Invoice | None:
        """What `sale` holds once every return of it that stands is taken off (a cancelled
        return no longer counts), as a correction of it with the lines still kept, in the
        sale's order; None when everything came back. A return's row may reach the provider
        after a reduction replaced the sale here: the sale's copy there still follows its
        returns, so the sale is read as the open sale it was."""
        returned = self.invoicing.returned_quantities(sale.number or "")
        if not held_quantities(sale, returned):
            return None
        return replace(kept_part(replace(sale, status=InvoiceStatus.PAID), returned), number=sale.number)

    def load_original(self, correction: Invoice) -> Invoice:
        """The sale a return or reduction corrects."""
        if not correction.original_number:
            raise DomainError("اصلاحیه به فاکتور اصلی اشاره نمی‌کند",
                              "the correction does not reference its original invoice")
        original: Invoice = self.invoicing.get_by_number(correction.original_number)
        return original

    # -- status pull -----------------------------------------------------------------------------

    # -- operations ------------------------------------------------------------------------------

    def _issue(self, client: Provider, item: OutboxItem, invoice: Invoice) -> Decision:
        remote = self._create_once(client, item, invoice,
                                   lambda key: client.push_invoice(invoice, key))
        return self._created(client, item, invoice, remote, [_link_update(invoice, remote)])

    def _cancel(self, client: Provider, item: OutboxItem, invoice: Invoice) -> Decision:
        if invoice.kind is InvoiceKind.RETURN:
            return self._cancel_return(client, item, invoice)
        if not client.supports(Capability.CANCEL_INVOICE):
            return self._failed(item, ItemResult.UNSUPPORTED, manual_text(
                item, "ابطال", "cancellation"))
        stored = self._remote_of(item.provider, invoice)
        if stored is None:
            return self._missing_original(item, invoice)
        if stored.state in (RemoteState.CANCELLED, RemoteState.REPLACED):
            return self._done(item, [])
        if item.outcome_may_be_unknown and client.supports(Capability.FIND_INVOICE):
            current = client.find_invoice(stored.key)
            if current is not None and current.state in (RemoteState.CANCELLED, RemoteState.REPLACED):
                return self._done(item, [_link_update(invoice, current)])
        if client.supports(Capability.PUSH_RETURN):
            try:
                held = client.received_amount(stored)
            except RemoteNotFoundError:  # an earlier attempt whose answer was lost deleted it
                return self._done(item, [LinkUpdate(invoice.id or item.invoice_id,
                                                    remote_state=RemoteState.CANCELLED.value)])
            if held is not None and held > ZERO:
                return self._cancel_paid_as_return(client, item, invoice, stored, held)
        cancelled = client.cancel_invoice(stored, invoice.cancel_reason or "ابطال در صندوق")
        return self._done(item, [LinkUpdate(invoice.id or item.invoice_id,
                                            remote_state=cancelled.state.value)])

    def _cancel_paid_as_return(self, client: Provider, item: OutboxItem, sale: Invoice,
                               stored: RemoteInvoice, held: Decimal) -> Decision:
        """A sale the provider holds money against (Hesabfa with receipts) is not deleted: a
        delete would take the receipts with it. It is reversed by a sales return of the whole
        sale under the key `NUMBER-C` (the provider's own reference scheme carries it: Hesabfa
        numbers the return itself), exactly once, so the provider keeps the money received and
        owes it back."""
        reversal = make_return(replace(sale, status=InvoiceStatus.PAID),
                               {index: line.quantity for index, line in enumerate(sale.lines)})
        reversal = replace(reversal, notes=f"ابطال {sale.number}: {sale.cancel_reason}".strip(),
                           issued_at=sale.cancelled_at or sale.issued_at)
        key = undoing_key(sale)
        remote = self._create_once(client, item, reversal,
                                   lambda return_key: client.push_return(reversal, stored, return_key), key=key)
        links = [LinkUpdate(sale.id or item.invoice_id, remote_state=RemoteState.CANCELLED.value)]
        return self._created(client, item, reversal, remote, links, (
            f"سامانه {held} ریال دریافتی برای این فاکتور دارد؛ ابطال به‌صورت برگشت از فروش کامل "
            f"{key} فرستاده شد / the provider holds {held} Rial received on it; the cancellation "
            f"went as a full sales return {key}"))

    def _cancel_return(self, client: Provider, item: OutboxItem, invoice: Invoice) -> Decision:
        """A return the shop cancelled. Where returns are documents of their own (Hesabfa) the
        return is taken back; where the sale itself was changed (Pod) the sale's Pod copy is
        brought back to what the till now holds."""
        original = self.load_original(invoice)
        if client.supports(Capability.PUSH_RETURN):
            stored = self._remote_of(item.provider, invoice)
            if stored is None:
                return self._done(item, [], "برگشت به این سامانه نرسیده بود / the return never reached it")
            cancelled = client.cancel_return(stored, invoice.cancel_reason or "ابطال برگشت")
            return self._done(item, [LinkUpdate(invoice.id or item.invoice_id,
                                                remote_state=cancelled.state.value)])
        if client.supports(Capability.REISSUE_INVOICE):
            return self._match_copy(client, item, original, invoice, undoing_key(invoice))
        return self._failed(item, ItemResult.UNSUPPORTED, manual_text(
            item, "ابطال برگشت از فروش", "cancellation of a return"))

    def _return(self, client: Provider, item: OutboxItem, invoice: Invoice) -> Decision:
        original = self.load_original(invoice)
        original_remote = self._remote_of(item.provider, original)
        if original_remote is None:
            return self._missing_original(item, original)
        if client.supports(Capability.PUSH_RETURN):
            remote = self._create_once(client, item, invoice,
                                       lambda key: client.push_return(invoice, original_remote, key))
            return self._created(client, item, invoice, remote, [_link_update(invoice, remote)])
        if client.supports(Capability.REISSUE_INVOICE):
            return self._match_copy(client, item, original, invoice, document_key(invoice))
        return self._failed(item, ItemResult.UNSUPPORTED, manual_text(
            item, "برگشت از فروش", "return"))

    def _match_copy(self, client: Provider, item: OutboxItem, sale: Invoice, document: Invoice,
                    new_key: str) -> Decision:
        """A provider without returns (`Capability.REISSUE_INVOICE`, Pod): its copy of `sale` is
        brought to what the till holds now, the sale less every return that stands (a cancelled
        one no longer counts), whichever correction row gets here first; the later ones find
        nothing left to do. Pod's document says how: an unpaid copy is cancelled and a new one
        issued under `new_key` (the old bill number stays with the cancelled copy); a paid one is
        reduced (Pod refuses that on an unpaid invoice); a paid copy cannot grow (a cancelled
        return): Pod wants a separate invoice the customer pays again, which a person must
        arrange. A new copy at another payable than the provider should hold fails like any
        delivery (`_created`)."""
        stored = self._remote_of(item.provider, sale)
        if stored is None:
            return self._missing_original(item, sale)
        copy = client.current_copy(stored, new_key)
        current = copy.remote
        kept = self.kept_after_returns(sale)
        if kept is None:
            if current.state not in (RemoteState.CANCELLED, RemoteState.REPLACED):
                current = client.cancel_invoice(current, f"برگشت کامل با {document.number}")
            return self._copy_settled(client, item, sale, document, replace(current, state=RemoteState.CANCELLED))
        wanted = tuple(line.quantity for line in kept.lines)
        if copy.quantities == wanted and current.state is not RemoteState.CANCELLED:
            return self._copy_settled(client, item, sale, document, current)
        if current.state in (RemoteState.CLOSED, RemoteState.PENDING, RemoteState.CANCELLED,
                             RemoteState.REPLACED):
            return self._failed(item, ItemResult.REJECTED, (
                f"فاکتور پاد این فروش ({current.remote_id}) {current.state} است و تغییر نمی‌کند؛ آن را در "
                f"پنل پاد درست کنید و این مورد را رد کنید / Pod's invoice {current.remote_id} for this "
                f"sale is {current.state} and cannot be changed; correct it in Pod's panel, then skip this"))
        if current.state is RemoteState.OPEN:
            client.cancel_invoice(current, f"اصلاح با {document.number}")
            reissued = self._reissue(client, item, kept, new_key)
            return self._copy_settled(client, item, sale, document, reissued, made=kept)
        if len(wanted) != len(copy.quantities) or any(
                now > before for now, before in zip(wanted, copy.quantities, strict=True)):
            return self._failed(item, ItemResult.REJECTED, (
                f"فاکتور پاد این فروش ({current.remote_id}) پرداخت شده است و پاد افزایش یا حذف ردیف آن را "
                "نمی‌پذیرد؛ به گفتهٔ مستند پاد برای مبلغ افزوده فاکتور جداگانه‌ای صادر و مشتری را برای "
                f"پرداخت راهنمایی کنید، سپس این مورد را رد کنید / Pod's invoice {current.remote_id} for "
                "this sale is paid, and Pod cannot raise it or drop a line; its document says to issue "
                "a separate invoice for the added amount and have the customer pay it, then skip this"))
        # the copy's items are the kept lines in the sale's order: pair them by position
        by_position = replace(kept, lines=tuple(replace(line, origin_line=position)
                                                for position, line in enumerate(kept.lines)))
        return self._copy_settled(client, item, sale, document,
                                  client.reduce_invoice(by_position, current, current.key), made=kept)

    def _copy_settled(self, client: Provider, item: OutboxItem, sale: Invoice, document: Invoice,
                      current: RemoteInvoice, made: Invoice | None = None) -> Decision:
        """The sale's link follows its current remote copy; the correction notes which copy it
        left. A copy made now (`made`: what it should hold) is checked like any other created
        document (`_created`)."""
        updates = [LinkUpdate(sale.id or 0, remote_id=current.remote_id, remote_key=current.key,
                              remote_state=current.state.value)]
        if document.id != sale.id:
            updates.append(LinkUpdate(document.id or item.invoice_id, remote_id=current.remote_id,
                                      remote_state=(RemoteState.CANCELLED.value
                                                    if document.status is InvoiceStatus.CANCELLED
                                                    else RemoteState.REPLACED.value)))
        if made is not None:
            return self._created(client, item, made, current, updates)
        return self._done(item, updates)

    def _reduce(self, client: Provider, item: OutboxItem, invoice: Invoice) -> Decision:
        original = self.load_original(invoice)
        original_remote = self._remote_of(item.provider, original)
        if original_remote is None:
            return self._missing_original(item, original)
        if not client.supports(Capability.REDUCE_INVOICE):
            payable = invoice.totals.payable
            return self._failed(item, ItemResult.UNSUPPORTED, manual_text(
                item, "کاهش مبلغ فاکتور", "reduction") + (
                f" — فاکتور کاهشی {invoice.number} آنچه از {original.number} پس از برگشت‌هایش نزد مشتری "
                f"مانده را به {payable} ریال می‌رساند / reduction {invoice.number} brings what the "
                f"customer kept of {original.number} after its returns to {payable} Rial"))
        if client.supports(Capability.REISSUE_INVOICE):
            copy = client.current_copy(original_remote, document_key(invoice))
            if copy.remote.key == document_key(invoice) or copy.remote.replaces == original_remote.remote_id:
                remote = copy.remote  # an earlier attempt went through
            elif copy.remote.state is RemoteState.OPEN:
                # Pod reduces paid invoices only; an unpaid one is cancelled and issued anew
                client.cancel_invoice(copy.remote, f"کاهش با {invoice.number}")
                remote = self._reissue(client, item, invoice, document_key(invoice))
            else:
                remote = client.reduce_invoice(self._numbered_as_copy(original, invoice, len(copy.quantities)),
                                               copy.remote, document_key(invoice))
        else:
            remote = client.reduce_invoice(invoice, original_remote, document_key(invoice))
        updates = [_link_update(invoice, remote),
                   LinkUpdate(original.id or 0, remote_state=RemoteState.REPLACED.value)]
        return self._created(client, item, invoice, remote, updates)

    @staticmethod
    def _numbered_as_copy(sale: Invoice, reduction: Invoice, copy_items: int) -> Invoice:
        """`reduction` with each line pointing at the item of the provider's copy it lowers. A
        copy that still holds every line of the sale has them in the sale's order; one that
        followed the sale's returns (`_match_copy`) holds the lines the customer kept, in the
        sale's order, which are the reduction's lines. A copy holding neither (a return not
        delivered there yet) is refused, for the cashier."""
        if copy_items == len(sale.lines):
            return reduction
        kept = sorted(line.origin_line or 0 for line in reduction.lines)
        if copy_items != len(kept):
            raise DomainError(
                "نسخه این فروش در سامانه با آنچه پس از برگشت‌ها مانده نمی‌خواند؛ نخست برگشت‌ها را بفرستید، سپس "
                "این مورد را دوباره امتحان کنید",
                "the provider's copy of this sale does not match what is left after its returns; send "
                "the returns first, then retry this")
        position = {origin: index for index, origin in enumerate(kept)}
        return replace(reduction, lines=tuple(replace(line, origin_line=position[line.origin_line or 0])
                                              for line in reduction.lines))

    def _payment_link(self, client: Provider, item: OutboxItem, invoice: Invoice) -> Decision:
        if not client.supports(Capability.PAYMENT_LINK):
            return self._failed(item, ItemResult.UNSUPPORTED, manual_text(
                item, "لینک پرداخت", "payment link"))
        can_find = client.supports(Capability.FIND_INVOICE)
        existing = self._remote_of(item.provider, invoice)
        if existing is None and item.outcome_may_be_unknown and can_find:
            existing = client.find_invoice(document_key(invoice))
        link = link_for(client, invoice, document_key(invoice), existing)
        expected = client.expected_payable(invoice)
        if link.amount != expected:
            return self._failed(item, ItemResult.REJECTED, mismatch_text(item.provider, link.amount, expected),
                                [LinkUpdate(invoice.id or item.invoice_id, remote_id=link.remote_id,
                                            remote_state=RemoteState.OPEN.value)])
        url = check_payment_link(item.provider, link.url)
        return self._done(item, [LinkUpdate(invoice.id or item.invoice_id, remote_id=link.remote_id,
                                            link=url, remote_state=RemoteState.OPEN.value,
                                            printed_link=True)])

    def _payment(self, client: Provider, item: OutboxItem, invoice: Invoice) -> Decision:
        """A receipt for one money payment of a sale, after the sale itself (the outbox order
        holds it back until the issue row is settled). Providers without receipts (Pod, PayPing,
        Hesabit) learn payments through their own links: the row is done with nothing sent.

        Exactly once: a provider whose receipts carry no key (Hesabfa) is asked what it holds as
        received before a resend, and before a link payment (the customer may have paid on the
        provider's own page); when that covers every payment up to this one, it is not sent."""
        if not client.supports(Capability.RECORD_PAYMENT):
            return self._nothing_to_send(item, (
                f"سامانه {item.provider} دریافت جداگانه نمی‌گیرد / {item.provider} keeps no "
                "receipts; nothing to send"))
        received = received_amounts(invoice)
        position = item.payment_position
        if not 0 <= position < len(invoice.payments):
            raise DomainError(f"پرداخت شماره {position + 1} در فاکتور {invoice.number} نیست",
                              f"invoice {invoice.number} has no payment number {position + 1}")
        amount = received[position]
        if amount <= 0:
            return self._nothing_to_send(item, (
                "با کسر پولی که به مشتری پس داده شد این پرداخت چیزی به فاکتور نمی‌افزاید / after the change "
                "given back this payment adds nothing to the invoice; nothing to send"))
        remote = self._remote_of(item.provider, invoice)
        if remote is None:
            return self._failed(item, ItemResult.REJECTED, (
                f"فاکتور {invoice.number} به این سامانه ارسال نشده است؛ دریافت را همان‌جا دستی ثبت "
                f"کنید و این مورد را رد کنید / invoice {invoice.number} was never delivered to this "
                "provider; record the payment there by hand and skip this"))
        if remote.state in (RemoteState.CANCELLED, RemoteState.REPLACED) or self._cancel_queued(item):
            # a receipt would only stand in the way: Hesabfa refuses to delete a paid invoice
            return self._nothing_to_send(item, (
                f"فاکتور {invoice.number} ابطال شده است؛ دریافت آن فرستاده نمی‌شود / invoice "
                f"{invoice.number} is cancelled; its payment is not sent"))
        payment = invoice.payments[position]
        if item.outcome_may_be_unknown or payment.method is PaymentMethod.LINK:
            held = client.received_amount(remote)
            covered = sum(received[:position + 1], ZERO)
            if held is not None and held >= covered:
                return self._done(item, [], (
                    f"این پرداخت پیش‌تر در سامانه ثبت شده بود / the provider already held this "
                    f"payment ({held} Rial received)"))
        client.record_payment(remote, replace(payment, amount=amount),
                              item.idempotency_key)
        return self._done(item, [])

    def _cancel_queued(self, item: OutboxItem) -> bool:
        """Whether the sale's cancellation for this provider is queued (it follows this row)."""
        return any(other.operation is OutboxOperation.CANCEL
                   for other in outbox.items(self.db, provider=item.provider,
                                                 invoice_id=item.invoice_id))

    # -- exactly once ----------------------------------------------------------------------------

    def _reissue(self, client: Provider, item: OutboxItem, invoice: Invoice, key: str) -> RemoteInvoice:
        """A new copy of a sale under `key`, exactly once (see `_create_once`)."""
        return self._create_once(client, item, invoice, lambda new_key: client.reissue_invoice(invoice, new_key),
                                 key=key)

    def _create_once(self, client: Provider, item: OutboxItem, invoice: Invoice,
                     create: Callable[[str], RemoteInvoice], *, key: str | None = None) -> RemoteInvoice:
        """Create a remote document under `key` (the invoice's own key by default), exactly
        once: when an earlier attempt may have reached the provider, ask first; a duplicate
        answer is settled by the same lookup."""
        key = key or document_key(invoice)
        can_find = client.supports(Capability.FIND_INVOICE)
        if item.outcome_may_be_unknown and can_find:
            existing = client.find_invoice(key)
            if existing is not None:
                return client.resume_push(invoice, existing)
        try:
            return create(key)
        except DuplicateError as exc:
            existing = client.find_invoice(key) if can_find else None
            if existing is not None:
                return existing
            if exc.existing_id:
                return RemoteInvoice(provider=item.provider, remote_id=exc.existing_id, key=key,
                                     number=invoice.number or "", payable=invoice.totals.payable,
                                     state=RemoteState.OPEN)
            raise

    def _remote_of(self, provider: str, invoice: Invoice) -> RemoteInvoice | None:
        """The remote copy of a delivered invoice, from what was stored when it was sent."""
        return delivered_copy(self.db, provider, invoice)

    def _missing_original(self, item: OutboxItem, original: Invoice) -> Decision:
        return self._failed(item, ItemResult.REJECTED, (
            f"فاکتور اصلی {original.number} به این سامانه ارسال نشده است؛ اصلاحیه را همان‌جا "
            f"دستی ثبت کنید و این مورد را رد کنید / the original invoice {original.number} was "
            "never delivered to this provider; enter the correction there by hand and skip this"))

    # -- settling (the caller writes the whole batch in one transaction) ---------------------------

    def _created(self, client: Provider, item: OutboxItem, invoice: Invoice, remote: RemoteInvoice,
                 links: list[LinkUpdate], note: str = "") -> Decision:
        """The one amount-mismatch policy, for every provider: a document the provider holds at
        another payable than it should (`Provider.expected_payable`) fails for the cashier, its
        remote copy remembered so a retry finds it instead of creating another."""
        expected = client.expected_payable(invoice)
        if remote.payable != expected:
            return self._failed(item, ItemResult.REJECTED, mismatch_text(item.provider, remote.payable, expected),
                                links)
        return self._done(item, links, note)

    def _done(self, item: OutboxItem, links: list[LinkUpdate], note: str = "") -> Decision:
        return Decision(ItemResult.DELIVERED, Settlement(item, OutboxState.DONE, note, links=tuple(links)))

    def _nothing_to_send(self, item: OutboxItem, note: str) -> Decision:
        return Decision(ItemResult.SKIPPED, Settlement(item, OutboxState.DONE, note))

    def _failed(self, item: OutboxItem, result: ItemResult, message: str,
                links: list[LinkUpdate] | None = None) -> Decision:
        return Decision(result, Settlement(item, OutboxState.FAILED, message, links=tuple(links or ())))

    def lost(self, item: OutboxItem) -> Decision:
        """Another worker holds the row now; the settlement below is refused by `settle`."""
        return Decision(ItemResult.LOST_LEASE, Settlement(item, OutboxState.PENDING, ""))

    def lapsed(self, item: OutboxItem) -> Decision:
        return self._retry(item, (
            "مهلت این کار دو بار پیش از ارسال گذشت؛ دوباره تلاش می‌شود / the row's lease ran out "
            "twice before sending; it will be tried again"))

    def _retry(self, item: OutboxItem, message: str, at_least: float | None = None, *,
               provider_unavailable: bool = False, unreached: bool = False) -> Decision:
        if not (provider_unavailable or unreached) and item.tries >= self.policy.max_tries:
            return self._failed(item, ItemResult.REJECTED, (
                f"{message} — پس از {item.tries} تلاش رها شد؛ علت را بررسی و دوباره تلاش کنید / "
                f"gave up after {item.tries} tries; check the cause, then retry"))
        delay = self.retry_delay(item.tries)
        if at_least is not None:
            delay = max(delay, timedelta(seconds=at_least))
        return Decision(ItemResult.RETRYING, Settlement(
            item, OutboxState.PENDING, message, retry_at=self.clock() + delay,
            unreached=unreached), provider_unavailable=provider_unavailable)


def _link_update(invoice: Invoice, remote: RemoteInvoice) -> LinkUpdate:
    link = remote.link or None
    return LinkUpdate(invoice.id or 0, remote_id=remote.remote_id, link=link,
                      remote_state=remote.state.value)

