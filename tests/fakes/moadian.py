"""A fake of the tax administration's Moadian v2 API, written from the API's contract as the
official Java and C# SDKs show it (summarised in docs/moadian.md), never from posapp's client.

It has its own RSA key pair, published by `server-information`, and a registry of fiscal memories
with the taxpayer's certificate key. Every call but `nonce` needs `Authorization: Bearer <jws>`
over a single-use nonce; invoices are decrypted (RSA-OAEP-256 + A256GCM, AAD = the protected
header segment), their JWS verified against the registered certificate, and validated by the
contract's rules: the tax ID's shape, prefix, Verhoeff check digit and day, never a tax ID used
before; integer Rial fields with Moadian's truncating arithmetic and exact header sums; the buyer
rules by type; referrals (correction, cancellation, return) against the accepted reference. The
POST only acknowledges (each packet is judged, as of its arrival, before the next request is
answered); the verdict shows at inquiry, after `in_progress_inquiries` IN_PROGRESS answers,
within the inquiry's time window (a week when none is given); `inquiry-invoice-status` tells the
dashboard status of an accepted tax ID.

JOSE is checked here with `cryptography` primitives by hand on purpose: the fake must not share
a library's reading of the format with the client it tests.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_DOWN, Decimal
from functools import cache
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.fakes.server import FakeRequest, FakeResponse, FakeServer, json_response

API = "/requestsmanager/api/v2/"
DAY_MS = 86_400_000
UUID_FORM = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TAX_ID_FORM = re.compile(r"[A-Z0-9]{22}")

# The standard dihedral-D5 Verhoeff tables the tax ID uses.
_D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
      [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
      [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
      [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
      [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]


def verhoeff_valid(digits: str) -> bool:
    """Verhoeff validation of a number followed by its check digit."""
    check = 0
    for i, digit in enumerate(reversed(digits)):
        check = _D[check][_P[i % 8][int(digit)]]
    return check == 0


def tax_id_errors(tax_id: str, fiscal_id: str, indatim: Any) -> list[tuple[str, str]]:
    """Shape, memory-ID prefix, check digit and day of a tax ID."""
    if not isinstance(tax_id, str) or not TAX_ID_FORM.fullmatch(tax_id):
        return [("0100104", "قالب شماره منحصر به فرد مالیاتی نادرست است")]
    errors = []
    if tax_id[:6] != fiscal_id:
        errors.append(("0300101", "شماره مالیاتی با شناسه حافظه منطبق نیست"))
    try:
        days, serial = int(tax_id[6:11], 16), int(tax_id[11:21], 16)
    except ValueError:
        return [("0100104", "قالب شماره منحصر به فرد مالیاتی نادرست است")]
    control = "".join(c if c.isdigit() else str(ord(c)) for c in tax_id[:6]) + f"{days:06d}{serial:012d}"
    if not verhoeff_valid(control + tax_id[21]):
        errors.append(("0300101", "رقم کنترل شماره مالیاتی نادرست است"))
    if isinstance(indatim, int) and days != indatim // DAY_MS:
        errors.append(("0300101", "روز شماره مالیاتی با تاریخ صدور منطبق نیست"))
    return errors


def _b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


@cache
def server_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    """The fake tax administration's key pair, made once per test process."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@dataclass
class Taxpayer:
    memory_id: str
    economic_code: str
    national_id: str
    name: str
    certificate_keys: list[rsa.RSAPublicKey] = field(default_factory=list)


@dataclass
class Packet:
    uid: str
    reference: str
    fiscal_id: str
    payload: str
    received_at: float
    """When the POST brought it (epoch seconds): the inquiry window filters on it."""
    inquiries: int = 0
    result: dict[str, Any] | None = None
    tax_id: str = ""
    """The tax ID the invoice inside carried, once decrypted."""


class RequestError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class MoadianFake(FakeServer):
    provider = "moadian"

    def __init__(self, *, seed: int = 0, in_progress_inquiries: int = 1, deadline_days: int = 12,
                 burn_failed_tax_ids: bool = False, clock: Any = None) -> None:
        super().__init__(seed=seed)
        self.key_id = str(uuid.UUID(int=seed + 0x6A2BCD88))
        self.private_key = server_key()
        self.in_progress_inquiries = in_progress_inquiries
        self.deadline_days = deadline_days
        self.burn_failed_tax_ids = burn_failed_tax_ids
        self.clock = clock or (lambda: time.time())
        self.taxpayers: dict[str, Taxpayer] = {}
        self.nonces: dict[str, float] = {}
        """Unused nonce → its expiry (epoch seconds)."""
        self.packets: dict[str, Packet] = {}
        self.accepted: dict[str, dict[str, Any]] = {}
        """Accepted tax ID → the invoice it carried (a cancelled one has `cancelled` set)."""
        self.used_tax_ids: set[str] = set()
        self.received: list[Packet] = []
        """Every packet ever posted, in order (a uid sent again is listed again)."""
        self.timeout_packets = 0
        """Fault knob: the next this many packets judged end TIMEOUT (never registered)."""
        self.backlog: list[Packet] = []
        """Packets acknowledged but not judged yet: judged before the next request is answered,
        as of the time they arrived (the POST itself answers before any content check)."""
        for path, handler, name, write in (
            ("nonce", self.nonce, "nonce", True),
            ("server-information", self.server_information, "server-information", False),
            ("fiscal-information", self.fiscal_information, "fiscal-information", False),
            ("taxpayer", self.taxpayer, "taxpayer", False),
            ("invoice", self.receive, "send-invoices", True),
            ("inquiry-by-uid", self.inquiry_by_uid, "inquiry-by-uid", False),
            ("inquiry-by-reference-id", self.inquiry_by_reference, "inquiry-by-reference", False),
            ("inquiry-invoice-status", self.inquiry_invoice_status, "inquiry-invoice-status", False),
        ):
            self.route("POST" if name == "send-invoices" else "GET", API + path, self._guarded(handler),
                       name=name, write=write)

    @property
    def api_url(self) -> str:
        return self.base_url + API

    def register(self, memory_id: str, certificate_key: rsa.RSAPublicKey, *, economic_code: str,
                 national_id: str = "0012345678", name: str = "فروشگاه نمونه") -> None:
        self.taxpayers[memory_id] = Taxpayer(memory_id, economic_code, national_id, name,
                                             [certificate_key])

    # -- plumbing ----------------------------------------------------------------------------

    def _guarded(self, handler: Any) -> Any:
        def run(request: FakeRequest) -> FakeResponse:
            self._judge_backlog()
            try:
                return handler(request)
            except RequestError as error:
                return json_response({"timestamp": int(self.clock() * 1000),
                                      "requestTraceId": str(uuid.uuid4()),
                                      "errors": [{"code": error.code, "message": error.message}]},
                                     error.status)
        return run

    def _verify_jws(self, token: str) -> tuple[dict[str, Any], bytes, rsa.RSAPublicKey]:
        """A compact RS256 JWS with the certificate in `x5c` and `sigT` marked critical."""
        parts = token.split(".")
        if len(parts) != 3:
            raise RequestError(401, "4130", "ساختار توکن نادرست است")
        try:
            header = json.loads(_b64url_decode(parts[0]))
            payload = _b64url_decode(parts[1])
            signature = _b64url_decode(parts[2])
        except ValueError:
            raise RequestError(401, "4130", "ساختار توکن نادرست است") from None
        if header.get("alg") != "RS256" or "sigT" not in (header.get("crit") or ()) or "sigT" not in header:
            raise RequestError(401, "4130", "سرآیند امضا نادرست است")
        chain = header.get("x5c")
        if not isinstance(chain, list) or not chain:
            raise RequestError(401, "4135", "گواهی در امضا نیست")
        try:
            certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
            public_key = certificate.public_key()
        except ValueError:
            raise RequestError(401, "4136", "گواهی امضا خوانده نشد") from None
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise RequestError(401, "4136", "گواهی امضا RSA نیست")
        try:
            public_key.verify(signature, f"{parts[0]}.{parts[1]}".encode("ascii"),
                              padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise RequestError(401, "4131", "امضا نامعتبر است") from None
        return header, payload, public_key

    def _authorised(self, request: FakeRequest) -> Taxpayer:
        """A single-use, unexpired nonce signed by a key registered for the memory."""
        match = re.fullmatch(r"Bearer\s+(\S+)", request.header("Authorization"))
        if match is None:
            raise RequestError(401, "4130", "توکن ارسال نشده است")
        _header, payload, public_key = self._verify_jws(match.group(1))
        try:
            claims = json.loads(payload)
        except ValueError:
            raise RequestError(401, "4101", "محتوای توکن نادرست است") from None
        if not isinstance(claims, dict) or set(claims) != {"nonce", "clientId"}:
            raise RequestError(401, "4101", "محتوای توکن نادرست است")
        expiry = self.nonces.pop(str(claims["nonce"]), None)
        if expiry is None or expiry < self.clock():
            raise RequestError(401, "4102", "نانس قبلا استفاده شده یا زمان استفاده آن گذشته است")
        taxpayer = self.taxpayers.get(str(claims["clientId"]))
        if taxpayer is None:
            raise RequestError(401, "4110", "شناسه حافظه پیدا نشد")
        if public_key.public_numbers() not in [k.public_numbers() for k in taxpayer.certificate_keys]:
            raise RequestError(401, "4137", "کلید عمومی ثبت‌شده معتبر نیست")
        return taxpayer

    # -- routes ------------------------------------------------------------------------------

    def nonce(self, request: FakeRequest) -> FakeResponse:
        ttl_text = dict(request.query).get("timeToLive", "30")
        if not ttl_text.isdigit() or not 10 <= int(ttl_text) <= 200:
            raise RequestError(400, "4146", "زمان اعتبار نانس باید بین ۱۰ و ۲۰۰ ثانیه باشد")
        now = self.clock()
        value = f"{uuid.uuid4()}-{int(now * 1000)}"
        self.nonces[value] = now + int(ttl_text) + 30
        expiry = datetime.fromtimestamp(self.nonces[value], UTC).isoformat()
        return json_response({"nonce": value, "expDate": expiry})

    def server_information(self, request: FakeRequest) -> FakeResponse:
        self._authorised(request)
        der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        return json_response({"serverTime": int(self.clock() * 1000), "publicKeys": [
            {"key": base64.b64encode(der).decode("ascii"), "id": self.key_id,
             "algorithm": "RSA", "purpose": 1}]})

    def fiscal_information(self, request: FakeRequest) -> FakeResponse:
        taxpayer = self._authorised(request)
        memory_id = dict(request.query).get("memoryId", "")
        if memory_id != taxpayer.memory_id:
            raise RequestError(403, "4160", "به این شناسه حافظه دسترسی ندارید")
        return json_response({"nameTrade": taxpayer.name, "fiscalStatus": "ACTIVE",
                              "saleThreshold": None, "economicCode": taxpayer.economic_code,
                              "nationalId": taxpayer.national_id})

    def taxpayer(self, request: FakeRequest) -> FakeResponse:
        self._authorised(request)
        code = dict(request.query).get("economicCode", "")
        if not re.fullmatch(r"\d{11}|\d{14}", code):
            raise RequestError(404, "4171", "طول کد اقتصادی نادرست است")
        for taxpayer in self.taxpayers.values():
            if taxpayer.economic_code == code:
                return json_response({"nameTrade": taxpayer.name, "taxpayerStatus": "ACTIVE",
                                      "taxpayerType": "NORMAL", "postalcodeTaxpayer": "",
                                      "addressTaxpayer": "", "nationalId": taxpayer.national_id})
        raise RequestError(404, "4170", "کد اقتصادی پیدا نشد")

    def receive(self, request: FakeRequest) -> FakeResponse:
        """Acknowledge; the content is judged later, at inquiry."""
        self._authorised(request)
        try:
            packets = request.json()
        except ValueError:
            raise RequestError(400, "4144", "بدنه درخواست نادرست است") from None
        if not isinstance(packets, list) or not packets:
            raise RequestError(400, "4144", "بدنه درخواست باید فهرستی ناتهی باشد")
        if len(packets) > 1000:
            raise RequestError(400, "4143", "بیش از ۱۰۰۰ صورتحساب در یک درخواست")
        uids = []
        for packet in packets:
            header = packet.get("header") if isinstance(packet, dict) else None
            if not isinstance(header, dict) or not packet.get("payload") or not header.get("requestTraceId") \
                    or not header.get("fiscalId"):
                raise RequestError(400, "4145", "payload یا requestTraceId یا fiscalId ارسال نشده")
            if not UUID_FORM.fullmatch(str(header["requestTraceId"])):
                raise RequestError(400, "4162", "شناسه درخواست نامعتبر است")
            uids.append(str(header["requestTraceId"]))
        if len(set(uids)) != len(uids):
            raise RequestError(400, "4163", "شناسه درخواست تکراری است")
        result = []
        for packet, uid in zip(packets, uids, strict=True):
            reference = str(uuid.uuid4())
            received = Packet(uid, reference, str(packet["header"]["fiscalId"]), str(packet["payload"]),
                              self.clock())
            self.packets[uid] = received
            self.received.append(received)
            self.backlog.append(received)
            result.append({"uid": uid, "packetType": "INVOICE.V01", "referenceNumber": reference,
                           "data": None})
        return json_response({"timestamp": int(self.clock() * 1000), "result": result})

    def inquiry_by_uid(self, request: FakeRequest) -> FakeResponse:
        taxpayer = self._authorised(request)
        query = request.query
        fiscal_id = dict(query).get("fiscalId", "")
        uids = [v for k, v in query if k == "uidList"]
        in_window = self._check_window(query, len(uids))
        found = [p for uid in uids if (p := self.packets.get(uid)) is not None
                 and p.fiscal_id == fiscal_id == taxpayer.memory_id and in_window(p)]
        known = {p.uid for p in found}
        answer = [self._inquired(p) for p in found]
        answer += [{"uid": uid, "referenceNumber": None, "status": "NOT_FOUND", "data": None,
                    "packetType": None, "fiscalId": fiscal_id} for uid in uids if uid not in known]
        return json_response(answer)

    def inquiry_by_reference(self, request: FakeRequest) -> FakeResponse:
        taxpayer = self._authorised(request)
        refs = [v for k, v in request.query if k == "referenceIds"]
        in_window = self._check_window(request.query, len(refs))
        by_reference = {p.reference: p for p in self.packets.values()
                        if p.fiscal_id == taxpayer.memory_id and in_window(p)}
        answer = [self._inquired(by_reference[r]) if r in by_reference else
                  {"uid": None, "referenceNumber": r, "status": "NOT_FOUND", "data": None}
                  for r in refs]
        return json_response(answer)

    def _check_window(self, query: list[tuple[str, str]], count: int) -> Any:
        """The inquiry's limits; returns which packets its window holds. Where the contract is
        silent (no `start`/`end`) the window is the last week, the least a server would keep."""
        if count > 100:
            raise RequestError(400, "4141", "بیش از ۱۰۰ شناسه در یک استعلام")
        params = dict(query)
        if "start" in params and "end" in params:
            start, end = datetime.fromisoformat(params["start"]), datetime.fromisoformat(params["end"])
            if start >= end:
                raise RequestError(400, "4140", "زمان شروع باید پیش از پایان باشد")
            if (end - start).total_seconds() > 7 * 86_400:
                raise RequestError(400, "4164", "بازه استعلام بیش از یک هفته است")
            first, last = start.timestamp(), end.timestamp()
        else:
            last = self.clock()
            first = last - 7 * 86_400
        return lambda packet: first <= packet.received_at <= last + 1

    def inquiry_invoice_status(self, request: FakeRequest) -> FakeResponse:
        """The dashboard status of accepted tax IDs of the caller's memory; a tax ID Moadian does
        not hold is left out of the answer (the contract does not say how it is shown)."""
        taxpayer = self._authorised(request)
        tax_ids = [v for k, v in request.query if k == "taxIds"]
        if len(tax_ids) > 100:
            raise RequestError(400, "4141", "بیش از ۱۰۰ شناسه در یک استعلام")
        answer = []
        for tax_id in tax_ids:
            invoice = self.accepted.get(tax_id)
            if invoice is None or not tax_id.startswith(taxpayer.memory_id):
                continue
            header = invoice["header"]
            if invoice.get("cancelled"):
                status = "CANCELED"
            elif header.get("inty") == 1 and header.get("tinb") and header.get("ins") != 3:
                status = "AWAITING_REACTION"
            else:
                status = "NO_NEED_REACTION"
            answer.append({"taxId": tax_id, "invoiceStatus": status, "article6Status": None, "error": None})
        return json_response(answer)

    def _inquired(self, packet: Packet) -> dict[str, Any]:
        packet.inquiries += 1
        base = {"uid": packet.uid, "referenceNumber": packet.reference, "packetType": "INVOICE.V01",
                "fiscalId": packet.fiscal_id, "sign": None}
        if packet.inquiries <= self.in_progress_inquiries or packet.result is None:
            return {**base, "status": "IN_PROGRESS", "data": None}
        return {**base, **packet.result}

    # -- processing a packet --------------------------------------------------------------------

    def _judge_backlog(self) -> None:
        backlog, self.backlog = self.backlog, []
        for packet in backlog:
            if self.timeout_packets > 0:
                self.timeout_packets -= 1
                packet.result = {"status": "TIMEOUT", "data": None}
            else:
                packet.result = self._process(packet)

    def _process(self, packet: Packet) -> dict[str, Any]:
        try:
            signed = self._decrypt(packet.payload)
            taxpayer = self.taxpayers.get(packet.fiscal_id)
            try:
                _header, payload, signer = self._verify_jws(signed.decode("ascii"))
            except (RequestError, UnicodeDecodeError):
                return self._verdict([("04131", "امضای صورتحساب نامعتبر است")], [])
            if taxpayer is None or signer.public_numbers() not in [
                    k.public_numbers() for k in taxpayer.certificate_keys]:
                return self._verdict([("04132", "گواهی اجازه صدور برای این حافظه را ندارد")], [])
            invoice = json.loads(payload, parse_float=Decimal)
            if isinstance(invoice, dict) and isinstance(invoice.get("header"), dict):
                packet.tax_id = str(invoice["header"].get("taxid") or "")
        except _PacketError as error:
            return self._verdict([(error.code, error.message)], [])
        except ValueError:
            return self._verdict([("0100001", "ساختار صورتحساب نادرست است")], [])
        errors, warnings = self._validate(invoice, packet.fiscal_id, taxpayer, packet.received_at)
        if not errors:
            header = invoice["header"]
            self.used_tax_ids.add(header["taxid"])
            self.accepted[header["taxid"]] = invoice
            if header.get("ins") in (2, 3, 4):
                self.accepted[header["irtaxid"]]["cancelled"] = True
        elif self.burn_failed_tax_ids and isinstance(invoice.get("header"), dict):
            self.used_tax_ids.add(str(invoice["header"].get("taxid")))
        return self._verdict(errors, warnings)

    @staticmethod
    def _verdict(errors: list[tuple[str, str]], warnings: list[tuple[str, str]]) -> dict[str, Any]:
        def listed(items: list[tuple[str, str]], kind: str) -> list[dict[str, str]]:
            shown = [{"code": c, "message": m, "errorType": kind} for c, m in items[:50]]
            if len(items) > 50:
                shown.append({"code": "00000", "message": "بیش از ۵۰ پیام", "errorType": kind})
            return shown
        return {"status": "FAILED" if errors else "SUCCESS",
                "data": {"error": listed(errors, "ERROR"), "warning": listed(warnings, "WARNING"),
                         "success": not errors}}

    def _decrypt(self, compact: str) -> bytes:
        """The compact JWE, opened by hand: OAEP-SHA256 key unwrap, AES-256-GCM with the header as AAD."""
        parts = compact.split(".")
        if len(parts) != 5:
            raise _PacketError("04150", "رمزگشایی صورتحساب ممکن نشد")
        try:
            header = json.loads(_b64url_decode(parts[0]))
            wrapped, iv, ciphertext, tag = (_b64url_decode(p) for p in parts[1:])
        except ValueError:
            raise _PacketError("04150", "رمزگشایی صورتحساب ممکن نشد") from None
        if header.get("alg") != "RSA-OAEP-256" or header.get("enc") != "A256GCM":
            raise _PacketError("04152", "الگوریتم رمزنگاری پشتیبانی نمی‌شود")
        if header.get("kid") not in (None, self.key_id):
            raise _PacketError("04150", "کلید رمزنگاری ناشناخته است")
        if len(iv) != 12:
            raise _PacketError("04153", "طول IV باید ۹۶ بیت باشد")
        try:
            cek = self.private_key.decrypt(wrapped, padding.OAEP(
                mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
            return AESGCM(cek).decrypt(iv, ciphertext + tag, parts[0].encode("ascii"))
        except (ValueError, InvalidTag):
            raise _PacketError("04150", "رمزگشایی صورتحساب ممکن نشد") from None

    def _validate(self, invoice: Any, fiscal_id: str, taxpayer: Taxpayer | None,
                  received_at: float) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        errors: list[tuple[str, str]] = []
        warnings: list[tuple[str, str]] = []
        header = invoice.get("header") if isinstance(invoice, dict) else None
        body = invoice.get("body") if isinstance(invoice, dict) else None
        if not isinstance(header, dict) or not isinstance(body, list):
            return [("0150000", "سرآیند یا بدنه صورتحساب نیست")], []
        tax_id = header.get("taxid")
        indatim = header.get("indatim")
        errors += tax_id_errors(tax_id, fiscal_id, indatim)
        if tax_id in self.used_tax_ids:
            errors.append(("0300101", "شماره منحصر به فرد مالیاتی تکراری است"))
        if not isinstance(indatim, int) or indatim < 10**12:
            errors.append(("0100203", "تاریخ صدور باید به میلی‌ثانیه باشد"))
        else:
            now_ms = int(received_at * 1000)
            if indatim > now_ms:
                errors.append(("0200201", "تاریخ صدور در آینده است"))
            elif now_ms - indatim > self.deadline_days * DAY_MS and header.get("insr") != 1:
                errors.append(("0200201", "مهلت ارسال صورتحساب گذشته است"))
        if taxpayer is not None and header.get("tins") != taxpayer.economic_code:
            errors.append(("0300902", "شماره اقتصادی فروشنده با حافظه منطبق نیست"))
        subject = header.get("ins")
        if subject not in (1, 2, 3, 4):
            errors.append(("0100802", "موضوع صورتحساب نامعتبر است"))
            return errors, warnings
        if subject == 4 and header.get("inty") == 2:
            errors.append(("04008", "موضوع «برگشت از فروش» در صورتحساب نوع دوم خارج از الگو است"))
        if subject in (2, 3, 4):
            errors += self._referral_errors(header, body)
            if subject == 3:
                return errors, warnings
        if header.get("inty") not in (1, 2, 3):
            errors.append(("0100402", "نوع صورتحساب نامعتبر است"))
        if header.get("inp") != 1:
            errors.append(("0100702", "الگوی صورتحساب پشتیبانی نمی‌شود"))
        if header.get("inno") and str(header["inno"]).lower() != str(tax_id)[11:21].lower():
            warnings.append(("1300501", "سریال داخلی با شماره مالیاتی منطبق نیست"))
        errors += self._buyer_errors(header)
        errors += self._settlement(header, warnings)
        if invoice.get("extension"):
            warnings.append(("14800", "بخش extension خارج از الگو است"))
        if not body:
            errors.append(("0060000", "صورتحساب ردیف ندارد"))
        errors += self._line_errors(header, body)
        return errors, warnings

    @staticmethod
    def _buyer_errors(header: dict[str, Any]) -> list[tuple[str, str]]:
        errors: list[tuple[str, str]] = []
        buyer_kind = header.get("tob")
        if header.get("inty") == 1:
            if buyer_kind not in (1, 2, 3, 4):
                errors.append(("0001000", "فیلد «نوع شخص خریدار» خالی است"))
            tinb, bid = str(header.get("tinb") or ""), str(header.get("bid") or "")
            if buyer_kind in (2, 3) and not re.fullmatch(r"\d{11}", tinb):
                errors.append(("0101204", "شماره اقتصادی خریدار حقوقی باید ۱۱ رقم باشد"))
            if buyer_kind in (1, 4) and not (re.fullmatch(r"\d{14}", tinb) or re.fullmatch(r"\d{10}|\d{12}", bid)):
                errors.append(("0101204", "شماره اقتصادی یا شناسه ملی خریدار حقیقی نادرست است"))
        elif header.get("tinb") and not re.fullmatch(r"\d{11}|\d{14}", str(header["tinb"])):
            errors.append(("0101204", "شماره اقتصادی خریدار نادرست است"))
        return errors

    @staticmethod
    def _settlement(header: dict[str, Any], warnings: list[tuple[str, str]]) -> list[tuple[str, str]]:
        method = header.get("setm")
        if header.get("inty") == 2 and method is not None:
            warnings.append(("14028", "روش تسویه در صورتحساب نوع دوم خارج از الگو است"))
            return []
        if method is None:
            return []
        if method not in (1, 2, 3):
            return [("0102802", "روش تسویه نامعتبر است")]
        if method == 3 and (header.get("cap") is None or header.get("insp") is None):
            return [("0002900", "مبلغ نقدی و نسیه برای تسویه ترکیبی لازم است")]
        if method != 3:
            if header.get("cap") is not None:
                warnings.append(("14029", "مبلغ پرداختی نقدی خارج از الگو است"))
            if header.get("insp") is not None:
                warnings.append(("14030", "مبلغ نسیه خارج از الگو است"))
        return []

    @staticmethod
    def _line_errors(header: dict[str, Any], body: list[Any]) -> list[tuple[str, str]]:
        errors: list[tuple[str, str]] = []
        sums = {"tprdis": 0, "tdis": 0, "tadis": 0, "tvam": 0, "todam": 0, "tbill": 0}
        for number, line in enumerate(body, start=1):
            where = f"ردیف {number}"
            if not isinstance(line, dict):
                errors.append(("0160000", f"{where}: ساختار نادرست"))
                continue
            if not re.fullmatch(r"\d{13}", str(line.get("sstid") or "")):
                errors.append(("0103304", f"{where}: شناسه کالا/خدمت باید ۱۳ رقم باشد"))
            if not str(line.get("mu") or "").isdigit():
                errors.append(("0003500", f"{where}: واحد اندازه‌گیری خالی است"))
            am, fee = line.get("am"), line.get("fee")
            if not isinstance(am, int | Decimal) or am <= 0:
                errors.append(("0103605", f"{where}: تعداد باید بیشتر از صفر باشد"))
                continue
            if not isinstance(fee, int | Decimal) or fee <= 0:
                errors.append(("0103705", f"{where}: مبلغ واحد باید بیشتر از صفر باشد"))
                continue
            whole = {}
            for name in ("prdis", "dis", "adis", "vam", "odam", "olam", "tsstam"):
                value = line.get(name, 0) or 0
                if not isinstance(value, int):
                    errors.append((f"01{_FIELD_NUMBER[name]}09", f"{where}: «{name}» باید عدد صحیح ریالی باشد"))
                    value = 0
                whole[name] = value
            rate = line.get("vra", 0) or 0
            if whole["prdis"] <= 0:
                errors.append(("0104105", f"{where}: مبلغ قبل از تخفیف باید بیشتر از صفر باشد"))
            if whole["prdis"] != int((Decimal(am) * Decimal(fee)).to_integral_value(ROUND_DOWN)):
                errors.append(("0204101", f"{where}: مبلغ قبل از تخفیف با تعداد × مبلغ واحد نمی‌خواند"))
            if whole["adis"] != whole["prdis"] - whole["dis"]:
                errors.append(("0204301", f"{where}: مبلغ بعد از تخفیف نادرست است"))
            expected_vat = int((Decimal(whole["adis"]) * Decimal(rate) / 100).to_integral_value(ROUND_DOWN))
            if whole["vam"] != expected_vat:
                errors.append(("0204501", f"{where}: مبلغ مالیات بر ارزش افزوده نادرست است"))
            if whole["tsstam"] != whole["adis"] + whole["vam"] + whole["odam"] + whole["olam"]:
                errors.append(("0205901", f"{where}: مبلغ کل ردیف نادرست است"))
            for total, name in (("tprdis", "prdis"), ("tdis", "dis"), ("tadis", "adis"),
                                ("tvam", "vam"), ("tbill", "tsstam")):
                sums[total] += whole[name]
            sums["todam"] += whole["odam"] + whole["olam"]
        for name, value in sums.items():
            if header.get(name, 0 if name in ("tdis", "todam") else None) != value:
                errors.append((f"02{_FIELD_NUMBER[name]}01", f"جمع «{name}» با ردیف‌ها نمی‌خواند"))
        return errors

    def _referral_errors(self, header: dict[str, Any], body: list[Any]) -> list[tuple[str, str]]:
        """A referral: a new tax ID naming a live, accepted reference of the same seller."""
        reference = self.accepted.get(str(header.get("irtaxid")))
        if reference is None or reference.get("cancelled"):
            return [("0300601", "صورتحساب مرجع پیدا نشد یا قابل ارجاع نیست")]
        original = reference["header"]
        errors = []
        if header.get("tins") != original.get("tins"):
            errors.append(("0300902", "شماره اقتصادی فروشنده با صورتحساب مرجع یکی نیست"))
        if isinstance(header.get("indatim"), int) and header["indatim"] < original["indatim"]:
            errors.append(("0200201", "تاریخ صدور پیش از صورتحساب مرجع است"))
        if header.get("ins") == 3:
            return errors
        for name in ("inty", "inp", "tob", "tinb", "bid"):
            if header.get(name) != original.get(name):
                errors.append(("0300701", f"«{name}» با صورتحساب مرجع یکی نیست"))
        if header.get("ins") == 2:
            errors += self._correction_errors(reference, body)
        if header.get("ins") == 4:
            before = {line["sstid"]: line for line in reference["body"]}
            kept = 0
            for line in body:
                if not isinstance(line, dict):
                    continue
                old = before.get(line.get("sstid"))
                if old is None:
                    errors.append(("0303301", "کالای تازه در برگشت از فروش مجاز نیست"))
                    continue
                if line.get("fee") != old["fee"] or line.get("vra") != old["vra"]:
                    errors.append(("0303701", "مبلغ واحد یا نرخ مالیات در برگشت از فروش تغییر کرده است"))
                if not isinstance(line.get("am"), int | Decimal) or line["am"] > old["am"]:
                    errors.append(("0303601", "در برگشت از فروش تعداد فقط کم می‌شود"))
                kept += line.get("tsstam", 0) or 0
            if kept >= reference["header"].get("tbill", 0):
                errors.append(("0302701", "برگشت از فروش چیزی کم نکرده است"))
        return errors

    @staticmethod
    def _correction_errors(reference: dict[str, Any], body: list[Any]) -> list[tuple[str, str]]:
        """A correction (ins 2) replaces the reference in full: a non-empty body whose every line
        sells goods the reference sold (no new `sstid`) at the VAT rate the reference gave them
        (`vra` unchanged)."""
        rates: dict[str, set[Any]] = {}
        for line in reference.get("body") or ():
            rates.setdefault(str(line.get("sstid")), set()).add(line.get("vra"))
        errors = []
        if not body:
            errors.append(("0060000", "صورتحساب اصلاحی ردیف ندارد"))
        for number, line in enumerate(body, start=1):
            if not isinstance(line, dict):
                continue
            known = rates.get(str(line.get("sstid")))
            if known is None:
                errors.append(("0303301", f"ردیف {number}: کالای تازه در صورتحساب اصلاحی مجاز نیست"))
            elif line.get("vra") not in known:
                errors.append(("0304401", f"ردیف {number}: نرخ مالیات در صورتحساب اصلاحی تغییر کرده است"))
        return errors


class _PacketError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


_FIELD_NUMBER = {"tprdis": "022", "tdis": "023", "tadis": "024", "tvam": "025", "todam": "026",
                 "tbill": "027", "prdis": "041", "dis": "042", "adis": "043", "vam": "045",
                 "odam": "048", "olam": "051", "tsstam": "059"}
"""The invoice fields' numbers, as they appear inside content error codes."""
