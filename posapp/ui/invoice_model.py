"""The invoice editor's table model: a thin Qt adapter over one draft `Invoice` value.

The draft is an immutable domain snapshot; every edit builds the next snapshot through the
domain (so line and total validation is the domain's), and a rejected edit leaves the draft
as it was and reports the domain's message through `sig_rejected`.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from posapp.domain.errors import DomainError, ValidationError
from posapp.domain.invoice import Discount, DiscountKind, Invoice, InvoiceLine
from posapp.ui.display import Display, parse_percent, parse_quantity

AnyIndex = QModelIndex | QPersistentModelIndex

COL_ROW, COL_CODE, COL_DESCRIPTION, COL_QUANTITY, COL_UNIT, COL_PRICE, COL_DISCOUNT, COL_TAX, \
    COL_TOTAL = range(9)
EDITABLE_COLUMNS = (COL_QUANTITY, COL_PRICE, COL_DISCOUNT)
COLUMN_WIDTHS_IN_DIGITS = (4, 12, 0, 7, 7, 11, 9, 10, 12)
"""Starting widths; the description (0) stretches. Fixed widths keep a scan from re-measuring
every cell of the table, which is what ResizeToContents would do on each change."""

_DISPLAY_ROLE = int(Qt.ItemDataRole.DisplayRole)
_EDIT_ROLE = int(Qt.ItemDataRole.EditRole)
_ALIGNMENT_ROLE = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP_ROLE = int(Qt.ItemDataRole.ToolTipRole)
_ROLES_SERVED = frozenset({_DISPLAY_ROLE, _EDIT_ROLE, _ALIGNMENT_ROLE, _TOOLTIP_ROLE})
_ALIGN_START = int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
_ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_ALIGNMENTS = tuple(
    _ALIGN_START if column in (COL_DESCRIPTION, COL_UNIT, COL_CODE) else _ALIGN_CENTER for column in range(9)
)
# Combined once: or-ing Qt flag enums costs more than the rest of flags(), which the view asks
# for every painted cell.
_FLAGS_READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_FLAGS_EDITABLE = _FLAGS_READ_ONLY | Qt.ItemFlag.ItemIsEditable


def parse_discount(text: str, display: Display) -> Discount:
    """'10%' or '۱۰٪' is a percentage; anything else is an amount in the display unit."""
    stripped = text.strip()
    if not stripped:
        return Discount()
    if stripped.endswith(("%", "٪")) or stripped.startswith(("%", "٪")):
        return Discount.percent(parse_percent(stripped))
    return Discount.amount(display.parse_amount(stripped, field="discount"))


class InvoiceLinesModel(QAbstractTableModel):
    """Rows are the draft's lines. Edits go through the domain; `sig_draft_changed` carries the
    new draft after every accepted change, `sig_rejected` the error of a refused one.

    The text shown in a row is formatted once and kept until that row changes: the view asks
    for every visible cell on each paint, a scan changes one row."""

    sig_draft_changed = Signal(object)
    sig_rejected = Signal(object)

    def __init__(self, draft: Invoice, display: Display, *, allow_price_edit: bool = True) -> None:
        super().__init__()
        self._draft = draft
        self._display = display
        self._allow_price_edit = allow_price_edit
        self._editable_columns = frozenset(
            (COL_QUANTITY, COL_DISCOUNT, COL_PRICE) if allow_price_edit else (COL_QUANTITY, COL_DISCOUNT)
        )
        self._row_texts: list[tuple[str, ...] | None] = [None] * len(draft.lines)
        self._headers = (
            self.tr("ردیف"), self.tr("کد"), self.tr("شرح کالا"), self.tr("تعداد"), self.tr("واحد"),
            self.tr("فی"), self.tr("تخفیف"), self.tr("مالیات"), self.tr("مبلغ کل"),
        )

    @property
    def draft(self) -> Invoice:
        return self._draft

    def set_draft(self, draft: Invoice) -> None:
        """Replace the whole draft (new invoice, resumed invoice)."""
        self.beginResetModel()
        self._draft = draft
        self._row_texts = [None] * len(draft.lines)
        self.endResetModel()
        self.sig_draft_changed.emit(draft)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._draft.lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.column() in self._editable_columns and self._draft.is_editable:
            return _FLAGS_EDITABLE
        return _FLAGS_READ_ONLY

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES_SERVED or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._draft.lines):
            return None
        column = index.column()
        if role == _ALIGNMENT_ROLE:
            return _ALIGNMENTS[column]
        if role == _DISPLAY_ROLE:
            return self._texts(row)[column]
        if role == _TOOLTIP_ROLE:  # a description cut to the column shows whole on hover
            return self._texts(row)[column] if column == COL_DESCRIPTION else None
        return self._edit_text(row, column)

    def multiData(self, index: AnyIndex, roleDataSpan: Any) -> None:
        """All the roles a delegate asks for a cell in one call (Qt's default calls `data`
        once per role, seven times per painted cell)."""
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._draft.lines):
            for role_data in roleDataSpan:
                role_data.clearData()
            return
        column = index.column()
        for role_data in roleDataSpan:
            role = role_data.role()
            if role == _DISPLAY_ROLE:
                role_data.setData(self._texts(row)[column])
            elif role == _ALIGNMENT_ROLE:
                role_data.setData(_ALIGNMENTS[column])
            elif role == _EDIT_ROLE:
                role_data.setData(self._edit_text(row, column))
            else:
                role_data.clearData()

    def _texts(self, row: int) -> tuple[str, ...]:
        texts = self._row_texts[row]
        if texts is None:
            line = self._draft.lines[row]
            texts = tuple(self._display_text(row, line, column) for column in range(len(self._headers)))
            self._row_texts[row] = texts
        return texts

    def _display_text(self, row: int, line: InvoiceLine, column: int) -> str:
        display = self._display
        totals = self._draft.totals.lines[row]
        if column == COL_ROW:
            return display.number(row + 1)
        if column == COL_CODE:
            return line.product_code
        if column == COL_DESCRIPTION:
            return line.description
        if column == COL_QUANTITY:
            return display.quantity(line.quantity)
        if column == COL_UNIT:
            return line.unit
        if column == COL_PRICE:
            return display.amount(line.unit_price)
        if column == COL_DISCOUNT:
            if line.discount.kind is DiscountKind.PERCENT and line.discount.value:
                return display.percent(line.discount.value)
            return display.amount(totals.line_discount) if totals.line_discount else ""
        if column == COL_TAX:
            return display.amount(totals.tax)
        return display.amount(totals.total)

    def _edit_text(self, row: int, column: int) -> str:
        line = self._draft.lines[row]
        if column == COL_QUANTITY:
            return f"{line.quantity.normalize():f}"
        if column == COL_PRICE:
            return self._display.amount_for_editing(line.unit_price)
        if column == COL_DISCOUNT:
            if line.discount.kind is DiscountKind.PERCENT:
                return f"{line.discount.value.normalize():f}%" if line.discount.value else ""
            return self._display.amount_for_editing(line.discount.value) if line.discount.value else ""
        return self._texts(row)[column]

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        try:
            line = self.parse_edit(index.row(), index.column(), str(value))
            self._replace_lines(self._with_line(index.row(), line))
        except DomainError as error:
            self.sig_rejected.emit(error)
            return False
        return True

    def parse_edit(self, row: int, column: int, text: str) -> InvoiceLine:
        """The line that typing `text` into (`row`, `column`) gives; raises DomainError."""
        line = self._draft.lines[row]
        if column == COL_QUANTITY:
            return dataclasses.replace(line, quantity=parse_quantity(text))
        if column == COL_PRICE:
            return dataclasses.replace(line, unit_price=self._display.parse_amount(text, field="unit_price"))
        if column == COL_DISCOUNT:
            candidate = dataclasses.replace(line, discount=parse_discount(text, self._display))
            candidate.discount.applied_to(candidate.gross)
            return candidate
        raise ValidationError("column", "این ستون ویرایش نمی‌شود", "this column cannot be edited")

    def _with_line(self, row: int, line: InvoiceLine) -> tuple[InvoiceLine, ...]:
        lines = list(self._draft.lines)
        lines[row] = line
        return tuple(lines)

    def _replace_lines(self, lines: tuple[InvoiceLine, ...], **changes: object) -> None:
        """Install a new draft with `lines`; totals are checked first, so a refusal changes
        nothing. Existing rows are updated in place (the view keeps its selection)."""
        candidate = self._draft.with_changes(lines=lines, **changes)
        new_totals = candidate.totals.lines  # computing the totals validates them
        previous = self._draft
        old_count = len(previous.lines)
        new_count = len(lines)
        if new_count > old_count:
            self.beginInsertRows(QModelIndex(), old_count, new_count - 1)
            self._draft = candidate
            self._row_texts.extend([None] * (new_count - old_count))
            self.endInsertRows()
        elif new_count < old_count:
            self.beginResetModel()
            self._draft = candidate
            self._row_texts = [None] * new_count
            self.endResetModel()
        else:
            self._draft = candidate
        if new_count >= old_count:
            old_totals = previous.totals.lines
            changed = [
                row for row in range(old_count)
                if previous.lines[row] != lines[row] or old_totals[row] != new_totals[row]
            ]
            for row in changed:
                self._row_texts[row] = None
            if changed:
                # only rows whose text changed are repainted (a scan repaints one row)
                self.dataChanged.emit(self.index(changed[0], 0),
                                      self.index(changed[-1], self.columnCount() - 1))
        self.sig_draft_changed.emit(candidate)

    def add_line(self, line: InvoiceLine) -> int:
        """Add `line`, or add its quantity to the existing line of the same product and unit (a
        second scan), keeping that line's price and discount; returns the row that holds it."""
        for row, existing in enumerate(self._draft.lines):
            same_product = line.product_id is not None and existing.product_id == line.product_id
            if same_product and existing.unit == line.unit:
                merged = dataclasses.replace(existing, quantity=existing.quantity + line.quantity)
                self._replace_lines(self._with_line(row, merged))
                return row
        self._replace_lines((*self._draft.lines, line))
        return len(self._draft.lines) - 1

    def remove_line(self, row: int) -> None:
        if 0 <= row < len(self._draft.lines):
            lines = self._draft.lines[:row] + self._draft.lines[row + 1:]
            self._replace_lines(lines)

    def set_invoice_discount(self, discount: Discount) -> None:
        self._replace_lines(self._draft.lines, invoice_discount=discount)

    def update_draft(self, **changes: object) -> None:
        """Change non-line fields of the draft (customer, buyer, notes, payments)."""
        self._replace_lines(self._draft.lines, **changes)

    def set_quantity(self, row: int, quantity: Decimal) -> None:
        line = dataclasses.replace(self._draft.lines[row], quantity=quantity)
        self._replace_lines(self._with_line(row, line))
