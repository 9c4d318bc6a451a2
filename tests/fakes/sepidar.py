"""A strict fake of a shop's own Sepidar server, web service v101/v109 (Sepidar's web-service document
v1.0.0 and its v111 OpenAPI file).

Real HTTP on 127.0.0.1 through the shared fake-server base, so every fault knob applies.
It keeps the device table (serial, IntegrationID, registered flag, RSA key pair, linked users),
registers devices exactly as §4.2 describes, issues HMAC-signed JWTs at login, and checks every
secured request in the documented order: GenerationVersion (412) → device (401) → decrypt
EncArbitraryCode and compare with ArbitraryCode (401) → replayed ArbitraryCode (401) → JWT
(401) → the permission flags given at login (403). Customers, lookups, invoices (with the
GUID duplicate check, configurable between "reject" and "echo"), the batch call and receipts
follow §4.5. Errors are `{"Type": 0|1, "Message": "…"}`.

The cryptography is the fake's own, written from the PDF (pp. 5-8) with `cryptography`: AES-128-CBC
with PKCS7 under the serial written twice, the RSA public key as .NET `<RSAKeyValue>` XML, the
MD5 of the password; it imports nothing of posapp's. Where the documents are silent the fake
takes the least helpful reading: the Paginated filters (`{Property}_{OP}`, whose operators no
document lists) are ignored, so every row comes back; a repeated GUID is refused with a text no
document gives (or echoed); from GenerationVersion 109 the spec's required keys
`InvoiceExtraData` and `CustomerExtraData` must be present (null is allowed).

RSA key generation is slow, so the fake takes its key pairs from the caller (a session fixture
generates them once); each registration takes the next key in turn.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import itertools
import json
import random
import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from cryptography.hazmat.primitives import padding as block_padding
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.fakes.hesabit import PatternRoutedFake
from tests.fakes.server import FakeRequest, FakeResponse, json_response

PERMISSIONS = (
    "CanEditCustomer", "CanRegisterCustomer", "CanRegisterOrder", "CanRegisterReturnOrder",
    "CanRegisterInvoice", "CanRegisterReturnInvoice", "CanPrintInvoice", "CanPrintReturnInvoice",
    "CanPrintInvoiceBeforeSend", "CanPrintReturnInvoiceBeforeSend",
    "CanPrintInvoiceWithRemainder", "CanRevokeInvoice", "CanRevokeReturnInvoice",
    "CanBypassLocationCheck", "CanBypassLocationCheckInHotInvoice", "CanDistribute",
    "CanDebtCollect", "CanEditDiscount", "CanEditAdditions", "CanEditTaxAndDuty",
    "CanPrintPartyBillReport",
)
DUPLICATE_GUID_MESSAGE = "Violation of UNIQUE KEY constraint 'UQ_Invoice_Guid'. Cannot insert duplicate key."
"""No document says what Sepidar answers to a repeated GUID: the fake answers a database's text."""
EXTRA_DATA_VERSION = 109
"""From this GenerationVersion the spec lists InvoiceExtraData / CustomerExtraData as required."""


def device_key(serial: str) -> bytes:
    """PDF p.5: the AES key is the device serial written twice (16 ASCII bytes)."""
    return (serial * 2).encode("ascii")


def aes_decrypt(key: bytes, cypher_b64: str, iv_b64: str) -> bytes:
    """AES-CBC with PKCS7 (PDF p.5); b"" for anything that does not decrypt and unpad."""
    try:
        cypher, iv = base64.b64decode(cypher_b64, validate=True), base64.b64decode(iv_b64, validate=True)
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        padded = decryptor.update(cypher) + decryptor.finalize()
        unpadder = block_padding.PKCS7(128).unpadder()
        return unpadder.update(padded) + unpadder.finalize()
    except (ValueError, binascii.Error):
        return b""


def aes_encrypt(key: bytes, plain: bytes) -> tuple[str, str]:
    """(Base64 cypher, Base64 IV) under a fresh random IV (PDF p.6)."""
    iv = secrets.token_bytes(16)
    padder = block_padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    cypher = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
    return base64.b64encode(cypher).decode("ascii"), base64.b64encode(iv).decode("ascii")


def rsa_key_xml(public_key: rsa.RSAPublicKey) -> str:
    """PDF p.6: the key as .NET writes it, big-endian Modulus and Exponent in Base64."""
    numbers = public_key.public_numbers()

    def b64(value: int) -> str:
        return base64.b64encode(value.to_bytes((value.bit_length() + 7) // 8, "big")).decode("ascii")

    return f"<RSAKeyValue><Modulus>{b64(numbers.n)}</Modulus><Exponent>{b64(numbers.e)}</Exponent></RSAKeyValue>"


def password_md5(password: str) -> str:
    """PDF p.7: PasswordHash is the MD5 of the password, in hex."""
    return hashlib.md5(password.encode("utf-8")).hexdigest()


class DuplicateGuidAnswer(StrEnum):
    """What the fake does with a second create under a known GUID (undocumented, §4.6)."""

    REJECT = "reject"
    """400 {"Type":0,"Message":"سند با این شناسه قبلا ثبت شده است"} (the contract's default)."""
    ECHO = "echo"
    """201 echoing the invoice created the first time."""


@dataclass
class Device:
    serial: str
    title: str
    registered: bool = False
    private_key: rsa.RSAPrivateKey | None = None

    @property
    def integration_id(self) -> int:
        return int(self.serial[:4])


@dataclass
class User:
    user_id: int
    username: str
    password_md5: str
    title: str
    active: bool = True
    devices: set[int] = field(default_factory=set)
    permissions: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(PERMISSIONS, True))
    token_epoch: int = 0
    """Bumped when permissions change: every token issued earlier stops working."""


def _money(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("not a number")
    return Decimal(str(value))


def _number(value: Decimal) -> int | float:
    """JSON form of a computed amount (the real service answers doubles)."""
    return int(value) if value == value.to_integral_value() else float(value)


class SepidarFake(PatternRoutedFake):
    """One Sepidar installation. Seeded with one currency, two sale types, one stock, units,
    three items, a walk-in customer and a bank account; tests add devices and users."""

    provider = "sepidar"

    def __init__(self, keys: Iterable[rsa.RSAPrivateKey], *, seed: int = 0,
                 generation_version: int = 101,
                 duplicate_guid: DuplicateGuidAnswer = DuplicateGuidAnswer.REJECT,
                 tolerant_arbitrary_code: bool = False) -> None:
        super().__init__(seed=seed)
        self._keys = itertools.cycle(list(keys))
        self.generation_version = generation_version
        self.lock_number = "LN-" + secrets.token_hex(4)
        self.duplicate_guid = duplicate_guid
        self.tolerant_arbitrary_code = tolerant_arbitrary_code
        """[G] also accept the GUID's UTF-8 text, .NET little-endian bytes or UTF-16LE."""
        self.today: Callable[[], dt.date] = dt.date.today
        self._jwt_secret = secrets.token_bytes(32)
        self.devices: dict[int, Device] = {}
        self._serial_rng = random.Random(seed)
        self._retired_serials: set[str] = set()
        self.users: dict[str, User] = {}
        self.seen_codes: set[str] = set()
        self.currencies = [{"CurrencyID": 1, "Title": "ریال", "IsMain": True, "PrecisionCount": 0}]
        self.sale_types = [{"SaleTypeID": 1, "Title": "فروش داخلی", "Market": 1},
                           {"SaleTypeID": 2, "Title": "فروش صادراتی", "Market": 2}]
        self.stocks = [{"StockID": 1, "Code": 1, "Title": "انبار مرکزی", "IsActive": True}]
        self.units = [{"UnitID": 1, "Title": "عدد"}, {"UnitID": 2, "Title": "کیلوگرم"}]
        self.bank_accounts = [{"BankAccountID": 1, "DlCode": "1", "DlTitle": "ملت مرکزی",
                               "CurrencyRef": 1}]
        self.items: list[dict[str, Any]] = []
        self.price_notes: list[dict[str, Any]] = []
        for code, title, fee, unit, sellable in (("1001", "چای ۵۰۰ گرمی", 1_250_000, 1, True),
                                                 ("1002", "شکر فله", 480_000, 2, True),
                                                 ("9001", "قفسه فروشگاه", 9_000_000, 1, False)):
            self.add_item(code, title, fee, unit_ref=unit, sellable=sellable)
        self.customers: dict[int, dict[str, Any]] = {}
        self._customer_ids = itertools.count(1)
        self._address_ids = itertools.count(1)
        self.invoices: dict[int, dict[str, Any]] = {}
        self._invoice_ids = itertools.count(1)
        self._item_row_ids = itertools.count(1)
        self.invoice_guids: dict[str, int] = {}
        self.receipts: dict[str, dict[str, Any]] = {}
        self._receipt_ids = itertools.count(1)
        self.walk_in = self.add_customer("مشتری", "گذری", code="00001")
        self._routes_()

    def _routes_(self) -> None:
        add = self.route
        add("GET", "/api/General/GenerationVersion", self.generation, name="GenerationVersion")
        add("POST", "/api/Devices/Register", self.register, name="Register", write=True)
        add("POST", "/api/users/login", self.login, name="Login", write=True)
        add("GET", "/api/IsAuthorized", self.secured(self.is_authorized), name="IsAuthorized")
        add("GET", "/api/Customers", self.secured(self.list_customers), name="Customers.list")
        add("GET", "/api/Customers/Paginated", self.secured(self.customers_paginated),
            name="Customers.paginated")
        add("GET", "/api/Customers/{customer_id}", self.secured(self.get_customer),
            name="Customers.get")
        add("POST", "/api/Customers", self.secured(self.create_customer, "CanRegisterCustomer"),
            name="Customers.create", write=True)
        add("PUT", "/api/Customers/{customer_id}",
            self.secured(self.update_customer, "CanEditCustomer"), name="Customers.update",
            write=True)
        add("GET", "/api/Items", self.secured(lambda r: json_response(self.items)), name="Items")
        add("GET", "/api/Currencies", self.secured(lambda r: json_response(self.currencies)),
            name="Currencies")
        add("GET", "/api/SaleTypes", self.secured(lambda r: json_response(self.sale_types)),
            name="SaleTypes")
        add("GET", "/api/Stocks", self.secured(lambda r: json_response(self.stocks)), name="Stocks")
        add("GET", "/api/Units", self.secured(lambda r: json_response(self.units)), name="Units")
        add("GET", "/api/PriceNoteItems", self.secured(lambda r: json_response(self.price_notes)),
            name="PriceNoteItems")
        add("GET", "/api/BankAccounts", self.secured(lambda r: json_response(self.bank_accounts)),
            name="BankAccounts")
        add("GET", "/api/invoices", self.secured(self.list_invoices), name="Invoices.list")
        add("GET", "/api/invoices/Paginated", self.secured(self.invoices_paginated),
            name="Invoices.paginated")
        add("GET", "/api/invoices/{invoice_id}", self.secured(self.get_invoice), name="Invoices.get")
        add("POST", "/api/invoices", self.secured(self.create_invoice, "CanRegisterInvoice"),
            name="Invoices.create", write=True)
        add("POST", "/api/Invoices/Batch", self.secured(self.create_batch, "CanRegisterInvoice"),
            name="Invoices.batch", write=True)
        add("POST", "/api/Receipts/BasedOnInvoice", self.secured(self.create_receipt),
            name="Receipts.basedOnInvoice", write=True)

    # -- test hooks ------------------------------------------------------------------------------

    def add_device(self, serial: str, title: str = "صندوق ۱") -> Device:
        with self.lock:
            if len(serial) != 8 or not serial[:4].isdigit():
                raise ValueError("a Sepidar serial is 8 characters, the first four the IntegrationID")
            device = Device(serial, title)
            self.devices[device.integration_id] = device
            return device

    def regenerate_serial(self, integration_id: int) -> str:
        """The operator pressed "get serial" again: a new serial, same IntegrationID, and the
        device must register again. The new serial differs from every serial issued before and
        depends only on the fake's seed."""
        with self.lock:
            device = self.devices[integration_id]
            taken = {d.serial for d in self.devices.values()} | self._retired_serials
            serial = device.serial
            while serial in taken:  # never the old serial again, whatever the draw
                serial = f"{integration_id}{self._serial_rng.getrandbits(16):04x}"
            self._retired_serials.add(device.serial)
            device.serial = serial
            device.registered = False
            device.private_key = None
            return device.serial

    def add_user(self, username: str, password: str, *, devices: Iterable[int] = (),
                 active: bool = True, title: str = "", **permissions: bool) -> User:
        with self.lock:
            user = User(len(self.users) + 1, username, password_md5(password),
                        title or username, active, set(devices))
            user.permissions.update(permissions)
            self.users[username] = user
            return user

    def change_permissions(self, username: str, **permissions: bool) -> None:
        """Permissions changed in Sepidar: every token of this user must log in again."""
        with self.lock:
            user = self.users[username]
            user.permissions.update(permissions)
            user.token_epoch += 1

    def add_item(self, code: str, title: str, fee: int, *, unit_ref: int = 1,
                 sellable: bool = True, tax_rate: int = 10) -> dict[str, Any]:
        with self.lock:
            item = {"ItemID": len(self.items) + 1, "Code": code, "Barcode": "", "Title": title,
                    "IsActive": True, "IsSellable": sellable, "Type": 1, "UnitRef": unit_ref,
                    "SecondaryUnitRef": None, "UnitsRatio": 0, "Weight": 0, "Volume": 0,
                    "Tracings": [], "TracingInventories": [], "TotalInventory": 100,
                    "PropertyValues": [], "Thumbnail": "", "IsTaxExempt": tax_rate == 0,
                    "TaxRate": tax_rate, "DutyRate": 0, "SaleGroupRef": 1, "BrokerSellable": False}
            self.items.append(item)
            self.price_notes.append({
                "PriceNoteItemID": len(self.price_notes) + 1, "SaleTypeRef": 1,
                "ItemRef": item["ItemID"], "TracingRef": None, "CurrencyRef": 1,
                "UnitRef": unit_ref, "Fee": fee, "CustomerGroupingRef": None,
                "CanChangeInvoiceFee": True, "CanChangeInvoiceDiscount": True,
                "UpperMargin": 0, "LowerMargin": 0, "AdditionRate": 0})
            return item

    def add_customer(self, name: str, last_name: str = "", *, code: str = "",
                     customer_type: int = 1, guid: str | None = None) -> dict[str, Any]:
        with self.lock:
            customer_id = next(self._customer_ids)
            customer = {
                "CustomerID": customer_id, "GUID": guid or str(uuid.uuid4()),
                "Title": f"{name} {last_name}".strip(), "Code": code or f"{customer_id:05d}",
                "PhoneNumber": "", "Remainder": 0, "CreditRemainder": 0,
                "CustomerType": customer_type, "Name": name, "LastName": last_name,
                "BirthDate": None, "NationalID": "", "EconomicCode": "", "Version": 1,
                "GroupingRef": 1, "DiscountRate": 0, "Addresses": [],
            }
            self.customers[customer_id] = customer
            return customer

    # -- the error envelope ----------------------------------------------------------------------

    @staticmethod
    def error(status: int, message: str, kind: int = 0) -> FakeResponse:
        """Type 0 = business error, 1 = program error (pdf p.57)."""
        return json_response({"Type": kind, "Message": message}, status)

    # -- unsecured calls -------------------------------------------------------------------------

    def generation(self, request: FakeRequest) -> FakeResponse:
        return json_response({"GenerationVersion": self.generation_version,
                              "LockNumber": self.lock_number})

    def register(self, request: FakeRequest) -> FakeResponse:
        body = _body(request)
        if not isinstance(body, dict) or not all(k in body for k in ("Cypher", "IV",
                                                                      "IntegrationID")):
            return self.error(400, "پارامترهای ورودی نامعتبر است")
        device = self.devices.get(body["IntegrationID"]) if isinstance(
            body["IntegrationID"], int) else None
        if device is None:
            return self.error(404, "دستگاه پیدا نشد.")
        key = device_key(device.serial)
        plain = aes_decrypt(key, str(body["Cypher"]), str(body["IV"]))
        if plain != str(device.integration_id).encode("ascii"):
            return self.error(400, "عدم تطابق دستگاه")
        if device.registered:
            return self.error(400, "دستگاه در حال حاضر رجیستر شده است.")
        device.registered = True
        device.private_key = next(self._keys)
        xml = rsa_key_xml(device.private_key.public_key())
        cypher, iv = aes_encrypt(key, xml.encode("utf-8"))
        return json_response({"Cypher": cypher, "IV": iv, "DeviceTitle": device.title}, 201)

    # -- the secured pipeline --------------------------------------------------------------------

    def secured(self, handler: Callable[..., FakeResponse],
                permission: str | None = None) -> Callable[..., FakeResponse]:
        def guarded(request: FakeRequest, **params: str) -> FakeResponse:
            user_or_error = self._check(request, needs_token=True)
            if isinstance(user_or_error, FakeResponse):
                return user_or_error
            if permission and not user_or_error.permissions.get(permission, False):
                return self.error(403, "کاربر به این عملیات دسترسی ندارد")
            return handler(request, **params)
        return guarded

    def _check(self, request: FakeRequest, *, needs_token: bool) -> User | Device | FakeResponse:
        if request.header("GenerationVersion") != str(self.generation_version):
            return self.error(412, "عدم انطباق نسخه دستگاه و سپیدار")
        integration_id = request.header("IntegrationID")
        device = self.devices.get(int(integration_id)) if integration_id.isdigit() else None
        if device is None:
            return self.error(401, "دستگاه پیدا نشد")
        if not device.registered or device.private_key is None:
            return self.error(401, "دستگاه نامعتبر یا غیرفعال است")
        code = request.header("ArbitraryCode")
        if not self._code_matches(device.private_key, code, request.header("EncArbitraryCode")):
            return self.error(401, "عدم تطابق کلید API")
        if code.lower() in self.seen_codes:
            return self.error(401, "کد تکراری")
        self.seen_codes.add(code.lower())
        if not needs_token:
            return device
        return self._user_from_token(request, device)

    def _code_matches(self, key: rsa.RSAPrivateKey, code: str, encrypted: str) -> bool:
        try:
            guid = uuid.UUID(code)
            plain = key.decrypt(base64.b64decode(encrypted, validate=True), padding.PKCS1v15())
        except (ValueError, binascii.Error):
            return False
        accepted = {guid.bytes}
        if self.tolerant_arbitrary_code:
            accepted |= {str(guid).encode(), guid.bytes_le, str(guid).encode("utf-16-le")}
        return plain in accepted

    def _user_from_token(self, request: FakeRequest, device: Device) -> User | FakeResponse:
        authorization = request.header("Authorization")
        if not authorization.startswith("Bearer "):
            return self.error(401, "توکن ارسال نشده است")
        claims = self._verify_jwt(authorization.removeprefix("Bearer ").strip())
        if claims is None:
            return self.error(401, "توکن نامعتبر است")
        user = self.users.get(str(claims.get("sub")))
        if user is None or claims.get("device") != device.integration_id:
            return self.error(401, "توکن نامعتبر است")
        if claims.get("epoch") != user.token_epoch:
            return self.error(401, "اطلاعات کاربر تغییر کرده است؛ دوباره وارد شوید")
        return user

    def _sign(self, payload: bytes) -> str:
        return _b64url(hmac.new(self._jwt_secret, payload, hashlib.sha256).digest())

    def _issue_jwt(self, user: User, device: Device) -> str:
        header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        claims = _b64url(json.dumps({"sub": user.username, "device": device.integration_id,
                                     "epoch": user.token_epoch, "jti": secrets.token_hex(8)}).encode())
        signing_input = f"{header}.{claims}"
        return f"{signing_input}.{self._sign(signing_input.encode())}"

    def _verify_jwt(self, token: str) -> dict[str, Any] | None:
        parts = token.split(".")
        if len(parts) != 3:
            return None
        signing_input = f"{parts[0]}.{parts[1]}"
        if not hmac.compare_digest(self._sign(signing_input.encode()), parts[2]):
            return None
        try:
            claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        except ValueError:
            return None
        return claims if isinstance(claims, dict) else None

    def login(self, request: FakeRequest) -> FakeResponse:
        device = self._check(request, needs_token=False)
        if isinstance(device, FakeResponse):
            return device
        assert isinstance(device, Device)
        body = _body(request)
        if not isinstance(body, dict) or not body.get("UserName") or not body.get("PasswordHash"):
            return self.error(400, "نام کاربری و رمز عبور الزامی است")
        user = self.users.get(str(body["UserName"]))
        if user is None:
            return self.error(404, "نام کاربری پیدا نشد")
        if not user.active:
            return self.error(400, "کاربر غیرفعال است")
        if str(body["PasswordHash"]).lower() != user.password_md5:
            return self.error(401, "رمز عبور اشتباه است")
        if device.integration_id not in user.devices:
            return self.error(403, "کاربر به این دستگاه متصل نیست")
        return json_response({"Token": self._issue_jwt(user, device), "UserID": user.user_id,
                              "Title": user.title, **user.permissions}, 201)

    def is_authorized(self, request: FakeRequest) -> FakeResponse:
        return json_response(True)

    # -- customers ------------------------------------------------------------------------------

    def list_customers(self, request: FakeRequest) -> FakeResponse:
        return json_response(list(self.customers.values()))

    def customers_paginated(self, request: FakeRequest) -> FakeResponse:
        return self._paginated(request, list(self.customers.values()))

    def get_customer(self, request: FakeRequest, customer_id: str) -> FakeResponse:
        customer = self.customers.get(int(customer_id)) if customer_id.isdigit() else None
        if customer is None:
            return self.error(404, "مشتری پیدا نشد.")
        return json_response(customer)

    def _addresses(self, raw: Any, current: list[dict[str, Any]]) -> list[dict[str, Any]] | str:
        if not isinstance(raw, list):
            return "آدرس‌ها باید فهرست باشد"
        known = {a["CustomerAddressID"]: a for a in current}
        result = []
        for entry in raw:
            if not isinstance(entry, dict):
                return "آدرس نامعتبر است"
            address_id = entry.get("CustomerAddressID", 0) or 0
            if address_id and address_id not in known:
                return "آدرس پیدا نشد"
            result.append({
                "CustomerAddressID": address_id or next(self._address_ids),
                "GUID": str(entry.get("GUID") or uuid.uuid4()), "Title": entry.get("Title", ""),
                "IsMain": bool(entry.get("IsMain")), "CityRef": entry.get("CityRef"),
                "Address": entry.get("Address", ""), "ZipCode": entry.get("ZipCode", ""),
                "Latitude": entry.get("Latitude"), "Longitude": entry.get("Longitude"),
                "PathRef": None})
        if sum(1 for a in result if a["IsMain"]) > 1:
            return "مشتری نمی‌تواند چند آدرس اصلی داشته باشد"
        return result

    def create_customer(self, request: FakeRequest) -> FakeResponse:
        body = _body(request)
        if not isinstance(body, dict):
            return self.error(400, "پارامترهای ورودی نامعتبر است")
        required = ("GUID", "CustomerType", "Name", "LastName", "Addresses")
        if self.generation_version >= EXTRA_DATA_VERSION:
            required += ("CustomerExtraData", "PhoneNumber", "BirthDate", "NationalID", "EconomicCode")
        missing = [k for k in required if k not in body]
        if missing:
            return self.error(400, f"فیلد {missing[0]} الزامی است")
        if body["CustomerType"] not in (1, 2):
            return self.error(400, "نوع مشتری نامعتبر است")
        if body["CustomerType"] == 1 and not str(body["LastName"]).strip():
            return self.error(400, "نام خانوادگی مشتری حقیقی الزامی است")
        if any(c["GUID"] == str(body["GUID"]) for c in self.customers.values()):
            return self.error(400, "مشتری با این شناسه قبلا ثبت شده است")
        addresses = self._addresses(body["Addresses"], [])
        if isinstance(addresses, str):
            return self.error(400, addresses)
        customer = self.add_customer(str(body["Name"]), str(body["LastName"]),
                                     customer_type=body["CustomerType"], guid=str(body["GUID"]))
        customer.update({k: body[k] for k in ("PhoneNumber", "BirthDate", "NationalID",
                                              "EconomicCode") if k in body})
        customer["Addresses"] = addresses
        return json_response(customer, 201)

    def update_customer(self, request: FakeRequest, customer_id: str) -> FakeResponse:
        customer = self.customers.get(int(customer_id)) if customer_id.isdigit() else None
        if customer is None:
            return self.error(404, "مشتری پیدا نشد.")
        body = _body(request)
        if not isinstance(body, dict) or "Version" not in body or "Addresses" not in body:
            return self.error(400, "فیلدهای Version و Addresses الزامی است")
        if body["Version"] != customer["Version"]:
            return self.error(400, "اطلاعات مشتری توسط کاربر دیگری تغییر کرده است")
        addresses = self._addresses(body["Addresses"], customer["Addresses"])
        if isinstance(addresses, str):
            return self.error(400, addresses)
        customer.update({k: body[k] for k in ("PhoneNumber", "BirthDate", "NationalID",
                                              "EconomicCode", "Name", "LastName") if k in body})
        customer["Title"] = f"{customer['Name']} {customer['LastName']}".strip()
        customer["Addresses"] = addresses
        customer["Version"] += 1
        return json_response(customer)

    # -- invoices -------------------------------------------------------------------------------

    def _view(self, invoice: dict[str, Any], *, with_items: bool = True) -> dict[str, Any]:
        view = {k: v for k, v in invoice.items() if not k.startswith("_")}
        if self.generation_version < 109:
            for key in ("AgreementRef", "RemainingAmount", "TotalReceivedAmount",
                        "SettlementType", "State", "Description"):
                view.pop(key, None)
        if not with_items:
            view.pop("InvoiceItems")
        return view

    def list_invoices(self, request: FakeRequest) -> FakeResponse:
        return json_response([self._view(i, with_items=False) for i in self.invoices.values()])

    def get_invoice(self, request: FakeRequest, invoice_id: str) -> FakeResponse:
        invoice = self.invoices.get(int(invoice_id)) if invoice_id.isdigit() else None
        if invoice is None:
            return self.error(404, "فاکتور پیدا نشد.")
        return json_response(self._view(invoice))

    def invoices_paginated(self, request: FakeRequest) -> FakeResponse:
        return self._paginated(request, [self._view(i) for i in self.invoices.values()])

    def _paginated(self, request: FakeRequest, rows: list[dict[str, Any]]) -> FakeResponse:
        query = dict(request.query)
        try:
            limit = int(query.pop("limit", "20"))
            offset = int(query.pop("offset", "0"))
        except ValueError:
            return self.error(400, "limit و offset باید عدد باشد")
        order_by, descending = query.pop("orderBy", ""), False
        if "orderByDesc" in query:
            order_by, descending = query.pop("orderByDesc"), True
        # `{Property}_{OP}` filters: no document lists the operators, so none is applied
        filters: list[dict[str, str]] = []
        if order_by:
            if rows and order_by not in rows[0]:
                return self.error(400, f"ویژگی نامعتبر: {order_by}")
            rows = sorted(rows, key=lambda r: (r[order_by] is None, r[order_by]),
                          reverse=descending)
        return json_response({"Result": rows[offset:offset + limit], "Total": len(rows),
                              "Limit": limit, "Offset": offset, "OrderedBy": order_by,
                              "Ascending": not descending, "Filters": filters})

    def _new_invoice(self, body: Any) -> tuple[int, dict[str, Any]]:
        """(status, answer) for one create, as the single and the batch call share it."""
        if not isinstance(body, dict):
            return 400, {"Type": 0, "Message": "پارامترهای ورودی نامعتبر است"}
        guid = str(body.get("GUID") or "").lower()
        if not guid:
            return 400, {"Type": 0, "Message": "شناسه سند نباید خالی باشد."}
        if guid in self.invoice_guids:
            if self.duplicate_guid is DuplicateGuidAnswer.ECHO:
                return 201, self._view(self.invoices[self.invoice_guids[guid]])
            return 400, {"Type": 0, "Message": DUPLICATE_GUID_MESSAGE}
        problem = self._invoice_problem(body)
        if problem is not None:
            return problem
        lines = []
        for row in body["Items"]:
            price, discount = _money(row["Price"]), _money(row["Discount"])
            tax, duty, addition = _money(row["Tax"]), _money(row["Duty"]), _money(row["Addition"])
            lines.append({
                "InvoiceItemID": next(self._item_row_ids), "ItemRef": row["ItemRef"],
                "TracingRef": row.get("TracingRef"), "TracingTitle": None,
                "Quantity": row["Quantity"], "SecondaryQuantity": row.get("SecondaryQuantity", 0),
                "Fee": row["Fee"], "Price": row["Price"], "Discount": row["Discount"],
                "Tax": row["Tax"], "Duty": row["Duty"], "Addition": row["Addition"],
                "NetPrice": _number(price - discount + tax + duty + addition),
                "DiscountInvoiceItemRef": row.get("DiscountParentRef"), "ProductPackRef": None,
                "ProductPackQuantity": 0, "Description": row.get("Description") or ""})
        net = (_money(body["Price"]) - _money(body["Discount"]) + _money(body["Tax"])
               + _money(body["Duty"]) + _money(body["Addition"]))
        invoice_id = next(self._invoice_ids)
        this_year = [i for i in self.invoices.values() if i["Date"][:4] == self.today().isoformat()[:4]]
        invoice = {
            "InvoiceID": invoice_id, "OrderRef": None, "QuotationRef": None,
            "Number": len(this_year) + 1, "Date": self.today().isoformat(),
            "CustomerRef": body["CustomerRef"], "CurrencyRef": body["CurrencyRef"], "Rate": 1,
            "SaleTypeRef": body["SaleTypeRef"], "AddressRef": body.get("AddressRef"),
            "Price": body["Price"], "Tax": body["Tax"], "Duty": body["Duty"],
            "Discount": body["Discount"], "Addition": body["Addition"], "NetPrice": _number(net),
            "AgreementRef": None, "RemainingAmount": _number(net), "TotalReceivedAmount": 0,
            "SettlementType": body.get("SettlementType"), "State": 1,
            "Description": body.get("Description") or "", "InvoiceItems": lines,
        }
        self.invoices[invoice_id] = invoice
        self.invoice_guids[guid] = invoice_id
        return 201, self._view(invoice)

    def _invoice_problem(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        def business(status: int, message: str) -> tuple[int, dict[str, Any]]:
            return status, {"Type": 0, "Message": message}

        required: tuple[str, ...] = ("CurrencyRef", "CustomerRef", "SaleTypeRef", "DiscountOnCustomer", "Price",
                                     "Discount", "Tax", "Duty", "Addition", "Items")
        if self.generation_version >= EXTRA_DATA_VERSION:
            required += ("InvoiceExtraData", "Description", "AddressRef", "SettlementType")
        missing = [k for k in required if k not in body]
        if missing:
            return business(400, f"فیلد {missing[0]} الزامی است")
        if body["CustomerRef"] not in self.customers:
            return business(404, "مشتری پیدا نشد.")
        if body["CurrencyRef"] not in {c["CurrencyID"] for c in self.currencies}:
            return business(400, "ارز نامعتبر")
        if body["SaleTypeRef"] not in {s["SaleTypeID"] for s in self.sale_types}:
            return business(400, "نوع فروش نامعتبر")
        if not isinstance(body["Items"], list) or not body["Items"]:
            return business(400, "فاکتور باید حداقل یک ردیف داشته باشد")
        sellable = {i["ItemID"] for i in self.items if i["IsActive"] and i["IsSellable"]}
        stocks = {s["StockID"] for s in self.stocks if s["IsActive"]}
        sums = dict.fromkeys(("Price", "Discount", "Tax", "Duty", "Addition"), Decimal(0))
        row_ids = set()
        try:
            for row in body["Items"]:
                if not isinstance(row, dict) or row.get("ItemRef") not in sellable:
                    return business(400, "کالای نامعتبر")
                if row.get("StockRef") not in stocks:
                    return business(400, "انبار نامعتبر")
                if row.get("DiscountParentRef") is not None:
                    return business(400, "شناسه کالای مشمول تخفیف پیدا نشد.")
                if row.get("RowID") in row_ids:
                    return business(400, "شماره ردیف تکراری است")
                row_ids.add(row.get("RowID"))
                quantity, fee = _money(row["Quantity"]), _money(row["Fee"])
                if quantity <= 0 or fee < 0:
                    return business(400, "مقدار و فی باید مثبت باشد")
                if abs(_money(row["Price"]) - quantity * fee) > 1:
                    return business(400, "مبلغ ردیف با مقدار و فی همخوانی ندارد")
                for key in sums:
                    sums[key] += _money(row[key])
            header = {key: _money(body[key]) for key in sums}
        except (KeyError, ValueError):
            return business(400, "مقادیر ردیف نامعتبر است")
        for key in ("Price", "Tax", "Duty"):
            if header[key] != sums[key]:
                return business(400, f"جمع {key} با ردیف‌ها همخوانی ندارد")
        for key in ("Discount", "Addition"):
            if header[key] < sums[key]:
                return business(400, f"{key} سند از جمع ردیف‌ها کمتر است")
        return None

    def create_invoice(self, request: FakeRequest) -> FakeResponse:
        status, answer = self._new_invoice(_body(request))
        return json_response(answer, status)

    def create_batch(self, request: FakeRequest) -> FakeResponse:
        body = _body(request)
        if not isinstance(body, list):
            return self.error(400, "بدنه باید آرایه باشد")
        results = []
        for entry in body:
            status, answer = self._new_invoice(entry)
            if status == 201:
                results.append({"StatusCode": 201, "Result": answer, "Error": None})
            else:
                results.append({"StatusCode": status, "Result": None,
                                "Error": {"Type": "BusinessError", "Message": answer["Message"]}})
        return json_response(results, 201)

    def create_receipt(self, request: FakeRequest) -> FakeResponse:
        body = _body(request)
        if not isinstance(body, dict) or not body.get("Guid") or "InvoiceID" not in body:
            return self.error(400, "پارامترهای ورودی نامعتبر است")
        guid = str(body["Guid"]).lower()
        if guid in self.receipts:
            if self.duplicate_guid is DuplicateGuidAnswer.ECHO:
                return json_response(self.receipts[guid], 201)
            return self.error(400, DUPLICATE_GUID_MESSAGE)
        invoice = self.invoices.get(body["InvoiceID"])
        if invoice is None:
            return self.error(404, "فاکتور پیدا نشد.")
        drafts = body.get("Drafts")
        if not isinstance(drafts, list) or not drafts:
            return self.error(400, "حداقل یک حواله لازم است")
        accounts = {a["BankAccountID"] for a in self.bank_accounts}
        try:
            total = _money(body.get("Discount", 0))
            for draft in drafts:
                if draft.get("BankAccountID") not in accounts:
                    return self.error(404, "حساب بانکی پیدا نشد.")
                total += _money(draft["Amount"])
        except (KeyError, ValueError, AttributeError):
            return self.error(400, "مبلغ حواله نامعتبر است")
        remaining = _money(invoice["RemainingAmount"])
        if remaining <= 0:
            return self.error(400, "فاکتور مانده ندارد")
        if total > remaining:
            return self.error(400, "مبلغ دریافت از مانده فاکتور بیشتر است")
        invoice["RemainingAmount"] = _number(remaining - total)
        invoice["TotalReceivedAmount"] = _number(_money(invoice["TotalReceivedAmount"]) + total)
        receipt = {"ReceiptID": next(self._receipt_ids), "Guid": str(body["Guid"])}
        self.receipts[guid] = receipt
        return json_response(receipt, 201)


def _body(request: FakeRequest) -> Any:
    try:
        return request.json()
    except ValueError:
        return None


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
