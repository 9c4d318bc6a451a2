"""Pod billing client against the strict Pod fake: every operation, the ott chain, every error."""

from __future__ import annotations

import json
import logging
from decimal import Decimal

import pytest

from posapp.domain.invoice import Charge, Discount, Party, issue, make_reduction
from posapp.providers.base import Capability, RemoteState
from posapp.providers.errors import (
    AuthenticationError,
    DuplicateError,
    InvalidStateError,
    ProviderValidationError,
    RemoteNotFoundError,
    ServerError,
    UnsupportedOperationError,
)
from posapp.providers.pod import SERVICE_IDS, CallStyle
from posapp.providers.pod_mapping import PodItem
from tests.fakes.pod import PodCall, PodFake
from tests.providers.conftest import ISSUED_AT, line, make_pod, sale


def two_line_sale(number: str = "1A-000001"):
    # The example in Pod's billing document (issueInvoice): 4500×1 and 8000×5 → 44500 + 9% VAT 4005 = 48505.
    return sale(line("شیر", "1", "4500", tax="0.09"), line("نان", "5", "8000", tax="0.09"), number=number)


def test_push_invoice_issues_with_form_lists_metadata_and_bill_number(pod, pod_fake):
    remote = pod.push_invoice(two_line_sale(), "K-1")
    assert remote.payable == Decimal(48505)
    assert remote.state is RemoteState.OPEN
    assert remote.key == "K-1"
    stored = pod_fake.invoices[int(remote.remote_id)]
    assert stored["vat"] == Decimal(4005)
    assert json.loads(stored["metadata"]) == {"posapp_key": "K-1", "number": "1A-000001",
                                              "vat_included_in_prices": False, "vat": {"0.09": "4005"}}
    issue_request = next(r for r in pod_fake.requests if r.operation == "issueInvoice")
    keys = [k for k, _ in issue_request.form()]
    assert keys.count("productId[]") == 2
    assert keys.count("price[]") == 2
    assert ("scProductId", str(SERVICE_IDS["issueInvoice"][0])) in issue_request.form()
    assert issue_request.header("_token_") == pod_fake.token
    assert issue_request.header("_token_issuer_") == "1"


def test_ott_is_fetched_once_then_chained_from_every_answer(pod, pod_fake):
    pod.push_invoice(two_line_sale("1A-000001"), "K-1")
    pod.find_invoice("K-1")
    pod.push_invoice(two_line_sale("1A-000002"), "K-2")
    assert pod_fake.count("ott") == 1
    assert pod_fake.count("issueInvoice") == 2


def test_rest_style_sends_get_with_query_and_ott_header(pod_fake):
    with make_pod(pod_fake, call_style=CallStyle.REST.value) as pod:
        remote = pod.push_invoice(two_line_sale(), "K-REST")
        assert pod.find_invoice("K-REST") == remote
    issue_request = next(r for r in pod_fake.requests if r.operation == "issueInvoice")
    assert issue_request.method == "GET"
    assert issue_request.path == "/nzh/biz/issueInvoice/"
    assert issue_request.header("_ott_")
    assert [k for k, _ in issue_request.query].count("productId[]") == 2
    assert any(r.path == "/nzh/ott/" for r in pod_fake.requests)


def test_pushing_the_same_key_twice_is_a_duplicate_the_lookup_settles(pod, pod_fake):
    first = pod.push_invoice(two_line_sale(), "K-1")
    with pytest.raises(DuplicateError) as caught:
        pod.push_invoice(two_line_sale(), "K-1")
    assert caught.value.code == 19
    assert pod.find_invoice("K-1").remote_id == first.remote_id
    assert len(pod_fake.invoices) == 1


def test_key_of_a_cancelled_invoice_is_a_duplicate_error(pod):
    remote = pod.push_invoice(two_line_sale(), "K-1")
    pod.cancel_invoice(remote, "اشتباه")
    with pytest.raises(DuplicateError) as caught:
        pod.push_invoice(two_line_sale(), "K-1")
    assert caught.value.code == 25
    assert caught.value.existing_key == "K-1"


def test_used_or_expired_ott_is_replaced_once(pod, pod_fake):
    pod.push_invoice(two_line_sale("1A-000001"), "K-1")
    pod_fake.otts.clear()  # every ott held by the client has expired
    pod.push_invoice(two_line_sale("1A-000002"), "K-2")
    refused = [r for r in pod_fake.requests if r.operation == "issueInvoice"]
    assert len(refused) == 3
    assert pod_fake.count("ott") == 2
    assert len(pod_fake.invoices) == 2


def test_ott_from_another_token_is_refused_after_one_retry(pod_fake):
    other_ott = pod_fake._issue_ott("other-biz-token")
    with make_pod(pod_fake) as pod:
        pod._ott = other_ott
        pod_fake.forced_errors["ott"] = [39]
        with pytest.raises(AuthenticationError) as caught:
            pod.push_invoice(two_line_sale(), "K-1")
    assert caught.value.code == 39
    assert pod_fake.count("issueInvoice") == 1


def test_unknown_token_is_an_authentication_error(pod_fake):
    with make_pod(pod_fake, token="wrong") as pod, pytest.raises(AuthenticationError) as caught:
        pod.find_invoice("K-1")
    assert caught.value.code == 21
    assert "توکن" in caught.value.message_fa


@pytest.mark.parametrize(("guild", "code"), [("bad guild!", 37), ("FOOD_GUILD", 53)])
def test_guild_errors(pod_fake, guild, code):
    with make_pod(pod_fake, guild_code=guild) as pod, pytest.raises(ProviderValidationError) as caught:
        pod.push_invoice(two_line_sale(), "K-1")
    assert caught.value.code == code
    assert "guildCode" in caught.value.field_errors


def raw_issue_form(**extra: str) -> list[tuple[str, str]]:
    form = [("guildCode", "INFORMATION_TECHNOLOGY_GUILD"), ("productId[]", "0"), ("price[]", "1000"),
            ("quantity[]", "2"), ("productDescription[]", "کالا")]
    return form + list(extra.items())


def test_bad_deadline_is_error_10(pod):
    with pytest.raises(ProviderValidationError) as caught:
        pod.call("issueInvoice", raw_issue_form(deadline="2026-11-23"), uses_ott=True)
    assert caught.value.code == 10
    assert "deadline" in caught.value.field_errors


def test_invoicing_the_business_itself_is_error_66(pod):
    with pytest.raises(ProviderValidationError) as caught:
        pod.call("issueInvoice", raw_issue_form(userId="9001"), uses_ott=True)
    assert caught.value.code == 66


def test_schema_errors_are_validation_errors(pod):
    with pytest.raises(ProviderValidationError) as caught:
        pod.call("issueInvoice", raw_issue_form()[:3], uses_ott=True)
    assert caught.value.code == 887


@pytest.mark.parametrize(("code", "kind"), [(56, ProviderValidationError), (999, ServerError), (19, DuplicateError)])
def test_codes_no_input_provokes_are_mapped(pod, pod_fake, code, kind):
    pod_fake.forced_errors["getInvoiceList"] = [code] * 4
    with pytest.raises(kind) as caught:
        pod.get_invoice_list(offset=0)
    assert caught.value.code == code
    assert caught.value.message_fa


def test_deadline_goes_as_a_jalali_date(pod_fake):
    with make_pod(pod_fake, deadline_days=3) as pod:
        pod.push_invoice(two_line_sale(), "K-1")
    form = dict(next(r for r in pod_fake.requests if r.operation == "issueInvoice").form())
    assert form["deadline"] == "1405/09/05"  # 2026-11-23 + 3 days in Tehran


def test_payment_status_before_and_after_paying(pod, pod_fake):
    remote = pod.push_invoice(two_line_sale(), "K-1")
    status = pod.payment_status(remote.remote_id)
    assert not status.paid
    assert status.amount == 0
    pod_fake.pay(remote.remote_id)
    status = pod.payment_status(remote.remote_id)
    assert status.paid
    assert status.amount == Decimal(48505)
    assert status.paid_at is not None
    assert status.state is RemoteState.PAID
    with pytest.raises(RemoteNotFoundError):
        pod.payment_status("424242")


def test_three_step_payment_waits_for_verification(pod_fake):
    with make_pod(pod_fake, verification_needed=True) as pod:
        remote = pod.push_invoice(two_line_sale(), "K-1")
        pod_fake.pay(remote.remote_id)
        assert pod.payment_status(remote.remote_id).state is RemoteState.PENDING
        with pytest.raises(InvalidStateError):
            pod.close_invoice(remote.remote_id)
        verified = pod.verify_invoice(remote.remote_id)
        assert verified["waiting"] is False
        assert pod.payment_status(remote.remote_id).paid
        with pytest.raises(InvalidStateError):
            pod.verify_invoice(remote.remote_id)
        other = pod.push_invoice(two_line_sale("1A-000002"), "K-2")
        pod_fake.pay(other.remote_id)
        pod_fake.expire_verification(other.remote_id)
        assert pod.payment_status(other.remote_id).state is RemoteState.CANCELLED


def test_close_rules(pod, pod_fake):
    remote = pod.push_invoice(two_line_sale(), "K-1")
    with pytest.raises(InvalidStateError):
        pod.close_invoice(remote.remote_id)
    pod_fake.pay(remote.remote_id)
    assert pod.close_invoice(remote.remote_id) is True
    assert pod.find_invoice("K-1").state is RemoteState.CLOSED
    with pytest.raises(InvalidStateError):
        pod.cancel_invoice(remote, "دیر")


def test_safe_invoice_cannot_be_closed_by_the_business(pod, pod_fake):
    srv = pod.issue_invoice(raw_issue_form(safe="true", billNumber="S-1"), bill_number="S-1")
    pod_fake.pay(srv["id"])
    with pytest.raises(InvalidStateError) as caught:
        pod.close_invoice(str(srv["id"]))
    assert caught.value.code == 39
    assert "اجازه" in caught.value.message_fa


def test_cancel_is_idempotent_and_refunds_paid_invoices(pod, pod_fake):
    remote = pod.push_invoice(two_line_sale(), "K-1")
    pod_fake.pay(remote.remote_id)
    cancelled = pod.cancel_invoice(remote, "مشتری منصرف شد")
    assert cancelled.state is RemoteState.CANCELLED
    assert pod.cancel_invoice(remote, "دوباره").state is RemoteState.CANCELLED
    assert pod.payment_status(remote.remote_id).paid is False


def test_reduce_replaces_the_paid_invoice(pod, pod_fake):
    original = two_line_sale()
    remote = pod.push_invoice(original, "K-1")
    with pytest.raises(InvalidStateError):
        pod.reduce_invoice(issue(make_reduction(original, {1: (Decimal(4), Decimal(8000))}, returned={}), "1A-000002", ISSUED_AT),
                           remote, "K-1-R")
    pod_fake.pay(remote.remote_id)
    reduction = issue(make_reduction(original, {1: (Decimal(4), Decimal(8000))}, returned={}), "1A-000002", ISSUED_AT)
    new = pod.reduce_invoice(reduction, remote, "K-1-R")
    assert new.replaces == remote.remote_id
    assert new.payable == reduction.totals.payable == Decimal(39785)
    assert pod.find_invoice("K-1") == new
    listed, count = pod.get_invoice_list(offset=0)
    assert [str(i["id"]) for i in listed] == [new.remote_id]
    assert count == 1
    assert pod.payment_status(remote.remote_id).state is RemoteState.REPLACED
    with pytest.raises(InvalidStateError):
        pod.cancel_invoice(remote, "ویرایش‌شده")


def test_reduce_keeps_the_default_tax_rule(pod, pod_fake):
    srv = pod.issue_invoice(raw_issue_form(billNumber="D-1"), bill_number="D-1")  # no preferredTaxRate
    assert Decimal(srv["vat"]) == Decimal(180)  # 9% of 2000
    pod_fake.pay(srv["id"])
    pod_fake.default_tax_rate = Decimal("0.10")
    item_id = str(srv["invoiceItemSrvs"][0]["id"])
    new = pod.reduce(str(srv["id"]), [(item_id, pod_item(1000, 1))], None)
    assert Decimal(new["vat"]) == Decimal(100)  # the platform's new default


def pod_item(price: int, quantity: int) -> PodItem:
    return PodItem("کالا", Decimal(price), Decimal(quantity), Decimal(0))


def test_reduce_refuses_growing_items(pod, pod_fake):
    srv = pod.issue_invoice(raw_issue_form(billNumber="G-1"), bill_number="G-1")
    pod_fake.pay(srv["id"])
    item_id = str(srv["invoiceItemSrvs"][0]["id"])
    with pytest.raises(ProviderValidationError):
        pod.reduce(str(srv["id"]), [(item_id, pod_item(1000, 3))], None)


def test_payment_link_points_at_the_gateway_page(pod, pod_fake):
    invoice = two_line_sale()
    link = pod.create_payment_link(invoice, "K-1")
    srv = pod_fake.invoices[int(link.remote_id)]
    assert link.url.startswith(f"{pod_fake.base_url}/v1/pbc/payInvoiceByUniqueNumber/?uniqueNumber={srv['uniqueNumber']}")
    assert "gateway=PEP" in link.url
    assert link.amount == Decimal(48505)
    delivered = pod.find_invoice("K-1")
    assert pod.create_payment_link(invoice, "K-1", existing=delivered).remote_id == link.remote_id
    assert len(pod_fake.invoices) == 1
    pod_fake.pay(link.remote_id)
    with pytest.raises(InvalidStateError):
        pod.create_payment_link(invoice, "K-1", existing=delivered)


def test_sandbox_uses_sandbox_service_ids():
    with PodFake(sandbox=True) as fake, make_pod(fake, sandbox=True) as pod:
        pod.push_invoice(two_line_sale(), "K-1")
        form = dict(next(r for r in fake.requests if r.operation == "issueInvoice").form())
    assert form["scProductId"] == str(SERVICE_IDS["issueInvoice"][1])


def test_list_pages_and_narrows_to_one_bill_number(pod, pod_fake):
    pod.push_invoice(two_line_sale("1A-000001"), "K-1")
    pod.push_invoice(two_line_sale("1A-000002"), "K-2")
    newest, total = pod.get_invoice_list(offset=0, size=1)
    assert len(newest) == 1
    assert total == 2
    one, count = pod.get_invoice_list(offset=0, bill_number="K-1")
    assert [row["billNumber"] for row in one] == ["K-1"]
    assert count == 1


def test_connection_dropped_after_commit_does_not_duplicate(pod, pod_fake):
    pod_fake.faults.drop_after_commit.next(1, operations={"issueInvoice"})
    with pytest.raises(DuplicateError):  # dropped, then resent with a fresh ott: Pod says 19
        pod.push_invoice(two_line_sale(), "K-1")
    remote = pod.find_invoice("K-1")
    assert len(pod_fake.invoices) == 1
    assert remote.remote_id == str(next(iter(pod_fake.invoices)))
    assert pod_fake.count("issueInvoice") == 2
    otts = [dict(r.form())["_ott_"] for r in pod_fake.requests if r.operation == "issueInvoice"]
    assert len(set(otts)) == 2


def test_exempt_and_standard_lines_together_reach_pod_with_the_tills_payable(pod, pod_fake):
    """Issue 18 item 7: one rate per Pod invoice, so mixed rates go with VAT in each price and
    rate 0; the VAT per rate stays in the metadata."""
    mixed = sale(line("کتاب", "1", "1000", tax="0"), line("دفتر", "3", "7333"), line("نان", "2", "4500", tax="0"))
    remote = pod.push_invoice(mixed, "K-1")
    assert remote.payable == mixed.totals.payable
    stored = pod_fake.invoices[int(remote.remote_id)]
    assert stored["payableAmount"] == mixed.totals.payable
    assert stored["vat"] == 0
    form = next(r for r in pod_fake.requests if r.operation == "issueInvoice").form()
    assert ("preferredTaxRate", "0") in form
    metadata = json.loads(dict(form)["metadata"])
    assert metadata["vat_included_in_prices"] is True
    assert metadata["vat"] == {"0": "0", "0.1": str(mixed.totals.tax)}


def test_charges_after_tax_are_refused_before_sending(pod, pod_fake):
    with_freight = sale(line("کتاب", "1", "1000"), charges=(Charge("ارسال", Decimal(500)),))
    with pytest.raises(ProviderValidationError):
        pod.push_invoice(with_freight, "K-2")
    assert pod_fake.count() == 0


def test_discounted_lines_go_at_net_unit_prices_and_no_discount_list(pod, pod_fake):
    """Issue 18 item 6: the seed documents no `discount[]`; a server that ignores it (as this
    fake does) would hold the sale at its gross price, so prices go net."""
    invoice = sale(line("پیراهن", "2", "500000", discount=Discount.percent(10)),
                   buyer=Party(name="مشتری", mobile="09121234567"), invoice_discount=Discount.amount(10000))
    remote = pod.push_invoice(invoice, "K-1")
    assert remote.payable == invoice.totals.payable
    form = next(r for r in pod_fake.requests if r.operation == "issueInvoice").form()
    assert "discount[]" not in dict(form)
    assert ("price[]", "445000") in form
    assert dict(form)["cellphoneNumber"] == "09121234567"


def test_check_reports_what_works(pod_fake):
    with make_pod(pod_fake) as pod:
        assert all(result.ok for result in pod.check())
    with make_pod(pod_fake, token="wrong", guild_code="") as pod:
        results = {r.name: r for r in pod.check()}
    assert not results["token"].ok
    assert not results["guild_code"].ok
    assert "21" not in results["token"].message_fa


@pytest.mark.parametrize("style", [CallStyle.SERVICE_CALL, CallStyle.REST])
def test_check_proves_the_guild_code_is_one_of_pods_guilds(pod_fake, style):
    with make_pod(pod_fake, call_style=style.value) as pod:
        results = {r.name: r for r in pod.check()}
    assert results["guild_code"].message_en == (
        "guild code from the business panel: INFORMATION_TECHNOLOGY_GUILD (Information Technology)")
    with make_pod(pod_fake, call_style=style.value, guild_code="INFORMATION_TECHNOLOGY") as pod:
        results = {r.name: r for r in pod.check()}
    assert results["token"].ok
    assert not results["guild_code"].ok
    assert results["guild_code"].message_en.startswith(
        "guild code from the business panel (guild_code) = INFORMATION_TECHNOLOGY is not among Pod's guilds; "
        "choose one of: BAKERY_GUILD (Bakery), BOOKSTORE_GUILD (Bookstore), ")
    assert results["guild_code"].message_fa.startswith(
        "«کد صنف در پنل کسب‌وکار» = INFORMATION_TECHNOLOGY در فهرست اصناف پاد نیست؛ یکی از این‌ها را بگذارید: ")


def test_the_guild_check_reads_every_page_and_lists_a_few(pod_fake):
    pod_fake.platform_guilds += [f"GUILD_{n:03}" for n in range(120)]
    with make_pod(pod_fake, guild_code="INFORMATION_TECHNOLOGY_GUILD") as pod:
        assert {r.name: r for r in pod.check()}["guild_code"].ok  # on the third page
    assert pod_fake.count("guildList") == 3
    with make_pod(pod_fake, guild_code="") as pod:
        line = {r.name: r for r in pod.check()}["guild_code"]
    assert line.message_en.startswith("guild code from the business panel (guild_code) is not set; choose one of: ")
    assert line.message_en.endswith(" and 107 more")
    assert line.message_fa.endswith(" و 107 مورد دیگر")


def test_the_guild_list_stops_when_a_server_repeats_its_first_page(pod_fake):
    pod_fake.platform_guilds += [f"GUILD_{n:03}" for n in range(60)]
    listed = pod_fake.op_guildList

    def first_page_without_count(call, business):
        rows, _ = listed(PodCall(call.request, "guildList", []), business)
        return rows, None

    pod_fake.op_guildList = first_page_without_count
    with make_pod(pod_fake, guild_code="INFORMATION_TECHNOLOGY_GUILD") as pod:
        assert not {r.name: r for r in pod.check()}["guild_code"].ok  # past the first page, never seen
    assert pod_fake.count("guildList") == 2


def test_capabilities(pod):
    assert pod.supports(Capability.REDUCE_INVOICE)
    assert not pod.supports(Capability.PULL_CUSTOMERS)
    with pytest.raises(UnsupportedOperationError):
        list(pod.pull_customers())


def test_a_stale_held_ott_is_refused_and_replaced(pod, pod_fake):
    pod.push_invoice(two_line_sale("1A-000001"), "K-1")
    used = next(dict(r.form())["_ott_"] for r in pod_fake.requests if r.operation == "issueInvoice")
    pod._ott = used
    pod.push_invoice(two_line_sale("1A-000002"), "K-2")
    sent = [dict(r.form())["_ott_"] for r in pod_fake.requests if r.operation == "issueInvoice"]
    assert sent[1] == used
    assert sent[2] != used
    assert len(pod_fake.invoices) == 2


def test_logs_hold_neither_the_token_nor_any_ott(pod, pod_fake, caplog):
    caplog.set_level(logging.DEBUG, logger="posapp.providers")
    pod.push_invoice(two_line_sale(), "K-1")
    pod.find_invoice("K-1")
    issued_otts = [dict(r.form()).get("_ott_") for r in pod_fake.requests if r.operation == "issueInvoice"]
    assert "issueInvoice" in caplog.text
    assert pod_fake.token not in caplog.text
    for ott in [*issued_otts, *pod_fake.otts]:
        assert ott not in caplog.text
