"""Sync settings the shop chooses: what the engine does after a link is paid on Pod, and which
providers the catalogue is pulled from. Declared here, next to the engine that reads them."""

from __future__ import annotations

from posapp.settings.store import Setting, SettingsStore

POD_VERIFY_PAID: Setting[bool] = Setting(
    "sync.pod.verify_paid", True, bool,
    "تأیید خودکار فاکتور پرداخت‌شده در پاد (پرداخت سه‌مرحله‌ای) / verify paid Pod invoices "
    "automatically (three-step payment); without it the money returns to the customer after an hour",
)
POD_CLOSE_PAID: Setting[bool] = Setting(
    "sync.pod.close_paid", False, bool,
    "بستن فاکتور پرداخت‌شده در پاد (پس از آن ابطال و کاهش ممکن نیست) / close paid Pod invoices "
    "(after that they can be neither cancelled nor reduced)",
)
CATALOGUE_PROVIDERS: Setting[list[str]] = Setting(
    "sync.catalogue_providers", [], list,
    "دریافت کالا و مشتری از این سامانه‌ها (hesabfa, sepidar) / pull products and customers from "
    "these providers",
)


def catalogue_providers(store: SettingsStore) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(name).strip().lower() for name in store.get(CATALOGUE_PROVIDERS)
                               if str(name).strip()))
