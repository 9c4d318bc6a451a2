"""The pay-by-link dialog as a real widget against the Pod fake: a QR that scans back to the
link, the amount, the sale completed when the customer pays, and a refused link shown as such."""

from __future__ import annotations

import zxingcpp
from PIL import Image
from PySide6.QtGui import QImage

from posapp.domain.formatting import format_amount
from posapp.domain.invoice import InvoiceStatus
from posapp.services.payment_links import PaymentLinkService, nothing_to_pay
from posapp.ui.pay_by_link import PayByLinkDialog, qr_image
from tests.sync import providers_under_test as put


def scanned(image: QImage) -> str:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    picture = Image.frombytes("RGB", (rgb.width(), rgb.height()), bytes(rgb.constBits()),
                              "raw", "RGB", rgb.bytesPerLine())
    [result] = zxingcpp.read_barcodes(picture)
    return result.text


def test_the_qr_scans_back_to_the_exact_link():
    url = "https://pay.pod.ir/v1/pbc/payInvoiceByUniqueNumber/?uniqueNumber=0123456789abcdef&gateway=PEP"
    assert scanned(qr_image(url)) == url


def test_the_dialog_shows_the_link_and_completes_the_sale_when_paid(make_shop, qtbot, tasks):
    shop = make_shop("pod")
    [sale] = shop.sell(1)
    links = PaymentLinkService(shop.services, shop.factory(), clock=shop.clock)
    dialog = PayByLinkDialog(links, tasks, sale.number, "pod", poll_seconds=0.05)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.link is not None, timeout=10_000)
    assert scanned(dialog.qr_label.pixmap().toImage()) == dialog.link.url
    assert dialog.amount_label.text() == format_amount(sale.totals.payable)
    with qtbot.waitSignal(dialog.sig_paid, timeout=10_000) as paid:
        shop.fakes["pod"].pay(dialog.link.remote_id)
    assert paid.args[0].status is InvoiceStatus.PAID
    assert shop.services.invoicing.get_by_number(sale.number).status is InvoiceStatus.PAID
    assert not dialog.isVisible()


def test_a_refused_link_is_never_shown(make_shop, qtbot, tasks):
    shop = make_shop("pod")
    [sale] = shop.sell(1)
    fake = shop.fakes["pod"]
    links = PaymentLinkService(
        shop.services, lambda name: put.client_for(name, fake, pay_base_url="http://pay.pod.ir"),
        clock=shop.clock)
    dialog = PayByLinkDialog(links, tasks, sale.number, "pod", poll_seconds=0.05)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: "https" in dialog.status_label.text(), timeout=10_000)
    assert dialog.link is None
    assert dialog.qr_label.pixmap().isNull()
    assert dialog.url_label.text() == ""
    dialog.reject()


def test_closing_the_dialog_stops_waiting_and_leaves_the_sale_open(make_shop, qtbot, tasks):
    shop = make_shop("pod")
    [sale] = shop.sell(1)
    links = PaymentLinkService(shop.services, shop.factory(), clock=shop.clock)
    dialog = PayByLinkDialog(links, tasks, sale.number, "pod", poll_seconds=0.05)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.link is not None, timeout=10_000)
    dialog.reject()
    qtbot.waitUntil(lambda: not tasks.busy, timeout=10_000)
    assert dialog.paid_invoice is None
    assert shop.services.invoicing.get_by_number(sale.number).status is InvoiceStatus.ISSUED


POLLS = "getInvoiceList"
"""The Pod operation a payment-status poll asks."""


def open_dialog(shop, qtbot, tasks, poll_seconds):
    [sale] = shop.sell(1)
    links = PaymentLinkService(shop.services, shop.factory(), clock=shop.clock)
    dialog = PayByLinkDialog(links, tasks, sale.number, "pod", poll_seconds=poll_seconds)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.link is not None, timeout=10_000)
    return sale, dialog


def test_the_dialog_polls_on_a_timer_without_holding_a_thread_and_stops_on_close(make_shop, qtbot, tasks):
    shop = make_shop("pod")
    fake = shop.fakes["pod"]
    sale, dialog = open_dialog(shop, qtbot, tasks, poll_seconds=0.2)
    asked = fake.count(POLLS)
    # the dialog keeps asking, and between two questions no pool thread is held: the read lane
    # is free while the timer waits for the next tick
    qtbot.waitUntil(lambda: fake.count(POLLS) >= asked + 2 and not tasks.busy, timeout=10_000)
    assert dialog.isVisible()
    assert dialog.poll_timer.isActive()
    dialog.reject()
    assert not dialog.poll_timer.isActive()
    qtbot.waitUntil(lambda: not tasks.busy, timeout=10_000)
    after_close = fake.count(POLLS)
    qtbot.wait(700)  # more than three ticks
    assert fake.count(POLLS) == after_close
    assert not dialog.poll_timer.isActive()
    assert shop.services.invoicing.get_by_number(sale.number).status is InvoiceStatus.ISSUED


def test_polling_stops_when_the_invoice_is_cancelled_meanwhile(make_shop, qtbot, tasks):
    shop = make_shop("pod")
    fake = shop.fakes["pod"]
    sale, dialog = open_dialog(shop, qtbot, tasks, poll_seconds=0.1)
    shop.services.invoicing.cancel(sale.number, "مشتری منصرف شد")
    qtbot.waitUntil(lambda: not dialog.poll_timer.isActive() and not tasks.busy, timeout=10_000)
    refusal = nothing_to_pay()
    assert dialog.status_label.text() in (refusal.message_fa, refusal.message_en)
    qtbot.waitUntil(lambda: not tasks.busy, timeout=10_000)
    stopped_at = fake.count(POLLS)
    qtbot.wait(400)
    assert fake.count(POLLS) == stopped_at
    assert not dialog.poll_timer.isActive()
    assert dialog.paid_invoice is None
    dialog.reject()
