"""Pure business rules: money, invoices and their totals, tax, lifecycle, Iranian identifiers."""
