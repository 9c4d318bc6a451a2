"""`posapp provider configure|show|check moadian`: the shop's fiscal memory ID, signing key and
certificate for the tax administration's Moadian system.

    posapp provider configure moadian --memory-id A1B2C3 --private-key-file key.pem \\
        --certificate-file cert.pem [--sandbox] [--enable] [--invoices all|business]
    posapp provider check moadian

The key and certificate are read from the files once, checked to belong together, and kept only
in the OS keyring (`posapp/moadian`); they never reach settings.json, the screen or a log. The
memory ID and the other plain settings go to `providers.moadian.config`; the on/off switch and
the scope are Moadian's own settings (`posapp.settings.moadian`), not the sync providers' list.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from posapp.settings.moadian import NAME

MAX_PEM_BYTES = 64 * 1024


def configure_parser() -> argparse.ArgumentParser:
    from posapp.settings.moadian import MoadianScope

    parser = argparse.ArgumentParser(
        prog="posapp provider configure moadian",
        description="تنظیم سامانه مؤدیان / configure Moadian. The key and certificate files are read "
                    "once and kept in the OS keyring only.")
    parser.add_argument("--memory-id", metavar="ID",
                        help="شناسه یکتای حافظه مالیاتی (۶ نویسه) / fiscal memory ID (6 characters)")
    parser.add_argument("--private-key-file", type=Path, metavar="PATH",
                        help="کلید خصوصی امضا (PEM) / signing private key (PEM, unencrypted)")
    parser.add_argument("--certificate-file", type=Path, metavar="PATH",
                        help="گواهی امضای الکترونیکی (PEM) / signing certificate (PEM)")
    parser.add_argument("--sandbox", action=argparse.BooleanOptionalAction, default=None,
                        help="محیط آزمایشی / use Moadian's sandbox")
    parser.add_argument("--base-url", metavar="URL", help="نشانی سرور (خالی = پیش‌فرض) / server URL")
    parser.add_argument("--deadline-days", type=int, metavar="DAYS",
                        help="مهلت ارسال (روز) / days allowed to send an invoice")
    state = parser.add_mutually_exclusive_group()
    state.add_argument("--enable", dest="enabled", action="store_true", default=None,
                       help="give issued invoices tax IDs and send them / فعال‌سازی")
    state.add_argument("--disable", dest="enabled", action="store_false", help="غیرفعال‌سازی / stop")
    parser.add_argument("--invoices", choices=[s.value for s in MoadianScope],
                        help="all sales, or only sales to identified buyers / کدام فروش‌ها")
    return parser


def _fail(fa: str, en: str) -> int:
    print(f"{fa}\n{en}", file=sys.stderr)
    return 2


def _read_pem(path: Path, what_fa: str, what_en: str) -> bytes | None:
    try:
        if path.stat().st_size > MAX_PEM_BYTES:
            _fail(f"پرونده {what_fa} بیش از اندازه بزرگ است", f"the {what_en} file is too large")
            return None
        return path.read_bytes()
    except OSError as error:
        _fail(f"پرونده {what_fa} خوانده نشد: {path}", f"the {what_en} file could not be read: {path} "
              f"({error.strerror})")
        return None


def run_configure(options: list[str], *, out: TextIO | None = None) -> int:
    from posapp.domain.errors import DomainError
    from posapp.domain.moadian import check_memory_id
    from posapp.providers.errors import ProviderError
    from posapp.providers.moadian import MoadianConfig, Signer
    from posapp.settings import providers as provider_settings
    from posapp.settings import secrets
    from posapp.settings.moadian import MOADIAN_ENABLED, MOADIAN_SCOPE
    from posapp.settings.store import SettingsStore

    out = out or sys.stdout
    args = configure_parser().parse_args(options)
    store = SettingsStore()
    current = provider_settings.load_config(store, NAME).to_mapping()
    try:
        if args.memory_id is not None:
            current["memory_id"] = check_memory_id(args.memory_id.strip().upper())
        if args.deadline_days is not None:
            if not 1 <= args.deadline_days <= 60:
                return _fail("مهلت ارسال باید بین ۱ و ۶۰ روز باشد", "the deadline must be 1 to 60 days")
            current["deadline_days"] = args.deadline_days
        for option in ("sandbox", "base_url"):
            if getattr(args, option) is not None:
                current[option] = getattr(args, option)
        config = MoadianConfig.from_mapping(current)
        if args.enabled and not config.memory_id:
            return _fail("برای فعال‌سازی، شناسه یکتای حافظه را با --memory-id بدهید",
                         "to enable Moadian give the fiscal memory ID with --memory-id")
        if (args.private_key_file is None) != (args.certificate_file is None):
            return _fail("کلید خصوصی و گواهی را با هم بدهید", "give the private key and the certificate together")
        pems: tuple[bytes, bytes] | None = None
        if args.private_key_file is not None:
            key = _read_pem(args.private_key_file, "کلید خصوصی", "private key")
            certificate = _read_pem(args.certificate_file, "گواهی", "certificate")
            if key is None or certificate is None:
                return 2
            Signer.from_pem(key, certificate)
            pems = key, certificate
        if pems is not None:
            secrets.set_secret(NAME, "private_key", pems[0].decode("ascii"))
            secrets.set_secret(NAME, "certificate", pems[1].decode("ascii"))
    except (DomainError, ProviderError) as error:
        return _fail(error.message_fa, error.message_en)
    except (UnicodeDecodeError, TypeError, ValueError):
        return _fail("مقدار یا پرونده نامعتبر است", "an invalid value or file was given")
    provider_settings.save_config(store, NAME, config)
    if args.enabled is not None:
        store.set(MOADIAN_ENABLED, args.enabled)
    if args.invoices:
        store.set(MOADIAN_SCOPE, args.invoices)
    print_settings(store, out)
    return 0


def print_settings(store: Any, out: TextIO) -> None:
    """What is configured; the key and certificate only as present or missing (and the
    certificate's holder and expiry, which are not secret)."""
    from cryptography import x509

    from posapp.cli.provider import print_stored_settings
    from posapp.settings.moadian import MOADIAN_ENABLED, moadian_scope

    present = print_stored_settings(NAME, "سامانه مؤدیان / Moadian", bool(store.get(MOADIAN_ENABLED)),
                                    moadian_scope(store).value, store, out)
    if present is None:
        return
    for name in ("private_key", "certificate"):
        state = "present" if name in present else \
            "missing — با --private-key-file و --certificate-file بدهید / give --private-key-file and --certificate-file"
        print(f"  secret {name}: {state}", file=out)
    if "certificate" in present:
        try:
            certificate = x509.load_pem_x509_certificate(present["certificate"].encode("ascii"))
        except ValueError:
            return
        print(f"  certificate: {certificate.subject.rfc4514_string()}, valid until "
              f"{certificate.not_valid_after_utc:%Y-%m-%d}", file=out)


def run_check(*, transport: Any = None, out: TextIO | None = None) -> int:
    """Fiscal information of the memory ID, then the shop's taxpayer record. Exit 0 when both
    answered, 1 when one failed, 2 when the client could not be built."""
    from posapp.domain.errors import DomainError
    from posapp.providers.errors import ProviderError
    from posapp.settings.moadian import build_client
    from posapp.settings.shop import SHOP_ECONOMIC_CODE
    from posapp.settings.store import SettingsStore

    out = out or sys.stdout
    store = SettingsStore()
    try:
        client = build_client(store, transport=transport)
    except (DomainError, ProviderError) as error:
        print(f"✗ {error.message_fa}\n  {error.message_en}", file=out)
        return 2
    ok = True
    with client:
        try:
            fiscal = client.fiscal_information()
            print(f"✓ fiscal-information: {fiscal.trade_name} ({fiscal.fiscal_status}), "
                  f"economic code {fiscal.economic_code or '—'}", file=out)
        except ProviderError as error:
            print(f"✗ fiscal-information: {error.message_fa}\n  {error.message_en}", file=out)
            return 1
        economic_code = store.get(SHOP_ECONOMIC_CODE).strip() or fiscal.economic_code
        if not economic_code:
            print("✗ taxpayer: کد اقتصادی فروشگاه تنظیم نشده\n  the shop's economic code is not set", file=out)
            return 1
        try:
            payer = client.taxpayer(economic_code)
            print(f"✓ taxpayer {economic_code}: {payer.trade_name} ({payer.status})", file=out)
        except ProviderError as error:
            print(f"✗ taxpayer {economic_code}: {error.message_fa}\n  {error.message_en}", file=out)
            ok = False
    return 0 if ok else 1
