"""`posapp provider ...`: configure a provider, show its settings, check its credentials, forget them.

    posapp provider list
    posapp provider configure NAME [--guild-code ... --sandbox ... --enable] [--token-stdin]
    posapp provider show NAME
    posapp provider check NAME
    posapp provider forget NAME

Options of `configure` come from the provider's own settings (run `posapp provider configure pod
--help`), built only when the command runs so the provider modules never slow down start-up.
Secrets are never taken from the command line: they are typed at a hidden prompt (getpass) or
piped in with `--<secret>-stdin` (one line per flag, in the order the flags are listed by
`--help`), and go straight to the OS keyring.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import MISSING, fields
from typing import Any, TextIO

PROVIDER_NAMES = ("pod", "hesabfa", "hesabit", "sepidar", "payping", "moadian")
"""`moadian` has its own configure, show and check (posapp.cli.moadian)."""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "provider", help="تنظیم و آزمون سامانه‌های همگام‌سازی / configure and check sync providers")
    actions = parser.add_subparsers(dest="provider_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the providers and whether each is enabled and has its secrets")
    listing.set_defaults(handler=run_list)
    configure = actions.add_parser(
        "configure", add_help=False,
        help="set a provider's settings and secrets (`posapp provider configure NAME --help`)")
    configure.add_argument("name", choices=PROVIDER_NAMES)
    configure.add_argument("options", nargs=argparse.REMAINDER)
    configure.set_defaults(handler=run_configure)
    for action, text, handler in (
        ("show", "show the stored settings (secrets only as present/missing)", run_show),
        ("check", "call the provider with the stored credentials and report what works", run_check),
        ("forget", "delete the provider's secrets from the keyring", run_forget),
    ):
        sub = actions.add_parser(action, help=text)
        sub.add_argument("name", choices=PROVIDER_NAMES)
        sub.set_defaults(handler=handler)


def _option(field_name: str) -> str:
    return "--" + field_name.replace("_", "-")


def configure_parser(name: str) -> argparse.ArgumentParser:
    """The `configure NAME` options: one per non-secret setting, one `--<secret>-stdin` per secret."""
    from posapp.domain.sync import InvoiceScope
    from posapp.providers.registry import config_class, provider_info, secret_specs

    info = provider_info(name)
    parser = argparse.ArgumentParser(
        prog=f"posapp provider configure {name}",
        description=f"تنظیم {info.title_fa} / configure {info.title_en}. "
                    "Secrets are asked at a hidden prompt or read from stdin, never from the command line.")
    for spec in fields(config_class(name)):
        fa, en = spec.metadata.get("fa", ""), spec.metadata.get("en", spec.name)
        default = spec.default if spec.default is not MISSING else None
        text = f"{fa} / {en} (default: {default!r})"
        if spec.type in ("bool", bool):
            parser.add_argument(_option(spec.name), dest=spec.name, action=argparse.BooleanOptionalAction,
                                default=None, help=text)
        else:
            parser.add_argument(_option(spec.name), dest=spec.name, default=None, help=text,
                                choices=spec.metadata.get("choices") or None, metavar="VALUE")
    state = parser.add_mutually_exclusive_group()
    state.add_argument("--enable", dest="enabled", action="store_true", default=None,
                       help="queue issued invoices for this provider / فعال‌سازی")
    state.add_argument("--disable", dest="enabled", action="store_false", help="stop queueing / غیرفعال‌سازی")
    parser.add_argument("--invoices", choices=[s.value for s in InvoiceScope],
                        help="which invoices are sent / کدام فاکتورها فرستاده شوند")
    for secret in secret_specs(name):
        parser.add_argument(f"--{secret.name.replace('_', '-')}-stdin", dest=f"stdin_{secret.name}",
                            action="store_true",
                            help=f"read «{secret.label_fa}» / {secret.label_en} from standard input (one line)")
    parser.add_argument("--prompt-secrets", action="store_true",
                        help="ask again for every secret, replacing the stored ones")
    parser.add_argument("--no-prompt", action="store_true", help="never prompt (for scripts)")
    return parser


def run_configure(args: argparse.Namespace, *, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    from posapp.domain.errors import DomainError
    from posapp.domain.sync import InvoiceScope
    from posapp.providers.base import coerce_setting
    from posapp.providers.errors import ProviderError
    from posapp.providers.registry import config_class, secret_specs
    from posapp.settings import providers as provider_settings
    from posapp.settings import secrets
    from posapp.settings.store import SettingsStore

    stdin = stdin or sys.stdin
    out = out or sys.stdout
    name = args.name
    if name == "moadian":
        from posapp.cli import moadian

        return moadian.run_configure(args.options, out=out)
    try:
        parser = configure_parser(name)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    options = parser.parse_args(args.options)
    store = SettingsStore()
    current = provider_settings.load_config(store, name).to_mapping()
    types = {spec.name: spec.type for spec in fields(config_class(name))}
    changes = {key: getattr(options, key) for key in types if getattr(options, key) is not None}
    try:
        for key, raw in changes.items():
            current[key] = coerce_setting(types[key], raw)
        config = config_class(name).from_mapping(current)
        config.validate()
    except (TypeError, ValueError) as error:
        print(f"مقدار نامعتبر / invalid value: {error}", file=sys.stderr)
        return 2
    except ProviderError as error:
        print(f"مقدار نامعتبر: {error.message_fa}\ninvalid value: {error.message_en}", file=sys.stderr)
        return 2
    provider_settings.save_config(store, name, config)
    if options.enabled is not None:
        provider_settings.set_enabled(store, name, options.enabled)
    if options.invoices:
        provider_settings.set_invoice_scope(store, name, InvoiceScope(options.invoices))
    from_stdin = [spec for spec in secret_specs(name) if getattr(options, f"stdin_{spec.name}")]
    may_prompt = not options.no_prompt and stdin.isatty()
    if from_stdin or may_prompt:
        try:
            stored = provider_settings.stored_secrets(name)
            for spec in secret_specs(name):
                if spec in from_stdin:
                    value = stdin.readline().rstrip("\r\n")
                    if not value:
                        print(f"«{spec.label_fa}» از ورودی خالی بود / {spec.label_en}: stdin gave nothing",
                              file=sys.stderr)
                        return 2
                elif may_prompt and (options.prompt_secrets or (spec.required and spec.name not in stored)):
                    value = getpass.getpass(f"{spec.label_fa} / {spec.label_en}: ")
                else:
                    continue
                if value:
                    secrets.set_secret(name, spec.name, value)
        except DomainError as error:
            print(f"{error.message_fa}\n{error.message_en}", file=sys.stderr)
            return 2
    _print_settings(name, store, out)
    return 0


def print_stored_settings(name: str, title: str, enabled: bool, invoices: str, store: Any,
                          out: TextIO) -> dict[str, str] | None:
    """The lines every `posapp provider show` starts with: on or off, which invoices, the
    non-secret config. Returns the secrets the keyring holds (the caller says which are
    present, never their values), or None when the keyring could not be read (said here)."""
    from posapp.domain.errors import DomainError
    from posapp.settings import providers as provider_settings

    print(f"{title}: {'فعال / enabled' if enabled else 'غیرفعال / disabled'}", file=out)
    print(f"  invoices: {invoices}", file=out)
    for key, value in provider_settings.load_config(store, name).to_mapping().items():
        print(f"  {key}: {value}", file=out)
    try:
        return provider_settings.stored_secrets(name)
    except DomainError as error:
        print(f"  secrets: {error.message_en}", file=out)
        return None


def _print_settings(name: str, store: Any, out: TextIO) -> None:
    from posapp.providers.registry import provider_info, secret_specs
    from posapp.settings import providers as provider_settings

    info = provider_info(name)
    present = print_stored_settings(name, f"{info.title_fa} / {info.title_en}",
                                    provider_settings.is_enabled(store, name),
                                    provider_settings.invoice_scope(store, name).value, store, out)
    if present is None:
        return
    for spec in secret_specs(name):
        flag = f"--{spec.name.replace('_', '-')}-stdin"
        if spec.name in present:
            state = "present"
        elif spec.required:
            state = f"missing — تنظیم نشده؛ با {flag} یا در ترمینال بدهید / pipe it with {flag} or run on a terminal"
        else:
            state = "not set"
        print(f"  secret {spec.name}: {state}", file=out)


def run_show(args: argparse.Namespace) -> int:
    from posapp.settings.store import SettingsStore

    if args.name == "moadian":
        from posapp.cli import moadian

        moadian.print_settings(SettingsStore(), sys.stdout)
        return 0
    _print_settings(args.name, SettingsStore(), sys.stdout)
    return 0


def run_list(args: argparse.Namespace) -> int:
    from posapp.domain.errors import DomainError
    from posapp.providers.registry import PROVIDERS, secret_specs
    from posapp.settings import providers as provider_settings
    from posapp.settings.moadian import MOADIAN_ENABLED
    from posapp.settings.store import SettingsStore

    store = SettingsStore()
    for name, info in PROVIDERS.items():
        enabled = "enabled" if provider_settings.is_enabled(store, name) or (
            name == "moadian" and store.get(MOADIAN_ENABLED)) else "disabled"
        try:
            stored = provider_settings.stored_secrets(name)
        except DomainError:
            held = "keyring unavailable"
        else:
            missing = [spec.name for spec in secret_specs(name) if spec.required and not stored.get(spec.name)]
            held = f"missing: {', '.join(missing)}" if missing else "secrets set"
        print(f"{name:<8} {enabled:<9} {held:<30} {info.title_fa} / {info.title_en}")
    return 0


def run_check(args: argparse.Namespace, *, transport: Any = None, out: TextIO | None = None) -> int:
    """Exit 0 when every check passed, 1 when one failed, 2 when the provider could not be built."""
    from posapp.domain.errors import DomainError
    from posapp.providers.errors import ProviderError
    from posapp.settings.providers import build_provider

    out = out or sys.stdout
    if args.name == "moadian":
        from posapp.cli import moadian

        return moadian.run_check(transport=transport, out=out)
    try:
        provider = build_provider(args.name, transport=transport)
    except (DomainError, ProviderError) as error:
        print(f"✗ {error.message_fa}\n  {error.message_en}", file=out)
        return 2
    with provider:
        results = provider.check()
    for result in results:
        mark = "✓" if result.ok else "✗"
        print(f"{mark} {result.name}: {result.message_fa}\n  {result.message_en}", file=out)
    return 0 if all(result.ok for result in results) else 1


def run_forget(args: argparse.Namespace) -> int:
    from posapp.domain.errors import DomainError
    from posapp.providers.registry import secret_specs
    from posapp.settings import secrets

    try:
        removed = [spec.name for spec in secret_specs(args.name) if secrets.delete_secret(args.name, spec.name)]
    except DomainError as error:
        print(f"{error.message_fa}\n{error.message_en}", file=sys.stderr)
        return 2
    print(f"removed: {', '.join(removed) or 'nothing'}")
    return 0
