"""Settings of the shop's day: when the till locks itself, and which notes the close counts."""

from __future__ import annotations

from posapp.domain.cash import DEFAULT_DENOMINATIONS
from posapp.settings.store import Setting

IDLE_LOCK_MINUTES: Setting[int] = Setting(
    "shop_day.idle_lock_minutes", 5, int,
    "Minutes without a key or click after which the till locks itself (0: never)",
)
CASH_DENOMINATIONS: Setting[str] = Setting(
    "shop_day.denominations", ",".join(str(int(n)) for n in DEFAULT_DENOMINATIONS), str,
    "The notes counted at a shift's close, in Rial, comma-separated",
)
