"""The composition of posapp's services over one database: what the GUI and the CLI open.

`AppServices.open()` creates the engine, applies Alembic migrations (an old database upgrades
itself) and builds the catalogue, customer, invoicing and backup services. Services are Qt-free
and thread-safe (each call opens its own session); close it once at shutdown.
"""

from __future__ import annotations

from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

from posapp.domain.changes import ChangeFeed
from posapp.domain.tax import DEFAULT_VAT_TABLE, VatTable
from posapp.paths import default_database_url
from posapp.services.access import AccessService, TillSession
from posapp.services.audit import AuditService
from posapp.services.backup import BackupService
from posapp.services.catalog import CatalogService
from posapp.services.customers import CustomerService
from posapp.services.invoicing import InvoicingService
from posapp.services.reports import ReportService
from posapp.services.shifts import ShiftService
from posapp.settings.store import SettingsStore
from posapp.storage import migrate
from posapp.storage.engine import Database, sqlite_file
from posapp.storage.opening import database_errors_explained, open_database

if TYPE_CHECKING:
    from posapp.services.counter import CounterService
    from posapp.services.documents import DocumentService


class AppServices:
    def __init__(self, database: Database, settings: SettingsStore, vat_table: VatTable = DEFAULT_VAT_TABLE) -> None:
        self.database = database
        self.settings = settings
        self.catalog = CatalogService(database)
        self.customers = CustomerService(database)
        self.till_session = TillSession()
        """Who is signed in at this till (the GUI's; commands pass their actor explicitly)."""
        self.invoicing = InvoicingService(database, settings, vat_table=vat_table, session=self.till_session)
        self.backup = BackupService(database)
        self.reports = ReportService(database)
        self.access = AccessService(database, self.invoicing.till, self.till_session)
        self.shifts = ShiftService(database, self.invoicing.till, self.till_session)
        self.audit = AuditService(database)

    @property
    def changes(self) -> ChangeFeed:
        """What every committed write changed, announced as it happens (posapp.domain.changes)."""
        return self.database.changes

    @cached_property
    def documents(self) -> DocumentService:
        """PDF rendering with the shop's settings; built on first use so start-up does not pay
        for importing reportlab."""
        from posapp.services.documents import DocumentService

        return DocumentService(self.invoicing, self.settings)

    @cached_property
    def counter(self) -> CounterService:
        """The ESC/POS receipt printer, drawer and their print queue; built on first use."""
        from posapp.services.counter import CounterService

        return CounterService(self.documents, self.settings, self.database, access=self.access)

    @classmethod
    def open(cls, database_url: str | None = None, *, settings: SettingsStore | None = None) -> AppServices:
        """Open (creating if needed) and migrate the database at `database_url` (default: the
        POSAPP_DATABASE_URL or the SQLite file in the user data folder). A damaged, empty,
        newer or unwritable database raises `DatabaseProblem` with nothing changed (see
        `posapp.storage.opening`)."""
        url = database_url or default_database_url()
        database = open_database(url)
        try:
            with database_errors_explained(sqlite_file(url) or ""):
                migrate.upgrade(database.engine)
        except BaseException:
            database.dispose()
            raise
        return cls(database, settings or SettingsStore())

    def close(self) -> None:
        if "counter" in self.__dict__:
            self.counter.close()
        self.database.dispose()

    def __enter__(self) -> AppServices:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None,
    ) -> None:
        self.close()
