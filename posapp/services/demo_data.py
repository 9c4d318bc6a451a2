"""Realistic, deterministic Persian demo data: a grocery catalogue, customers and a year of sales.

The same seed always gives the same data. Products and customers are bulk-inserted (the search
index follows through its triggers); invoices go through `InvoicingService.issue_many`, the same
path as the till, so every stored amount, number, stock movement and audit row is real.
Sales are made by the shop's users (demo users are created when there are none) inside one
shift per day, opened before the day's first sale and closed after its last with the cash
counted, so the demo year has real Z reports and a full journal.
The whole load runs under `bulk_load`: on SQLite the loading thread's connections commit with
synchronous=NORMAL and a large page cache (the journal stays WAL), and get their settings back after.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import groupby

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from posapp.domain.access import Actor
from posapp.domain.errors import DomainError
from posapp.domain.invoice import (
    NO_DISCOUNT,
    Discount,
    Invoice,
    InvoiceLine,
    Party,
    PartyKind,
    Payment,
    PaymentMethod,
    compute_totals,
)
from posapp.domain.jalali import IRAN_TZ
from posapp.domain.money import round_rial
from posapp.domain.scale_barcodes import ean13_check_digit
from posapp.domain.tax import tax_rate_for_product
from posapp.domain.text import normalize_for_search
from posapp.domain.validators import legal_national_id_check_digit, national_id_check_digit
from posapp.services.changes import CUSTOMERS, PRODUCTS, writes
from posapp.services.context import AppServices
from posapp.services.customers import customer_search_text
from posapp.settings.shop import (
    SHOP_ADDRESS,
    SHOP_ECONOMIC_CODE,
    SHOP_LEGAL_KIND,
    SHOP_NAME,
    SHOP_NATIONAL_ID,
    SHOP_PHONE,
    SHOP_POSTAL_CODE,
    SHOP_REGISTRATION_NUMBER,
)
from posapp.settings.store import SettingsStore
from posapp.storage.bulk import bulk_load, insert_rows
from posapp.storage.engine import is_sqlite
from posapp.storage.models import BarcodeRow, CustomerRow, ProductRow
from posapp.storage.search_schema import (
    CUSTOMER_FTS,
    PRODUCT_FTS,
    create_search_triggers,
    drop_search_triggers,
    rebuild_search_index,
)

StageProgress = Callable[[str, int, int], None]
"""Called with (stage, done, total); stages are "products", "customers" and "invoices"."""

INSERT_BATCH = 5000
INVOICE_BATCH = 5000
"""Invoices generated and issued per transaction: a bulk load commits (and checkpoints) less
often than the till's default batch."""
IRAN_GS1_PREFIX = "626"


@dataclass(frozen=True)
class Category:
    noun: str
    variants: tuple[str, ...]
    brands: tuple[str, ...]
    sizes: tuple[tuple[str, str], ...]
    """(size text for the name, unit) pairs; an empty size text means sold by the unit given."""
    price_range: tuple[int, int]
    """Rial, for one unit."""
    exempt: bool = False


CATEGORIES: tuple[Category, ...] = (
    Category("شیر", ("پاستوریزه", "کم‌چرب", "پرچرب", "استریلیزه", "بدون لاکتوز", "کاکائو"),
             ("کاله", "میهن", "پاک", "دامداران", "رامک", "هراز", "پگاه"),
             (("۱ لیتری", "عدد"), ("۲۰۰ میلی‌لیتری", "عدد"), ("۹۴۶ میلی‌لیتری", "عدد")), (120_000, 650_000)),
    Category("ماست", ("پرچرب", "کم‌چرب", "چکیده", "موسیر", "یونانی", "سنتی"),
             ("کاله", "میهن", "پاک", "دامداران", "رامک", "هراز", "پگاه", "مانی"),
             (("۹۰۰ گرمی", "عدد"), ("۲ کیلویی", "سطل"), ("۱۵۰۰ گرمی", "عدد")), (250_000, 1_400_000)),
    Category("پنیر", ("لیقوان", "سفید", "خامه‌ای", "پیتزا", "فتا", "گودا", "چدار"),
             ("کاله", "میهن", "پاک", "دامداران", "رامک", "هراز", "پگاه"),
             (("۴۰۰ گرمی", "عدد"), ("", "کیلوگرم"), ("۱۰۰ گرمی", "بسته")), (300_000, 4_500_000)),
    Category("برنج", ("هاشمی", "طارم", "فجر", "دم‌سیاه", "پاکستانی", "قهوه‌ای"),
             ("گلستان", "محسن", "خاطره", "طبیعت", "شمال"),
             (("۵ کیلویی", "کیسه"), ("۱۰ کیلویی", "کیسه"), ("", "کیلوگرم")), (900_000, 6_500_000), exempt=True),
    Category("روغن", ("مایع", "سرخ‌کردنی", "کنجد", "زیتون", "آفتابگردان", "جامد"),
             ("لادن", "بهار", "فامیلا", "اویلا", "غنچه", "نینا"),
             (("۸۱۰ گرمی", "عدد"), ("۱.۵ لیتری", "عدد"), ("۴ لیتری", "عدد")), (700_000, 5_800_000)),
    Category("چای", ("سیاه", "سبز", "کیسه‌ای", "عطری", "ارل گری", "هل‌دار"),
             ("گلستان", "احمد", "دبش", "شهرزاد", "محسن", "سحرخیز"),
             (("۵۰۰ گرمی", "بسته"), ("۱۰۰ گرمی", "بسته"), ("۲۵ عددی", "بسته")), (400_000, 3_500_000)),
    Category("قند", ("شکسته", "حبه", "کله‌قند"), ("شیرین‌عسل", "بیژن", "نمونه", "اصفهان"),
             (("۱ کیلویی", "بسته"), ("", "کیلوگرم")), (250_000, 900_000)),
    Category("شکلات", ("تلخ", "شیری", "فندقی", "کاراملی", "نارگیلی", "تخته‌ای"),
             ("شیرین‌عسل", "آیدین", "فرمند", "پارمیدا", "باراکا", "نادی"),
             (("۱۰۰ گرمی", "عدد"), ("۳۰۰ گرمی", "جعبه"), ("۴۵ گرمی", "عدد")), (80_000, 1_900_000)),
    Category("بیسکویت", ("ساقه‌طلایی", "کرمدار", "پتی‌بور", "سبوس‌دار", "مغزدار", "نمکی"),
             ("گرجی", "مینو", "شیرین‌عسل", "ویتانا", "سلامت", "آناتا"),
             (("۲۰۰ گرمی", "بسته"), ("۶۰۰ گرمی", "بسته")), (60_000, 650_000)),
    Category("رب گوجه‌فرنگی", ("قوطی", "شیشه‌ای", "کم‌نمک"), ("چین‌چین", "دلپذیر", "روژین", "بهروز", "یک و یک"),
             (("۸۰۰ گرمی", "عدد"), ("۴۰۰ گرمی", "عدد")), (250_000, 950_000)),
    Category("ماکارونی", ("فرمی", "پنه", "رشته‌ای", "لازانیا", "سبوس‌دار"), ("زر", "تک", "مانا", "الیکا", "تکماکارون"),
             (("۵۰۰ گرمی", "بسته"), ("۷۰۰ گرمی", "بسته")), (150_000, 700_000)),
    Category("نان", ("سنگک", "بربری", "لواش", "تافتون", "تست", "باگت"), ("نان آوران", "سحر", "نان‌آوا", "سالمین"),
             (("", "عدد"), ("۱۰ عددی", "بسته")), (30_000, 350_000), exempt=True),
    Category("حبوبات", ("لوبیا قرمز", "لپه", "عدس", "نخود", "لوبیا چیتی", "ماش"), ("گلستان", "سبزان", "طبیعت", "کوروش"),
             (("۹۰۰ گرمی", "بسته"), ("", "کیلوگرم")), (250_000, 2_200_000), exempt=True),
    Category("نوشابه", ("کولا", "پرتقالی", "لیمویی", "زمزم", "بدون قند"), ("زمزم", "کوکاکولا", "پپسی", "سن‌ایچ"),
             (("۱.۵ لیتری", "عدد"), ("۳۰۰ میلی‌لیتری", "قوطی")), (90_000, 450_000)),
    Category("آب معدنی", ("طبیعی", "گازدار"), ("دماوند", "واتا", "اکوا", "داماش", "کوهرنگ"),
             (("۱.۵ لیتری", "عدد"), ("۵۰۰ میلی‌لیتری", "عدد"), ("۶ عددی", "باکس")), (40_000, 350_000)),
    Category("پودر لباسشویی", ("دستی", "ماشینی", "رنگی", "سفید"), ("تاژ", "سافتلن", "پرسیل", "برف", "اکتیو"),
             (("۵۰۰ گرمی", "عدد"), ("۳ کیلویی", "عدد")), (300_000, 3_200_000)),
    Category("مایع ظرفشویی", ("لیمویی", "سیب سبز", "پرتقالی", "آلوئه‌ورا"), ("پریل", "اکتیو", "گلرنگ", "سافتلن"),
             (("۱ لیتری", "عدد"), ("۳.۷۵ لیتری", "عدد")), (200_000, 1_300_000)),
    Category("دستمال کاغذی", ("۱۰۰ برگ", "۲۰۰ برگ", "حوله‌ای", "جیبی"), ("نرمو", "تنو", "پامچال", "ایزی‌پیک"),
             (("", "بسته"), ("۶ عددی", "بسته")), (70_000, 700_000)),
    Category("گوشت", ("گوساله", "گوسفندی", "چرخ‌کرده", "ران مرغ", "سینه مرغ"), ("پویا", "کوروش", "سبزان", "تلاونگ"),
             (("", "کیلوگرم"), ("۱ کیلویی", "بسته")), (1_500_000, 9_000_000), exempt=True),
    Category("زعفران", ("سرگل", "نگین", "پوشال"), ("سحرخیز", "نوین", "قائنات", "گلستان"),
             (("۱ مثقالی", "بسته"), ("نیم مثقالی", "بسته")), (2_500_000, 15_000_000)),
)

SHELF_CATEGORIES: dict[str, tuple[str, ...]] = {
    "لبنیات": ("شیر", "ماست", "پنیر"),
    "خواربار": ("برنج", "روغن", "چای", "قند", "رب گوجه‌فرنگی", "ماکارونی", "حبوبات"),
    "تنقلات": ("شکلات", "بیسکویت"),
    "نان": ("نان",),
    "نوشیدنی": ("نوشابه", "آب معدنی"),
    "شوینده و بهداشتی": ("پودر لباسشویی", "مایع ظرفشویی", "دستمال کاغذی"),
    "گوشت و مرغ": ("گوشت",),
    "ادویه و زعفران": ("زعفران",),
}
"""The catalogue categories (shelf groups) demo products get, by the kind of product."""
CATEGORY_OF_NOUN = {noun: shelf for shelf, nouns in SHELF_CATEGORIES.items() for noun in nouns}

FIRST_NAMES = (
    "علی", "محمد", "حسین", "رضا", "مهدی", "امیر", "سعید", "حمید", "مجید", "کاظم", "مریم", "فاطمه",
    "زهرا", "سارا", "نرگس", "لیلا", "مینا", "الهام", "شیما", "نیلوفر", "پریسا", "آرش", "بابک",
    "کیان", "پرستو", "یاسمن", "محسن", "جواد", "نازنین", "هانیه",
)
LAST_NAMES = (
    "رضایی", "محمدی", "حسینی", "احمدی", "کریمی", "موسوی", "جعفری", "صادقی", "رحیمی", "هاشمی",
    "قاسمی", "کاظمی", "نوری", "اکبری", "عباسی", "طاهری", "شریفی", "زمانی", "یزدانی", "فرهادی",
    "میرزایی", "نجفی", "سلطانی", "اسدی", "بهرامی", "توکلی", "کرمانی", "شیرازی", "تهرانی", "اصفهانی",
)
COMPANY_WORDS = ("بازرگانی", "پخش", "تعاونی", "صنایع غذایی", "فروشگاه‌های زنجیره‌ای", "رستوران", "هتل")
CITIES = ("تهران", "اصفهان", "شیراز", "مشهد", "تبریز", "کرج", "قم", "اهواز", "رشت", "یزد")
STREETS = ("ولیعصر", "انقلاب", "آزادی", "شریعتی", "جمهوری", "امام خمینی", "فردوسی", "حافظ", "سعدی", "بهار")
_POSTAL_AREA_DIGITS = "13456789"
_WEIGHED_QUANTITIES = tuple(Decimal(grams) / 1000 for grams in range(100, 3000, 50))
_UNIT_QUANTITIES = tuple(Decimal(count) for count in (1, 1, 1, 2, 2, 3, 4, 6))
_LINE_DISCOUNTS = (Discount.percent(5), Discount.percent(10))
"""What a generated line may carry, built once (a choice among them draws like a range would)."""


def ean13(body12: str) -> str:
    """The 13-digit EAN with its check digit for 12 digits."""
    return body12 + str(ean13_check_digit(body12))


def national_id(serial: int) -> str:
    """A valid کد ملی from a serial (distinct serials give distinct IDs)."""
    first_nine = f"{(serial * 7_919 + 104_729) % 1_000_000_000:09d}"
    return first_nine + str(national_id_check_digit(first_nine))


def legal_national_id(serial: int) -> str:
    first_ten = f"10{(serial * 7_919 + 1) % 10_000_000:07d}{serial % 10}"
    return first_ten + str(legal_national_id_check_digit(first_ten))


@contextmanager
def paused_search_index(session: Session, fts: str) -> Iterator[None]:
    """On SQLite, load rows without the per-row search triggers and index them all at once at
    the end, inside the caller's transaction (so a failure leaves the index as it was)."""
    connection = session.connection()
    if not is_sqlite(connection):
        yield
        return
    drop_search_triggers(connection, fts)
    yield
    rebuild_search_index(connection, fts)
    create_search_triggers(connection, fts)


@dataclass(frozen=True)
class DemoProduct:
    id: int
    code: str
    name: str
    unit: str
    price: Decimal
    tax_override: Decimal | None
    exempt: bool


DEMO_SHOP_PROFILE = (
    (SHOP_NAME, "فروشگاه نمایشی آفتاب"),
    (SHOP_LEGAL_KIND, "legal"),
    (SHOP_NATIONAL_ID, "10320874561"),
    (SHOP_ECONOMIC_CODE, "411134567891"),
    (SHOP_REGISTRATION_NUMBER, "45872"),
    (SHOP_POSTAL_CODE, "1593835111"),
    (SHOP_PHONE, "021-88776655"),
    (SHOP_ADDRESS, "تهران، خیابان ولیعصر، بالاتر از میدان ونک، پلاک ۱۲"),
)
"""The shop profile demo data fills in when none is set: invoices are never issued without a
seller, and the official form has every field it prints."""


def fill_demo_shop_profile(store: SettingsStore) -> bool:
    """Write the demo shop profile when the shop has no name yet; a real profile is never
    touched. Returns whether it wrote anything."""
    if store.get(SHOP_NAME).strip():
        return False
    for setting, value in DEMO_SHOP_PROFILE:
        store.set(setting, value)
    return True


@dataclass(frozen=True)
class DemoReport:
    products: int
    customers: int
    invoices: int
    seconds: float


class DemoDataGenerator:
    """Fills a database with demo data; `seed` makes it reproducible."""

    def __init__(self, services: AppServices, seed: int = 1, progress: StageProgress | None = None) -> None:
        self.services = services
        self._db = services.database
        """Where `@writes` announces the products and customers added."""
        self.random = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
        self.progress = progress or (lambda _stage, _done, _total: None)
        self._search_keys: dict[str, str] = {}
        self._rates: dict[tuple[date, Decimal | None, bool], Decimal] = {}
        """Tax rate per (Tehran day, override, exempt): the Jalali conversion is the slow part."""

    def run(self, products: int, customers: int, invoices: int) -> DemoReport:
        started = clock.perf_counter()
        if invoices and not products:
            with self.services.database.read() as session:
                if session.execute(select(ProductRow.id).limit(1)).first() is None:
                    raise DomainError(
                        "برای فاکتور نمایشی کالا لازم است؛ پایگاه داده کالایی ندارد (--products)",
                        "demo invoices need products: the database has none; add some with --products")
        with bulk_load(self.services.database.engine):
            catalogue = self.add_products(products)
            customer_parties = self.add_customers(customers)
            if invoices and not catalogue:
                catalogue = self.existing_products()
            if invoices and not customer_parties and not customers:
                customer_parties = self.existing_customers()
            issued = self.add_invoices(invoices, catalogue, customer_parties)
        return DemoReport(products, customers, issued, clock.perf_counter() - started)

    def existing_products(self) -> list[DemoProduct]:
        """The catalogue already in the database, so invoices can be added to it later."""
        with self.services.database.read() as session:
            return [
                DemoProduct(row.id, row.code, row.name, row.unit, row.price, row.tax_rate_override, row.tax_exempt)
                for row in session.execute(select(
                    ProductRow.id, ProductRow.code, ProductRow.name, ProductRow.unit, ProductRow.price,
                    ProductRow.tax_rate_override, ProductRow.tax_exempt).order_by(ProductRow.id))
            ]

    def existing_customers(self) -> list[tuple[int, Party]]:
        with self.services.database.read() as session:
            rows = session.execute(select(CustomerRow).order_by(CustomerRow.id)).scalars()
            return [
                (row.id, Party(name=row.name, kind=PartyKind(row.kind), national_id=row.national_id,
                               economic_code=row.economic_code, postal_code=row.postal_code,
                               mobile=row.mobile, address=row.address))
                for row in rows
            ]

    def _normalized(self, name: str) -> str:
        key = self._search_keys.get(name)
        if key is None:
            key = self._search_keys[name] = normalize_for_search(name)
        return key

    # -- catalogue -------------------------------------------------------------------------

    def _product_values(self, serial: int, now: datetime) -> tuple[dict[str, object], str]:
        rnd = self.random
        category = rnd.choice(CATEGORIES)
        size, unit = rnd.choice(category.sizes)
        name = " ".join(part for part in (category.noun, rnd.choice(category.variants),
                                          rnd.choice(category.brands), size) if part)
        low, high = category.price_range
        price = Decimal(rnd.randrange(low // 1000, high // 1000) * 1000)
        weighed = unit == "کیلوگرم"
        stock = Decimal(rnd.randrange(0, 400_000)) / 1000 if weighed else Decimal(rnd.randrange(0, 400))
        override = Decimal("0.09") if not category.exempt and rnd.random() < 0.02 else None
        values = {
            "code": f"P{serial:07d}", "name": name, "name_normalized": self._normalized(name),
            "unit": unit, "price": price, "tax_rate_override": override, "tax_exempt": category.exempt,
            "stock": stock, "category": CATEGORY_OF_NOUN[category.noun], "created_at": now, "updated_at": now,
        }
        return values, ean13(f"{IRAN_GS1_PREFIX}{serial:09d}")

    @writes(PRODUCTS)
    def add_products(self, count: int) -> list[DemoProduct]:
        """Insert `count` products with one barcode each, in one transaction."""
        created: list[DemoProduct] = []
        with self.services.database.write() as session, paused_search_index(session, PRODUCT_FTS):
            start = int(session.execute(select(func.coalesce(func.max(ProductRow.id), 0))).scalar_one()) + 1
            for batch_start in range(0, count, INSERT_BATCH):
                now = datetime.now(UTC)
                batch = [self._product_values(start + batch_start + i, now)
                         for i in range(min(INSERT_BATCH, count - batch_start))]
                insert_rows(session, ProductRow.__table__, [values for values, _ in batch])
                codes = [str(values["code"]) for values, _ in batch]
                id_of = dict(session.execute(
                    select(ProductRow.code, ProductRow.id).where(ProductRow.code.between(codes[0], codes[-1]))
                ).all())
                insert_rows(session, BarcodeRow.__table__, [
                    {"product_id": id_of[str(values["code"])], "barcode": barcode} for values, barcode in batch
                ])
                created.extend(
                    DemoProduct(id_of[str(v["code"])], str(v["code"]), str(v["name"]), str(v["unit"]),
                                v["price"], v["tax_rate_override"], bool(v["tax_exempt"]))  # type: ignore[arg-type]
                    for v, _ in batch
                )
                self.progress("products", len(created), count)
        return created

    # -- customers -------------------------------------------------------------------------

    def _customer_values(self, serial: int, now: datetime) -> dict[str, object]:
        rnd = self.random
        legal = rnd.random() < 0.05
        if legal:
            name = f"{rnd.choice(('شرکت', 'موسسه'))} {rnd.choice(COMPANY_WORDS)} {rnd.choice(LAST_NAMES)}"
            identity = legal_national_id(serial)
            economic = legal_national_id(serial + 7) + "0"
            registration = str(rnd.randrange(1000, 999_999))
        else:
            name = f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}"
            identity = national_id(serial)
            economic = ""
            registration = ""
        mobile = f"09{rnd.choice(('12', '13', '19', '35', '36', '01', '02', '21'))}{serial % 10_000_000:07d}"
        postal = "".join(rnd.choice(_POSTAL_AREA_DIGITS) for _ in range(5)) + f"{rnd.randrange(0, 100_000):05d}"
        return {
            "kind": (PartyKind.LEGAL if legal else PartyKind.NATURAL).value, "name": name,
            "name_normalized": self._normalized(name), "national_id": identity,
            "economic_code": economic, "registration_number": registration, "postal_code": postal,
            "mobile": mobile, "phone": f"0{rnd.randrange(21, 90)}{rnd.randrange(1_000_000, 9_999_999)}",
            "address": f"{rnd.choice(CITIES)}، خیابان {rnd.choice(STREETS)}، پلاک {rnd.randrange(1, 400)}",
            "search_text": customer_search_text(name, mobile, identity, economic),
            "created_at": now, "updated_at": now,
        }

    @writes(CUSTOMERS)
    def add_customers(self, count: int) -> list[tuple[int, Party]]:
        """Insert `count` customers (5% companies), in one transaction."""
        created: list[tuple[int, Party]] = []
        with self.services.database.write() as session, paused_search_index(session, CUSTOMER_FTS):
            before = int(session.execute(select(func.coalesce(func.max(CustomerRow.id), 0))).scalar_one())
            for batch_start in range(0, count, INSERT_BATCH):
                now = datetime.now(UTC)
                batch = [self._customer_values(before + 1 + batch_start + i, now)
                         for i in range(min(INSERT_BATCH, count - batch_start))]
                last = int(session.execute(select(func.coalesce(func.max(CustomerRow.id), 0))).scalar_one())
                insert_rows(session, CustomerRow.__table__, batch)
                ids = session.execute(
                    select(CustomerRow.id).where(CustomerRow.id > last).order_by(CustomerRow.id)
                ).scalars().all()
                created.extend(
                    (cid, Party(name=str(v["name"]), kind=PartyKind(str(v["kind"])), national_id=str(v["national_id"]),
                                economic_code=str(v["economic_code"]), postal_code=str(v["postal_code"]),
                                mobile=str(v["mobile"]), address=str(v["address"])))
                    for cid, v in zip(ids, batch, strict=True)
                )
                self.progress("customers", len(created), count)
        return created

    # -- invoices --------------------------------------------------------------------------

    def _line(self, product: DemoProduct, day: date) -> InvoiceLine:
        rnd = self.random
        quantity = rnd.choice(_WEIGHED_QUANTITIES if product.unit == "کیلوگرم" else _UNIT_QUANTITIES)
        discount = rnd.choice(_LINE_DISCOUNTS) if rnd.random() < 0.05 else NO_DISCOUNT
        key = (day, product.tax_override, product.exempt)
        rate = self._rates.get(key)
        if rate is None:
            rate = self._rates[key] = tax_rate_for_product(self.services.invoicing.vat_table, *key)
        return InvoiceLine(
            description=product.name, quantity=quantity, unit_price=product.price, unit=product.unit,
            tax_rate=rate,
            discount=discount, product_id=product.id, product_code=product.code,
        )

    def _payments(self, payable: Decimal, has_customer: bool) -> tuple[Payment, ...]:
        roll = self.random.random()
        if has_customer and roll < 0.08:
            cash = round_rial(payable * Decimal("0.3") / 10_000) * 10_000
            return (Payment(PaymentMethod.CASH, cash), Payment(PaymentMethod.CREDIT, payable - cash)) \
                if 0 < cash < payable else (Payment(PaymentMethod.CREDIT, payable),)
        if roll < 0.45:
            tendered = (payable // 100_000 + 1) * 100_000
            return (Payment(PaymentMethod.CASH, tendered),)
        if roll < 0.97:
            return (Payment(PaymentMethod.CARD, payable, f"{self.random.randrange(10**11, 10**12)}"),)
        return ()

    def add_invoices(self, count: int, catalogue: list[DemoProduct], customers: list[tuple[int, Party]]) -> int:
        if count == 0:
            return 0
        if not catalogue:
            raise ValueError("add_invoices needs a non-empty catalogue")
        invoicing = self.services.invoicing
        fill_demo_shop_profile(self.services.settings)
        shifts = DemoShifts(self.services)
        template = invoicing.new_draft()
        year_ago = datetime.now(UTC) - timedelta(days=365)
        seconds = sorted(self.random.randrange(0, 365 * 86_400) for _ in range(count))
        rnd = self.random
        issued = 0
        for chunk_start in range(0, count, INVOICE_BATCH):
            drafts = []
            for offset in seconds[chunk_start:chunk_start + INVOICE_BATCH]:
                at = year_ago + timedelta(seconds=offset)
                picked = rnd.sample(catalogue, k=min(len(catalogue), rnd.choice((1, 1, 2, 2, 3, 3, 4, 5, 7))))
                customer = rnd.choice(customers) if customers and rnd.random() < 0.4 else None
                day = at.astimezone(IRAN_TZ).date()
                lines = tuple(self._line(product, day) for product in picked)
                payable = compute_totals(lines).payable
                drafts.append(Invoice(
                    seller=template.seller, till=template.till, series=template.series,
                    cashier=(cashier := shifts.cashier_of(day)).name, cashier_id=cashier.user_id,
                    created_at=at, issued_at=at, lines=lines,
                    customer_id=customer[0] if customer else None, buyer=customer[1] if customer else None,
                    payments=self._payments(payable, customer is not None),
                ))
            for day, day_drafts in groupby(drafts, key=lambda d: (d.issued_at or d.created_at).astimezone(IRAN_TZ).date()):
                batch = list(day_drafts)
                shifts.for_day(day, batch[0].issued_at or batch[0].created_at)
                shifts.sold(invoicing.issue_many(batch, batch_size=INVOICE_BATCH))
            issued += len(drafts)
            self.progress("invoices", issued, count)
        shifts.close()
        return issued


DEMO_USERS = (("مدیر فروشگاه", "owner", "1111"), ("مریم", "cashier", "2222"), ("علی", "cashier", "3333"))
"""Created when the database has no users: names, roles and the demo PINs (docs/shop-day.md)."""
DEMO_FLOAT = Decimal(5_000_000)


class DemoShifts:
    """One back-dated shift per day on this till: opened a quarter hour before the day's first
    sale by that day's cashier (users take turns), closed by the owner a quarter hour after its
    last sale with the cash counted (now and then a few notes short or over)."""

    def __init__(self, services: AppServices) -> None:
        self.services = services
        if not services.access.has_users():
            owner = services.access.add_user(*DEMO_USERS[0])
            for name, role, pin in DEMO_USERS[1:]:
                services.access.add_user(name, role, pin, owner.actor)
        users = [u for u in services.access.users(include_disabled=False)]
        owners = [u for u in users if u.role.name == "owner"]
        self.closer = owners[0].actor
        self.cashiers = [u.actor for u in users if u.role.name != "owner"] or [self.closer]
        if services.shifts.current() is not None:
            raise DomainError("برای داده نمایشی نخست شیفت باز این صندوق را ببندید",
                              "close this till's open shift before adding demo data")
        self.day: date | None = None
        self.last_sale: datetime | None = None
        self.cash = Decimal(0)
        """Cash the day's sales left in the drawer (the demo's own count of what to expect)."""

    def cashier_of(self, day: date) -> Actor:
        """Who sells on `day` (the cashiers take turns)."""
        return self.cashiers[day.toordinal() % len(self.cashiers)]

    def for_day(self, day: date, first_sale: datetime) -> None:
        """Open `day`'s shift (closing the day before) unless it is open already."""
        if day != self.day:
            self.close()
            self.services.shifts.open(DEMO_FLOAT, self.cashier_of(day), at=first_sale - timedelta(minutes=15))
            self.day = day
            self.cash = DEMO_FLOAT

    def sold(self, invoices: list[Invoice]) -> None:
        for invoice in invoices:
            self.cash += sum((p.amount for p in invoice.payments if p.method is PaymentMethod.CASH),
                             Decimal(0)) - invoice.totals.change
        self.last_sale = invoices[-1].issued_at

    def close(self) -> None:
        if self.day is None or self.last_sale is None:
            return
        short = Decimal(100_000) * (self.day.toordinal() % 7 - 3) if self.day.toordinal() % 5 == 0 else Decimal(0)
        self.services.shifts.close(max(self.cash + short, Decimal(0)), self.closer,
                                   at=self.last_sale + timedelta(minutes=15))
        self.day = None


def sign_in_demo_cashier(services: AppServices) -> None:
    """For tools that drive the till on demo data (screenshots, GUI benchmarks): sign in the
    first active cashier at this till and open a shift if none is open. No-op without users."""
    users = [u for u in services.access.users(include_disabled=False) if u.role.name != "owner"] \
        or services.access.users(include_disabled=False)
    if not users:
        return
    services.till_session.user = users[0]
    if services.shifts.current() is None:
        services.shifts.open(DEMO_FLOAT, users[0].actor)
