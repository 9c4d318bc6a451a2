"""The one rule for an error as stored for the cashier (an outbox row's last error, `posapp sync
status`, the sync pane): both languages, the provider's fields and code, and no secret.

The HTTP layer scrubs what it knows of the request's own secrets; this runs the same scrubber
again over the final text, whatever raised the error, and also drops what a secret looks like
on its own: a PEM key block and a bare JSON Web Token (a signed or encrypted JOSE compact
serialisation, as Moadian's bearer tokens are), which a provider may echo without a name.
"""

from __future__ import annotations

import re

from posapp.domain.errors import DomainError
from posapp.providers.errors import ProviderError
from posapp.providers.http import REDACTED, scrub

_PEM_BLOCK = re.compile(r"-----BEGIN [A-Z0-9 ]+-----.*?(?:-----END [A-Z0-9 ]+-----|$)", re.DOTALL)
_JOSE_COMPACT = re.compile(r"\beyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){2,4}")


def scrubbed(text: str) -> str:
    """`text` (a provider's message, an error) without any secret in it."""
    text = _PEM_BLOCK.sub(REDACTED, text)
    text = _JOSE_COMPACT.sub(REDACTED, text)
    return scrub(text)


def error_text(error: ProviderError | DomainError) -> str:
    """An error as stored and shown: Persian / English, the field messages a provider named,
    its code, scrubbed."""
    text = f"{error.message_fa} / {error.message_en}"
    field_errors = getattr(error, "field_errors", None)
    if field_errors:
        text += " (" + "; ".join(f"{name}: {message}" for name, message in field_errors.items()) + ")"
    code = getattr(error, "code", None)
    if code is not None and code != "":
        text += f" [code {code}]"
    return scrubbed(text)
