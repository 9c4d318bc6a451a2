"""The shop's own profile (seller on every invoice), till and series codes, and enabled sync providers.

The PDF renderer, the GUI's settings dialog and the invoicing service all read these; `shop_party`
turns them into the `Party` printed as the seller.
"""

from __future__ import annotations

from posapp.domain.invoice import Party, PartyKind
from posapp.settings.store import Setting, SettingsStore

SHOP_NAME: Setting[str] = Setting("shop.name", "", str, "فروشگاه / shop name")
SHOP_LEGAL_KIND: Setting[str] = Setting(
    "shop.legal_kind", PartyKind.NATURAL.value, str,
    "حقیقی یا حقوقی (natural|legal) / natural person or legal entity",
)
SHOP_NATIONAL_ID: Setting[str] = Setting(
    "shop.national_id", "", str, "کد ملی یا شناسه ملی / national ID (person) or legal national ID",
)
SHOP_ECONOMIC_CODE: Setting[str] = Setting("shop.economic_code", "", str, "کد اقتصادی / economic code")
SHOP_REGISTRATION_NUMBER: Setting[str] = Setting(
    "shop.registration_number", "", str, "شماره ثبت / registration number",
)
SHOP_POSTAL_CODE: Setting[str] = Setting("shop.postal_code", "", str, "کد پستی / postal code")
SHOP_PHONE: Setting[str] = Setting("shop.phone", "", str, "تلفن / phone")
SHOP_ADDRESS: Setting[str] = Setting("shop.address", "", str, "نشانی / address")
SHOP_LOGO_PATH: Setting[str] = Setting(
    "shop.logo_path", "", str, "مسیر فایل نشان فروشگاه / path of the shop's logo image",
)
TILL_CODE: Setting[str] = Setting(
    "invoicing.till_code", "1", str, "کد صندوق (۱ تا ۸ حرف یا رقم لاتین) / till code",
)
SERIES_CODE: Setting[str] = Setting(
    "invoicing.series_code", "A", str, "سری شماره فاکتور / invoice number series",
)
ENABLED_SYNC_PROVIDERS: Setting[list[str]] = Setting(
    "sync.enabled_providers", [], list,
    "سامانه‌های فعال همگام‌سازی (pod, hesabfa, ...) / providers each issued invoice is queued for",
)

PAYMENT_LINK_PROVIDER: Setting[str] = Setting(
    "sync.payment_link_provider", "", str,
    "سامانهٔ «پرداخت با لینک» در صندوق (pod, hesabfa, hesabit, payping؛ خالی: نخستین سامانهٔ فعال؛ "
    "none: هیچ) / the provider of the counter's pay-by-link (empty: the first enabled one that "
    "makes links; none: off)",
)

SHOP_SETTINGS: tuple[Setting[str], ...] = (
    SHOP_NAME, SHOP_LEGAL_KIND, SHOP_NATIONAL_ID, SHOP_ECONOMIC_CODE, SHOP_REGISTRATION_NUMBER,
    SHOP_POSTAL_CODE, SHOP_PHONE, SHOP_ADDRESS, SHOP_LOGO_PATH,
)


def shop_kind(store: SettingsStore) -> PartyKind:
    """The shop's legal kind; an unknown stored value reads as a natural person."""
    raw = store.get(SHOP_LEGAL_KIND).strip().lower()
    return PartyKind(raw) if raw in PartyKind._value2member_map_ else PartyKind.NATURAL


def shop_party(store: SettingsStore) -> Party:
    """The seller as printed on invoices, built from the shop profile settings."""
    return Party(
        name=store.get(SHOP_NAME).strip(),
        kind=shop_kind(store),
        national_id=store.get(SHOP_NATIONAL_ID).strip(),
        economic_code=store.get(SHOP_ECONOMIC_CODE).strip(),
        registration_number=store.get(SHOP_REGISTRATION_NUMBER).strip(),
        postal_code=store.get(SHOP_POSTAL_CODE).strip(),
        phone=store.get(SHOP_PHONE).strip(),
        address=store.get(SHOP_ADDRESS).strip(),
    )


def enabled_sync_providers(store: SettingsStore) -> tuple[str, ...]:
    """Provider names (lower case, unique, in order) that issued invoices are queued for."""
    names: list[str] = []
    for raw in store.get(ENABLED_SYNC_PROVIDERS):
        name = str(raw).strip().lower()
        if name and name not in names:
            names.append(name)
    return tuple(names)
