"""Receipts straight to an ESC/POS printer, against a fake network printer on 127.0.0.1.

The bytes the fake recorded are decoded back into commands: the raster image must match the
print preview's own rendering of the same receipt at the printer's width, the drawer pulse and
the cut must be the configured ones, and a printer that refuses, never reads or hangs up
part-way must neither block nor lose the sale: the job fails with a clear message and prints
on retry.
"""

from __future__ import annotations

import threading
import time

import pytest
from PIL import Image, ImageChops
from PySide6.QtGui import QImage

from posapp.hardware.print_queue import JobKind, JobState, PrintQueue
from posapp.hardware.raster import TEXT_THRESHOLD
from posapp.hardware.transport import stalled
from posapp.hardware.uri import parse_printer_uri
from posapp.services.counter import (
    DRAWER_AUDIT_ACTION,
    CounterService,
    DrawerReasonMissingError,
    NoEscposPrinterError,
    takes_cash,
)
from posapp.settings.documents import RECEIPT_PRINTER, RECEIPT_WIDTH_MM, DocumentKind
from posapp.settings.hardware import (
    DRAWER_KICK_PIN,
    DRAWER_OPENS_ON_CASH,
    DRAWER_PULSE_OFF_MS,
    DRAWER_PULSE_ON_MS,
    ESCPOS_CUT,
    ESCPOS_TIMEOUT_SECONDS,
)
from posapp.settings.ui import CASHIER_NAME
from posapp.storage.models import AuditRow
from tests.fakes.escpos_printer import Behaviour, FakeEscposPrinter, decode, refusing_port
from tests.shop_data import sale_draft

WAIT = 20.0


@pytest.fixture
def counter(services):
    counter = CounterService(services.documents, services.settings, services.database)
    yield counter
    counter.close()


@pytest.fixture
def sale(services, products):
    draft = sale_draft(services, products)
    return services.invoicing.issue(draft.with_changes(payments=()))


def preview_page(pdf: bytes, dot_width: int, printable_mm: float) -> Image.Image:
    """The print preview's rendering (posapp.ui.printing.rasterise, through Qt) of the whole
    page at the printer's resolution, in grey."""
    from posapp.ui.printing import rasterise

    dpi = dot_width / printable_mm * 25.4
    image: QImage = rasterise(pdf, dpi)[0].convertToFormat(QImage.Format.Format_Grayscale8)
    return Image.frombuffer("L", (image.width(), image.height()), bytes(image.constBits()),
                            "raw", "L", image.bytesPerLine(), 1)


def best_difference(printed: Image.Image, page: Image.Image, dot_width: int, shift: int = 1) -> float:
    """The share of dots where `printed` and the page's printable strip (thresholded for text)
    differ, at the best alignment within `shift` dots (the two rasterisers round the page's
    position differently by up to a dot)."""
    left = (page.width - dot_width) // 2
    return min(
        differing_share(printed, page.crop((left + dx, dy, left + dx + dot_width, page.height + dy))
                        .point(lambda v: 255 if v > TEXT_THRESHOLD else 0))
        for dx in range(-shift, shift + 1) for dy in range(-shift, shift + 1))


def differing_share(first: Image.Image, second: Image.Image) -> float:
    height = min(first.height, second.height)
    a, b = (image.convert("L").crop((0, 0, image.width, height)) for image in (first, second))
    differing = ImageChops.difference(a, b).point(lambda v: 255 if v > 127 else 0)
    return differing.histogram()[255] / (a.width * height)


def ink_share(image: Image.Image) -> float:
    return image.convert("L").histogram()[0] / (image.width * image.height)


@pytest.mark.parametrize(("paper", "dots"), [(80, 576), (58, 384)])
def test_the_printed_raster_is_the_previewed_receipt(services, counter, sale, paper, dots):
    services.settings.set(RECEIPT_WIDTH_MM, paper)
    services.settings.set(ESCPOS_CUT, "full")
    with FakeEscposPrinter() as printer:
        services.settings.set(RECEIPT_PRINTER, printer.uri)
        job = counter.print_receipt(sale)
        assert counter.queue.wait_idle(WAIT)
        assert printer.done.wait(WAIT)
    assert counter.queue.jobs()[0].state is JobState.PRINTED, counter.queue.jobs()[0].error
    assert job.kind is JobKind.RECEIPT
    assert job.reference == sale.number
    decoded = decode(printer.received)
    assert decoded.order[0] == "init"
    assert decoded.order[-1] == "cut"
    assert decoded.kicks == []  # paid by nobody yet: no cash, no drawer
    assert decoded.cuts == [0]
    assert len(decoded.bands) > 1
    assert all(width == dots // 8 for width, _ in decoded.bands)
    assert all(rows <= 256 for _, rows in decoded.bands)
    assert decoded.image is not None
    assert decoded.image.width == dots

    pdf = services.documents.render(sale, DocumentKind.RECEIPT).pdf
    page = preview_page(pdf, dots, 72 if paper == 80 else 48)
    assert abs(page.height - decoded.image.height) <= 2
    assert best_difference(decoded.image, page, dots) < 0.02
    # The comparison can tell receipts apart: one dot-row band lower, it no longer matches.
    lowered = Image.new("1", decoded.image.size, 1)
    lowered.paste(decoded.image, (0, 12))
    assert best_difference(lowered, page, dots) > 0.04
    assert 0.03 < ink_share(decoded.image) < 0.5  # a receipt, not a blank or black slip


def test_a_cash_sale_opens_the_drawer_with_the_configured_pulse_and_cut(services, counter, products):
    draft = sale_draft(services, products)
    paid = services.invoicing.issue(draft.with_changes(
        payments=(sale_draft(services, products, cash=draft.totals.payable).payments)))
    assert takes_cash(paid)
    services.settings.set(DRAWER_KICK_PIN, 5)
    services.settings.set(DRAWER_PULSE_ON_MS, 120)
    services.settings.set(DRAWER_PULSE_OFF_MS, 240)
    services.settings.set(ESCPOS_CUT, "partial")
    with FakeEscposPrinter() as printer:
        services.settings.set(RECEIPT_PRINTER, printer.uri)
        counter.print_receipt(paid)
        assert counter.queue.wait_idle(WAIT)
        assert printer.done.wait(WAIT)
    decoded = decode(printer.received)
    assert decoded.kicks == [(1, 60, 120)]  # pin 5 is m=1; times in 2 ms units
    assert decoded.order.index("kick") < decoded.order.index("raster")
    assert decoded.cuts == [1]
    assert printer.received.endswith(b"\x1dV\x01")

    services.settings.set(DRAWER_OPENS_ON_CASH, False)
    with FakeEscposPrinter() as printer:
        services.settings.set(RECEIPT_PRINTER, printer.uri)
        counter.print_receipt(paid)
        assert counter.queue.wait_idle(WAIT)
        assert printer.done.wait(WAIT)
    assert decode(printer.received).kicks == []


def test_open_drawer_is_recorded_with_who_and_why(services, counter):
    services.settings.set(CASHIER_NAME, "مریم")
    with FakeEscposPrinter() as printer:
        services.settings.set(RECEIPT_PRINTER, printer.uri)
        with pytest.raises(DrawerReasonMissingError):
            counter.open_drawer("   ")
        counter.open_drawer("  پول خرد برای   مشتری ")
        assert counter.queue.wait_idle(WAIT)
        assert printer.done.wait(WAIT)
    assert printer.received == b"\x1bp\x00\x32\x32"  # pin 2, 100 ms on, 100 ms off
    with services.database.read() as session:
        rows = session.query(AuditRow).filter_by(action=DRAWER_AUDIT_ACTION).all()
    assert [(row.actor, row.details, row.subject) for row in rows] == [
        ("مریم", "پول خرد برای مشتری", "till:1")]


def test_a_system_printer_is_not_sent_escpos(services, counter, sale):
    services.settings.set(RECEIPT_PRINTER, "EPSON_TM_T20")
    with pytest.raises(NoEscposPrinterError):
        counter.print_receipt(sale)


def _failed(counter):
    assert counter.queue.wait_idle(WAIT)
    [job] = counter.queue.jobs()
    assert job.state is JobState.FAILED
    return job


def test_a_refusing_printer_fails_and_the_receipt_waits(services, counter, sale):
    services.settings.set(RECEIPT_PRINTER, f"tcp://127.0.0.1:{refusing_port()}")
    counter.print_receipt(sale)
    job = _failed(counter)
    assert "cannot be reached" in job.error.message_en
    assert "در دسترس نیست" in job.error.message_fa
    assert services.invoicing.get_by_number(sale.number).number == sale.number


def test_a_printer_that_never_reads_times_out_then_prints_on_retry(services, counter, sale):
    services.settings.set(ESCPOS_TIMEOUT_SECONDS, 1.0)
    with FakeEscposPrinter(Behaviour.NEVER_READS) as stuck:
        services.settings.set(RECEIPT_PRINTER, stuck.uri)
        counter.print_receipt(sale)
        job = _failed(counter)
    assert "stopped taking data" in job.error.message_en
    assert 0 < job.error.sent < len(counter.queue._data[job.id])
    with FakeEscposPrinter() as printer:
        # The printer came back at the same address: the same bytes go again.
        counter.queue._jobs[job.id] = type(job)(**{**job.__dict__, "uri": parse_printer_uri(printer.uri)})
        assert counter.queue.retry(job.id) is not None
        assert counter.queue.wait_idle(WAIT)
        assert printer.done.wait(WAIT)
    [again] = counter.queue.jobs()
    assert again.state is JobState.PRINTED
    assert again.attempts == 2
    assert decode(printer.received).cuts


def test_a_printer_that_hangs_up_mid_receipt_reports_it(services, counter, sale):
    with FakeEscposPrinter(Behaviour.CLOSES_AFTER, close_after=6000) as printer:
        services.settings.set(RECEIPT_PRINTER, printer.uri)
        counter.print_receipt(sale)
        job = _failed(counter)
    assert "part-way" in job.error.message_en
    assert len(printer.received) == 6000


def test_the_queue_retries_failed_jobs_reprints_printed_ones_and_sends_one_at_a_time():
    sent: list[bytes] = []
    active = {"now": 0, "most": 0}
    fail_once = {b"second"}

    def sender(uri, data, timeout):
        active["now"] += 1
        active["most"] = max(active["most"], active["now"])
        time.sleep(0.02)
        active["now"] -= 1
        if data in fail_once:
            fail_once.discard(data)
            raise stalled(uri, 0)
        sent.append(data)

    queue = PrintQueue(sender=sender)
    uri = parse_printer_uri("tcp://127.0.0.1:9")
    try:
        first = queue.submit(JobKind.RECEIPT, "1", uri, lambda: b"first", 1)
        second = queue.submit(JobKind.RECEIPT, "2", uri, lambda: b"second", 1)
        third = queue.submit(JobKind.DRAWER, "3", uri, lambda: b"third", 1)
        assert queue.wait_idle(5)
        assert [job.state for job in queue.jobs()] == [JobState.PRINTED, JobState.FAILED, JobState.PRINTED]
        assert [job.id for job in queue.retry_failed()] == [second.id]
        assert queue.wait_idle(5)
        assert queue.retry(first.id) is not None  # a reprint: the same bytes again
        assert queue.wait_idle(5)
        assert sent == [b"first", b"third", b"second", b"first"]
        assert active["most"] == 1
        assert queue.discard(third.id)
        assert [job.id for job in queue.jobs()] == [first.id, second.id]
        assert queue.retry(third.id) is None
    finally:
        queue.close()


def test_the_caller_never_waits_for_rendering_or_the_printer(services, sale):
    release = threading.Event()
    sending = threading.Event()

    def stuck_printer(uri, data, timeout):
        sending.set()
        release.wait(WAIT)

    counter = CounterService(services.documents, services.settings, services.database,
                             PrintQueue(sender=stuck_printer))
    try:
        services.settings.set(RECEIPT_PRINTER, "tcp://127.0.0.1:9100")
        job = counter.print_receipt(sale)  # returns before the receipt is even rendered
        assert job.state is JobState.WAITING
        assert sending.wait(WAIT)
        assert [j.state for j in counter.queue.jobs()] == [JobState.SENDING]
        release.set()
        assert counter.queue.wait_idle(WAIT)
        assert [j.state for j in counter.queue.jobs()] == [JobState.PRINTED]
    finally:
        release.set()
        counter.close()
