"""posapp: offline-first point-of-sale invoicing for shops in Iran."""

__version__ = "0.1.0"
