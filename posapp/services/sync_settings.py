"""Sync settings the shop chooses (what happens after a link is paid on Pod, which providers the
catalogue comes from) and the Qt-free side of each provider's settings dialog: its form, saving
it (secrets to the keyring only) and "test connection"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from posapp.domain.sync import InvoiceScope
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


CATALOGUE_SOURCES = ("hesabfa", "sepidar", "payping")
"""Providers posapp can pull products and customers (PayPing: customers only) from."""
PULL_CATALOGUE = "pull_catalogue"
"""The provider dialog's option for `CATALOGUE_PROVIDERS` membership."""


def sync_option_settings(name: str) -> dict[str, Setting[bool]]:
    """The shop's sync choices that concern provider `name`, by option name (besides
    PULL_CATALOGUE, which is kept as membership of CATALOGUE_PROVIDERS)."""
    return {"verify_paid": POD_VERIFY_PAID, "close_paid": POD_CLOSE_PAID} if name == "pod" else {}


@dataclass(frozen=True)
class SettingField:
    """One non-secret provider setting as a form shows it."""

    name: str
    kind: str
    """"bool", "int", "float", "Decimal" or "str"."""
    value: Any
    label_fa: str
    label_en: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class SecretField:
    name: str
    label_fa: str
    label_en: str
    required: bool
    stored: bool
    """Whether the keyring already holds it (its value is never read into a form)."""


@dataclass(frozen=True)
class ProviderForm:
    """Everything a provider's settings dialog shows, without the dialog touching providers."""

    name: str
    title_fa: str
    title_en: str
    fields: tuple[SettingField, ...]
    secrets: tuple[SecretField, ...]
    enabled: bool
    scope: str
    scopes: tuple[str, ...]
    options: tuple[SettingField, ...] = ()
    """The shop's sync choices for this provider (pull its catalogue; Pod's verify and close)."""


def provider_names() -> tuple[tuple[str, str, str], ...]:
    """(name, Persian title, English title) of every provider posapp knows."""
    from posapp.providers.registry import SYNC_PROVIDERS

    return tuple((info.name, info.title_fa, info.title_en) for info in SYNC_PROVIDERS.values())


def provider_title(name: str, language: str) -> str:
    """The provider's name as the UI shows it in `language` ("fa" or "en"), Moadian included."""
    from posapp.providers.registry import PROVIDERS

    info = PROVIDERS.get(name)
    if info is None:
        return name
    return info.title_fa if language == "fa" else info.title_en


def provider_form(store: SettingsStore, name: str) -> ProviderForm:
    from posapp.providers.registry import provider_info, secret_specs
    from posapp.settings import providers as provider_settings

    config = provider_settings.load_config(store, name)
    setting_fields = tuple(
        SettingField(
            name=spec.name, kind=spec.type if isinstance(spec.type, str) else spec.type.__name__,
            value=getattr(config, spec.name), label_fa=spec.metadata.get("fa", spec.name),
            label_en=spec.metadata.get("en", spec.name), choices=tuple(spec.metadata.get("choices", ())))
        for spec in fields(config))
    stored = provider_settings.stored_secrets(name) if secrets_available() else {}
    info = provider_info(name)
    return ProviderForm(
        name=name, title_fa=info.title_fa, title_en=info.title_en, fields=setting_fields,
        secrets=tuple(SecretField(s.name, s.label_fa, s.label_en, s.required, bool(stored.get(s.name)))
                      for s in secret_specs(name)),
        enabled=provider_settings.is_enabled(store, name),
        scope=provider_settings.invoice_scope(store, name).value,
        scopes=tuple(scope.value for scope in InvoiceScope),
        options=_option_fields(store, name),
    )


def _option_fields(store: SettingsStore, name: str) -> tuple[SettingField, ...]:
    options = [
        SettingField(PULL_CATALOGUE, "bool", name in catalogue_providers(store),
                     "دریافت کالاها و مشتریان از این سامانه", "pull products and customers from it"),
    ] if name in CATALOGUE_SOURCES else []
    labels = {
        "verify_paid": ("تأیید خودکار فاکتور پرداخت‌شده (بدون آن پول پس از یک ساعت به مشتری برمی‌گردد)",
                        "verify paid invoices (without it the money returns to the customer after an hour)"),
        "close_paid": ("بستن فاکتور پرداخت‌شده (پس از آن ابطال و کاهش ممکن نیست)",
                       "close paid invoices (after that they can be neither cancelled nor reduced)"),
    }
    options += [SettingField(option, "bool", store.get(setting), *labels[option])
                for option, setting in sync_option_settings(name).items()]
    return tuple(options)


def _save_options(store: SettingsStore, name: str, options: Mapping[str, bool]) -> None:
    for option, setting in sync_option_settings(name).items():
        if option in options:
            store.set(setting, bool(options[option]))
    if PULL_CATALOGUE in options and name in CATALOGUE_SOURCES:
        others = [source for source in catalogue_providers(store) if source != name]
        store.set(CATALOGUE_PROVIDERS, [*others, name] if options[PULL_CATALOGUE] else others)


def secrets_available() -> bool:
    """Whether a usable keyring exists (the dialog says what to install when not)."""
    from posapp.domain.errors import DomainError
    from posapp.settings import secrets

    try:
        secrets.usable_backend()
    except DomainError:
        return False
    return True


def _config_from(store: SettingsStore, name: str, values: Mapping[str, Any]) -> Any:
    """The provider's config with the form's values over the stored ones, validated (ValueError
    with a bilingual reason: plain http to another machine, a missing CA file)."""
    from posapp.providers.errors import ProviderError
    from posapp.settings import providers as provider_settings

    current = provider_settings.load_config(store, name)
    merged = {**current.to_mapping(), **values}
    config = type(current).from_mapping(merged)
    try:
        config.validate()
    except ProviderError as error:
        raise ValueError(f"{error.message_fa} / {error.message_en}") from None
    return config


def save_provider_form(store: SettingsStore, name: str, values: Mapping[str, Any],
                       new_secrets: Mapping[str, str], *, enabled: bool, scope: str,
                       options: Mapping[str, bool] | None = None) -> None:
    """Store the non-secret settings in the settings file and each typed secret in the keyring
    (an empty secret field leaves the stored one alone). Bad values raise ValueError before
    anything is written."""
    from posapp.settings import providers as provider_settings
    from posapp.settings import secrets

    config = _config_from(store, name, values)
    scope_value = InvoiceScope(scope)
    for secret_name, value in new_secrets.items():
        if value:
            secrets.set_secret(name, secret_name, value)
    provider_settings.save_config(store, name, config)
    provider_settings.set_invoice_scope(store, name, scope_value)
    provider_settings.set_enabled(store, name, enabled)
    _save_options(store, name, options or {})


@dataclass(frozen=True)
class ConnectionCheck:
    name: str
    ok: bool
    message_fa: str
    message_en: str


def check_connection(store: SettingsStore, name: str, values: Mapping[str, Any],
                     typed_secrets: Mapping[str, str]) -> list[ConnectionCheck]:
    """Build the provider from the form's values (typed secrets over stored ones) and run its
    own checks. Blocks on the network: call it off the GUI thread."""
    from posapp.domain.errors import DomainError
    from posapp.providers.errors import ProviderError
    from posapp.providers.registry import create_provider
    from posapp.settings import providers as provider_settings

    try:
        config = _config_from(store, name, values)
        stored = provider_settings.stored_secrets(name) if secrets_available() else {}
        merged = {**stored, **{k: v for k, v in typed_secrets.items() if v}}
        with create_provider(name, config, merged) as client:
            return [ConnectionCheck(r.name, r.ok, r.message_fa, r.message_en) for r in client.check()]
    except (ProviderError, DomainError) as exc:
        return [ConnectionCheck("connection", False, exc.message_fa, exc.message_en)]
    except ValueError as exc:
        return [ConnectionCheck("settings", False, f"تنظیمات نادرست است: {exc}", f"invalid settings: {exc}")]
