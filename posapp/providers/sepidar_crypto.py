"""Sepidar web-service cryptography: device registration, the RSA key exchange, request signing.

Everything follows Sepidar's web-service document («مستند نحوه استفاده از وب‌سرویس نرم‌افزار
سپیدار» v1.0.0: device registration, login and request headers) and uses `cryptography`; no
cipher is written by hand.

- Registration sends the IntegrationID (the serial's first four characters) encrypted with
  AES-128-CBC and PKCS7 padding. The key is the 8-character device serial written twice.
- The server answers with an RSA public key in .NET XML (`<RSAKeyValue>`), AES-encrypted the
  same way under a fresh IV.
- Every secured request carries a new `ArbitraryCode` GUID and `EncArbitraryCode`: the GUID's
  16 RFC-4122 (big-endian) bytes encrypted with RSA PKCS#1 v1.5, in Base64.
- Login sends the MD5 hex digest of the password (Sepidar's own scheme, not ours to choose).

Functions are pure and thread-safe; keys are immutable `cryptography` objects.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import uuid
from xml.etree import ElementTree

from cryptography.hazmat.primitives import padding as symmetric_padding
from cryptography.hazmat.primitives.asymmetric import padding as asymmetric_padding
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

SERIAL_LENGTH = 8
AES_BLOCK_BYTES = 16


class SepidarCryptoError(ValueError):
    """Input that cannot be a Sepidar serial, ciphertext or key (the message says which)."""


def check_serial(serial: str) -> str:
    """A device serial is 8 ASCII characters whose first four are the IntegrationID digits."""
    serial = serial.strip()
    if len(serial) != SERIAL_LENGTH or not serial.isascii():
        raise SepidarCryptoError("a Sepidar device serial has exactly 8 ASCII characters")
    if not serial[:4].isdigit() or not 1000 <= int(serial[:4]) <= 9999:
        raise SepidarCryptoError("a Sepidar device serial starts with a 4-digit IntegrationID")
    return serial


def integration_id(serial: str) -> int:
    """The device's IntegrationID: the serial's first four characters (`10017ff3` → 1001)."""
    return int(check_serial(serial)[:4])


def device_key(serial: str) -> bytes:
    """The AES-128 key of registration: the serial written twice, as ASCII."""
    return (check_serial(serial) * 2).encode("ascii")


def aes_encrypt(key: bytes, plaintext: bytes, iv: bytes | None = None) -> tuple[str, str]:
    """AES-CBC with PKCS7 padding; returns (Base64 ciphertext, Base64 IV). A fresh random IV is
    drawn unless one is given (tests and the fake pass their own)."""
    iv = iv if iv is not None else os.urandom(AES_BLOCK_BYTES)
    padder = symmetric_padding.PKCS7(algorithms.AES.block_size).padder()
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padded) + encryptor.finalize()
    return _b64(ciphertext), _b64(iv)


def aes_decrypt(key: bytes, ciphertext_b64: str, iv_b64: str) -> bytes:
    """Reverse of `aes_encrypt`; a wrong key, IV or padding raises SepidarCryptoError."""
    ciphertext = _unb64(ciphertext_b64, "Cypher")
    iv = _unb64(iv_b64, "IV")
    if len(iv) != AES_BLOCK_BYTES or not ciphertext or len(ciphertext) % AES_BLOCK_BYTES:
        raise SepidarCryptoError("the AES ciphertext or IV has the wrong length")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = symmetric_padding.PKCS7(algorithms.AES.block_size).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        raise SepidarCryptoError("the AES padding is invalid (wrong serial?)") from None


def registration_body(serial: str) -> dict[str, object]:
    """The body of `POST /api/Devices/Register` for this serial."""
    device_id = integration_id(serial)
    cypher, iv = aes_encrypt(device_key(serial), str(device_id).encode("ascii"))
    return {"Cypher": cypher, "IV": iv, "IntegrationID": device_id}


def public_key_from_registration(serial: str, cypher_b64: str, iv_b64: str) -> rsa.RSAPublicKey:
    """Decrypt the Register answer and parse the RSA public key it carries."""
    xml = aes_decrypt(device_key(serial), cypher_b64, iv_b64)
    try:
        text = xml.decode("utf-8")
    except UnicodeDecodeError:
        raise SepidarCryptoError("the registration answer is not a key (wrong serial?)") from None
    return parse_dotnet_rsa_key(text)


def parse_dotnet_rsa_key(xml: str) -> rsa.RSAPublicKey:
    """Parse `<RSAKeyValue><Modulus>b64</Modulus><Exponent>b64</Exponent></RSAKeyValue>`."""
    try:
        root = ElementTree.fromstring(xml.strip())  # noqa: S314 -- trusted-size key answer, no DTD
    except ElementTree.ParseError:
        raise SepidarCryptoError("the RSA key is not well-formed XML") from None
    if root.tag != "RSAKeyValue":
        raise SepidarCryptoError("the RSA key XML has no RSAKeyValue root")
    modulus_text = root.findtext("Modulus")
    exponent_text = root.findtext("Exponent")
    if not modulus_text or not exponent_text:
        raise SepidarCryptoError("the RSA key XML lacks Modulus or Exponent")
    modulus = int.from_bytes(_unb64(modulus_text.strip(), "Modulus"), "big")
    exponent = int.from_bytes(_unb64(exponent_text.strip(), "Exponent"), "big")
    try:
        return rsa.RSAPublicNumbers(exponent, modulus).public_key()
    except ValueError as error:
        raise SepidarCryptoError(f"the RSA key is not valid: {error}") from None


def dotnet_rsa_key_xml(public_key: rsa.RSAPublicKey) -> str:
    """The .NET XML form of a public key (what the Sepidar server sends at registration)."""
    numbers = public_key.public_numbers()
    modulus = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
    exponent = numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")
    return (
        f"<RSAKeyValue><Modulus>{_b64(modulus)}</Modulus>"
        f"<Exponent>{_b64(exponent)}</Exponent></RSAKeyValue>"
    )


def encrypt_arbitrary_code(public_key: rsa.RSAPublicKey, code: uuid.UUID) -> str:
    """EncArbitraryCode: RSA PKCS#1 v1.5 over the GUID's 16 big-endian bytes, in Base64."""
    return _b64(public_key.encrypt(code.bytes, asymmetric_padding.PKCS1v15()))


def new_arbitrary_code(public_key: rsa.RSAPublicKey) -> tuple[str, str]:
    """A fresh (ArbitraryCode, EncArbitraryCode) header pair; never reuse one."""
    code = uuid.uuid4()
    return str(code), encrypt_arbitrary_code(public_key, code)


def password_hash(password: str) -> str:
    """Sepidar's login `PasswordHash`: the MD5 hex digest of the UTF-8 password."""
    return hashlib.md5(password.encode("utf-8"), usedforsecurity=False).hexdigest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SepidarCryptoError(f"{what} is not valid Base64") from None
