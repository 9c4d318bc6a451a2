"""One Party value: the copy taken from any of its kinds, and a newer source filling it in."""

from __future__ import annotations

from dataclasses import dataclass

from posapp.domain.invoice import Party, PartyKind


@dataclass(frozen=True, kw_only=True)
class _Record(Party):
    id: int


def test_of_keeps_every_party_field_and_drops_the_rest():
    record = _Record(id=7, name="شرکت نمونه", kind=PartyKind.LEGAL, national_id="10101010101",
                     economic_code="411111111111", registration_number="1234", postal_code="1193653471",
                     phone="02188888888", mobile="09121234567", address="تهران")
    copy = Party.of(record)
    assert type(copy) is Party
    assert copy == Party(name="شرکت نمونه", kind=PartyKind.LEGAL, national_id="10101010101",
                         economic_code="411111111111", registration_number="1234", postal_code="1193653471",
                         phone="02188888888", mobile="09121234567", address="تهران")


def test_filled_from_takes_the_newer_non_empty_fields_and_keeps_the_kind():
    local = Party(name="علی", kind=PartyKind.LEGAL, national_id="10101010101", registration_number="99",
                  mobile="09120000000", address="قم")
    remote = Party(name="علی رضایی", mobile="09121111111", phone="0251234")
    assert local.filled_from(remote) == Party(
        name="علی رضایی", kind=PartyKind.LEGAL, national_id="10101010101", registration_number="99",
        mobile="09121111111", phone="0251234", address="قم")
