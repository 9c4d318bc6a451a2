"""Products: the dock pane (search, create, edit, import, export) and the product form.

Import reads CSV or .xlsx into a checked preview first (rows to create, rows to update, and a
per-row error report); nothing is written until the user confirms, and the write runs in the
background with a progress dialog that can cancel (a cancelled import saves nothing).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.errors import DomainError
from posapp.services.catalog import ProductInput, ProductView
from posapp.services.context import AppServices
from posapp.ui.display import Display, parse_percent
from posapp.ui.forms import FieldForm, ScrollingForm
from posapp.ui.messages import error_text, show_warning
from posapp.ui.paged_model import ALIGN_CENTER, Column
from posapp.ui.search_pane import SearchPane
from posapp.ui.tasks import TaskContext, TaskManager

PREVIEW_ROWS_SHOWN = 500
HUNDRED = Decimal(100)


def _tax_text(product: ProductView, display: Display) -> str:
    if product.tax_exempt:
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate("Products", "معاف")
    if product.tax_rate_override is not None:
        return display.percent(product.tax_rate_override * HUNDRED)
    return ""


class ProductDialog(QDialog):
    """Create (product=None) or edit a product: code, name, several barcodes, price in the
    display unit, stock, unit, a tax override and Moadian's goods and unit codes. `saved`
    holds the stored ProductView."""

    def __init__(self, services: AppServices, display: Display, product: ProductView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("productDialog")
        self.setWindowTitle(self.tr("ویرایش کالا") if product else self.tr("کالای جدید"))
        self._services = services
        self._display = display
        self._product = product
        self.saved: ProductView | None = None
        self.form = FieldForm(display.language)
        self.code = QLineEdit()
        self.name = QLineEdit()
        self.barcodes = QLineEdit()
        self.barcodes.setPlaceholderText(self.tr("چند بارکد را با ; جدا کنید"))
        self.price = QLineEdit()
        self.price.setPlaceholderText(display.unit_label)
        self.unit = QLineEdit(self.tr("عدد"))
        self.stock = QLineEdit("0")
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems(["", *services.catalog.categories()])
        self.category.lineEdit().setPlaceholderText(self.tr("مثلاً لبنیات؛ برای گزارش فروش دسته‌ها"))
        self.tax = QLineEdit()
        self.tax.setPlaceholderText(self.tr("خالی: نرخ جاری ارزش افزوده؛ مثلاً ۹٪"))
        self.tax_exempt = QCheckBox(self.tr("معاف از مالیات"))
        self.goods_code = QLineEdit()
        self.goods_code.setPlaceholderText(self.tr("۱۳ رقم، برای سامانه مؤدیان"))
        self.unit_code = QLineEdit()
        self.unit_code.setPlaceholderText(self.tr("خالی: از روی نام واحد (مثلاً ۱۶۲۷ برای عدد)"))
        for field, label, widget in (
            ("code", self.tr("کد کالا:"), self.code),
            ("name", self.tr("نام کالا:"), self.name),
            ("barcodes", self.tr("بارکدها:"), self.barcodes),
            ("price", self.tr("قیمت فروش (%1):").replace("%1", display.unit_label), self.price),
            ("unit", self.tr("واحد:"), self.unit),
            ("stock", self.tr("موجودی:"), self.stock),
            ("category", self.tr("دسته:"), self.category),
            ("tax_rate_override", self.tr("نرخ مالیات:"), self.tax),
            ("tax_exempt", "", self.tax_exempt),
            ("goods_code", self.tr("شناسه کالا/خدمت (مؤدیان):"), self.goods_code),
            ("unit_code", self.tr("کد واحد سنجش (مؤدیان):"), self.unit_code),
        ):
            self.form.add(field, label, widget)
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(lambda _text, f=field: self.form.clear_error(f))
        self.form.finish()
        if product is not None:
            self.code.setText(product.code)
            self.name.setText(product.name)
            self.barcodes.setText("; ".join(product.barcodes))
            self.price.setText(display.amount_for_editing(product.price))
            self.unit.setText(product.unit)
            self.stock.setText(f"{product.stock.normalize():f}")
            if product.tax_rate_override is not None:
                self.tax.setText(f"{(product.tax_rate_override * HUNDRED).normalize():f}")
            self.tax_exempt.setChecked(product.tax_exempt)
            self.goods_code.setText(product.goods_code)
            self.unit_code.setText(product.unit_code)
            self.category.setCurrentText(product.category)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(ScrollingForm(self.form))
        layout.addWidget(buttons)
        self.code.setFocus()

    def product_input(self) -> ProductInput:
        tax_text = self.tax.text().strip()
        override = parse_percent(tax_text, field="tax_rate_override") / HUNDRED if tax_text else None
        return ProductInput(
            name=self.name.text(), code=self.code.text(),
            price=self._display.parse_amount(self.price.text() or "0", field="price"),
            unit=self.unit.text(), stock=self.stock.text() or "0",
            tax_rate_override=override, tax_exempt=self.tax_exempt.isChecked(),
            barcodes=tuple(b.strip() for b in self.barcodes.text().replace("|", ";").split(";") if b.strip()),
            goods_code=self.goods_code.text(), unit_code=self.unit_code.text(),
            category=self.category.currentText(),
        )

    def accept(self) -> None:
        self.form.clear_errors()
        try:
            data = self.product_input()
            if self._product is None:
                self.saved = self._services.catalog.create(data)
            else:
                self.saved = self._services.catalog.update(self._product.id, data)
        except DomainError as error:
            self.form.show_error(error)
            return
        super().accept()


class ImportPreviewDialog(QDialog):
    """Shows what an import would do: rows to create or update, and every refused row with its
    reason. Accepting means "import the valid rows"."""

    def __init__(self, preview: Any, display: Display, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importPreview")
        self.setWindowTitle(self.tr("پیش‌نمایش ورود کالا"))
        number = display.number
        summary = QLabel(
            self.tr("پرونده: %1 — کالای جدید: %2، به‌روزرسانی: %3، سطرهای دارای خطا: %4")
            .replace("%1", preview.path.name).replace("%2", number(preview.new_count))
            .replace("%3", number(preview.update_count)).replace("%4", number(len(preview.errors)))
        )
        summary.setObjectName("importSummary")
        summary.setWordWrap(True)
        self.rows_table = QTableWidget(min(len(preview.rows), PREVIEW_ROWS_SHOWN), 5)
        self.rows_table.setObjectName("importRows")
        self.rows_table.setHorizontalHeaderLabels([
            self.tr("سطر"), self.tr("کد"), self.tr("نام"), self.tr("قیمت"), self.tr("عملیات"),
        ])
        for position, row in enumerate(preview.rows[:PREVIEW_ROWS_SHOWN]):
            values = (
                number(row.row_number), row.product.code, row.product.name,
                display.amount(Decimal(row.product.price)),
                self.tr("جدید") if row.existing_id is None else self.tr("به‌روزرسانی"),
            )
            for column, value in enumerate(values):
                self.rows_table.setItem(position, column, QTableWidgetItem(value))
        problems = [p for row_problems in preview.errors.values() for p in row_problems]
        self.errors_table = QTableWidget(len(problems), 3)
        self.errors_table.setObjectName("importErrors")
        self.errors_table.setHorizontalHeaderLabels([self.tr("سطر"), self.tr("ستون"), self.tr("خطا")])
        for position, problem in enumerate(problems):
            message = problem.message_fa if display.language == "fa" else problem.message_en
            for column, value in enumerate((number(problem.row_number), problem.field, message)):
                self.errors_table.setItem(position, column, QTableWidgetItem(value))
        for table in (self.rows_table, self.errors_table):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setStretchLastSection(True)
            table.verticalHeader().hide()
        tabs = QTabWidget()
        tabs.addTab(self.rows_table, self.tr("سطرهای معتبر (%1)").replace("%1", number(len(preview.rows))))
        tabs.addTab(self.errors_table, self.tr("خطاها (%1)").replace("%1", number(len(problems))))
        if problems:
            tabs.setCurrentWidget(self.errors_table)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(self.tr("ورود %1 سطر معتبر").replace("%1", number(len(preview.rows))))
        self.import_button.setEnabled(bool(preview.rows))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        self.resize(760, 480)


class ProductsPane(SearchPane[ProductView]):
    """Search and list the catalogue (SQL paging), create, edit, import and export.
    `sig_add_product` puts the selected product on the invoice."""

    sig_add_product = Signal(object)
    sig_message = Signal(str)
    sig_imported = Signal(object)

    def __init__(self, services: AppServices, tasks: TaskManager, display: Display,
                 parent: QWidget | None = None) -> None:
        self._services = services
        self._tasks = tasks
        self._display = display
        super().__init__(services.catalog, names=("productsPane", "productSearch", "productsTable"),
                         stretch_column=1, parent=parent)
        self.table.doubleClicked.connect(lambda _index: self._add_selected())

        buttons = QHBoxLayout()
        for text, handler in (
            (self.tr("جدید"), self.new_product), (self.tr("ویرایش"), self.edit_product),
            (self.tr("افزودن به فاکتور"), self._add_selected),
            (self.tr("ورود از فایل…"), self.import_products), (self.tr("خروجی CSV…"), self.export_products),
        ):
            button = QPushButton(text)
            button.clicked.connect(handler)
            buttons.addWidget(button)
        self.count_label = QLabel()
        self.list_layout.addWidget(self.count_label)
        self.list_layout.addLayout(buttons)
        self._on_refreshed()

    def _columns(self) -> list[Column[ProductView]]:
        display = self._display
        return [
            Column(self.tr("کد"), lambda p: p.code),
            Column(self.tr("نام کالا"), lambda p: p.name),
            Column(self.tr("قیمت"), lambda p: display.amount(p.price), ALIGN_CENTER, 11),
            Column(self.tr("موجودی"), lambda p: display.quantity(p.stock), ALIGN_CENTER, 7),
            Column(self.tr("واحد"), lambda p: p.unit, ALIGN_CENTER, 7),
            Column(self.tr("مالیات"), lambda p: _tax_text(p, display), ALIGN_CENTER, 6),
        ]

    def _placeholder(self) -> str:
        return self.tr("جستجو در نام یا کد کالا")

    def _on_refreshed(self) -> None:
        self.count_label.setText(
            self.tr("%1 کالا").replace("%1", self._display.number(self.model.rowCount()))
        )

    def _add_selected(self) -> None:
        product = self.selected()
        if product is not None:
            self.sig_add_product.emit(product)

    def new_product(self) -> None:
        self._open_dialog(None)

    def edit_product(self) -> None:
        product = self.selected()
        if product is not None:
            self._open_dialog(product)

    def _open_dialog(self, product: ProductView | None) -> None:
        dialog = ProductDialog(self._services, self._display, product, self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
                self.sig_message.emit(self.tr("کالای «%1» ذخیره شد").replace("%1", dialog.saved.name))
        finally:
            dialog.deleteLater()

    # -- import / export ---------------------------------------------------------------------

    def import_products(self, path: str | None = None) -> None:
        """Ask for a file (unless given), preview it in the background, show the preview, and
        import the valid rows only if the user confirms."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("ورود کالا از فایل"), "", self.tr("فهرست کالا (*.csv *.xlsx)"),
            )
            if not path:
                return
        catalog = self._services.catalog

        def read(context: TaskContext) -> Any:
            return catalog.preview_import(Path(path), context.report, lambda: context.cancelled)

        self._tasks.run_with_progress(
            self, self.tr("در حال خواندن فایل…"), read, on_done=self._show_preview,
            on_error=self._report_error, lane="read",
            on_cancelled=lambda: self.sig_message.emit(self.tr("ورود کالا لغو شد؛ چیزی ذخیره نشد")),
        )

    def _show_preview(self, preview: Any) -> None:
        dialog = ImportPreviewDialog(preview, self._display, self)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        if accepted:
            self.commit_import(preview)

    def commit_import(self, preview: Any) -> None:
        catalog = self._services.catalog

        def work(context: TaskContext) -> Any:
            return catalog.commit_import(preview, context.report, lambda: context.cancelled)

        self._tasks.run_with_progress(
            self, self.tr("در حال ورود کالاها…"), work, on_done=self._on_imported,
            on_error=self._report_error,
            on_cancelled=lambda: self.sig_message.emit(self.tr("ورود کالا لغو شد؛ چیزی ذخیره نشد")),
        )

    def _on_imported(self, report: Any) -> None:
        number = self._display.number
        self.sig_message.emit(
            self.tr("ورود کالا: %1 جدید، %2 به‌روزرسانی، %3 سطر رد شد")
            .replace("%1", number(report.created)).replace("%2", number(report.updated))
            .replace("%3", number(report.skipped))
        )
        self.refresh()  # the import ran on the write lane: its announced change arrives queued
        self.sig_imported.emit(report)

    def export_products(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("خروجی کالاها"), "products.csv", self.tr("CSV (*.csv)"),
            )
            if not path:
                return
        catalog = self._services.catalog

        def work(context: TaskContext) -> Any:
            return catalog.export(Path(path), context.report, lambda: context.cancelled)

        self._tasks.run_with_progress(
            self, self.tr("در حال نوشتن فایل…"), work, lane="read",
            on_done=lambda count: self.sig_message.emit(
                self.tr("%1 کالا در %2 ذخیره شد").replace("%1", self._display.number(count))
                .replace("%2", str(path))),
            on_error=self._report_error,
            on_cancelled=lambda: self.sig_message.emit(self.tr("خروجی گرفتن لغو شد")),
        )

    def _report_error(self, error: BaseException) -> None:
        text = error_text(error, self._display.language)
        self.sig_message.emit(text)
        show_warning(self, self.tr("خطا"), text)



