"""The payment pull: ask each provider whether the invoices it holds with a payment link (or
holds as paid) were paid, record each payment on the local invoice once, and let the provider
verify and close a paid invoice when the shop enabled that. A payment recorded announces itself
(`InvoicingService.record_link_payment`); each provider state stored announces
`Changes(outbox=True)`."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from posapp.domain.errors import DomainError
from posapp.domain.invoice import InvoiceStatus
from posapp.providers.base import Capability, PaymentStatus, Provider, RemoteState
from posapp.providers.errors import (
    AuthenticationError,
    InvalidStateError,
    ProviderError,
    ProviderValidationError,
)
from posapp.services.changes import OUTBOX_CHANGED
from posapp.services.error_text import error_text
from posapp.services.sync.clients import ProviderUnavailable
from posapp.services.sync.results import SyncSummary
from posapp.services.sync_settings import POD_CLOSE_PAID, POD_VERIFY_PAID
from posapp.storage import outbox
from posapp.storage.outbox import RemoteLink

if TYPE_CHECKING:
    from posapp.services.sync.engine import SyncEngine

log = logging.getLogger(__name__)


def pull_payments(engine: SyncEngine, summary: SyncSummary | None = None) -> SyncSummary:
    """Ask each provider whether open invoices with a payment link were paid, and about every
    invoice it was seen to hold as paid while the till has not recorded that payment; record
    each payment on the local invoice (once) and, when the shop enabled it, let the provider
    verify and close the paid invoice. Returns `summary` extended with what was recorded."""
    started = engine.clock()
    waiting = outbox.links_awaiting_payment(
        engine.db, (RemoteState.PAID.value, RemoteState.CLOSED.value),
        (RemoteState.CANCELLED.value, RemoteState.REPLACED.value),
        [InvoiceStatus.ISSUED.value, InvoiceStatus.PARTLY_PAID.value],
    )
    if engine.providers is not None:
        waiting = [(link, number) for link, number in waiting if link.provider in engine.providers]
    recorded: list[str] = []
    errors: list[tuple[str, str]] = []
    by_provider: dict[str, list[tuple[RemoteLink, str]]] = {}
    for link, number in waiting:
        by_provider.setdefault(link.provider, []).append((link, number))
    for name, links in by_provider.items():
        try:
            with engine.client_pool(name).lease() as client:
                if not client.supports(Capability.PAYMENT_STATUS):
                    continue
                for link, number in links:
                    try:
                        if _pull_one_payment(engine, client, link, number):
                            recorded.append(number)
                    except AuthenticationError:
                        raise
                    except (ProviderError, DomainError) as exc:
                        # one unreadable invoice must not hide the payments of the others
                        log.warning("payment status of %s on %s: %s", number, name, exc)
                        errors.append((name, f"{number}: {exc}"))
        except ProviderUnavailable as exc:
            errors.append((name, str(exc)))
        except AuthenticationError as exc:
            engine.clients.discard(name)  # refused credentials: build afresh next time
            errors.append((name, error_text(exc)))
        except ProviderError as exc:
            errors.append((name, error_text(exc)))
    base = summary or SyncSummary(started_at=started, finished_at=started)
    return SyncSummary(
        started_at=base.started_at, finished_at=engine.clock(), outcomes=base.outcomes,
        provider_errors=base.provider_errors + tuple(errors),
        payments_recorded=base.payments_recorded + tuple(recorded),
    )


def _pull_one_payment(engine: SyncEngine, client: Provider, link: RemoteLink, number: str) -> bool:
    status = client.payment_status(link.remote_id)
    if status.state is RemoteState.PENDING and client.supports(Capability.VERIFY_PAID):
        status = _verify_paid(engine, client, link) or status
    if status.state in (RemoteState.CANCELLED, RemoteState.REPLACED):
        _save_state(engine, link, status.state)
        return False
    if not status.paid:
        return False
    reference = status.reference or f"{link.provider}:{link.remote_id}"
    before = len(engine.services.invoicing.get_by_number(number).payments)
    after = len(engine.services.invoicing.record_link_payment(number, status.amount, reference).payments)
    remote_state = RemoteState.CLOSED if status.state is RemoteState.CLOSED else RemoteState.PAID
    if (client.supports(Capability.CLOSE_PAID) and status.state is RemoteState.PAID
            and engine.services.settings.get(POD_CLOSE_PAID)):
        try:
            client.close_paid(link.remote_id)
            remote_state = RemoteState.CLOSED
        except (InvalidStateError, ProviderValidationError) as exc:
            log.warning("closing Pod invoice %s refused: %s", link.remote_id, exc)
    _save_state(engine, link, remote_state)
    return after > before


def _save_state(engine: SyncEngine, link: RemoteLink, state: RemoteState) -> None:
    """Store what the provider now holds the invoice as, and say so."""
    outbox.save_link(engine.db, link.provider, link.invoice_id, engine.clock(), remote_state=state.value)
    engine.db.changes.publish(OUTBOX_CHANGED)


def _verify_paid(engine: SyncEngine, client: Provider, link: RemoteLink) -> PaymentStatus | None:
    """A paid Pod invoice waiting for verification (three-step payment): verify it when the
    shop enabled that, so the money is not returned to the customer after an hour."""
    if not engine.services.settings.get(POD_VERIFY_PAID):
        return None
    try:
        return client.verify_paid(link.remote_id)
    except (InvalidStateError, ProviderValidationError) as exc:
        log.warning("verifying Pod invoice %s refused: %s", link.remote_id, exc)
        return None

# -- catalogue pull --------------------------------------------------------------------------
