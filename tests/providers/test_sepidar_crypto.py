"""Sepidar cryptography: registration round trip, .NET XML keys, EncArbitraryCode, MD5."""

from __future__ import annotations

import base64
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from posapp.providers import sepidar_crypto as crypto


@pytest.fixture(scope="module")
def key_pair() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)  # the smallest size `cryptography` generates


def test_integration_id_is_the_serial_prefix():
    assert crypto.integration_id("10017ff3") == 1001
    assert crypto.device_key("10017ff3") == b"10017ff310017ff3"


@pytest.mark.parametrize("serial", ["1001", "10017ff3x", "abcd7ff3", "0999aaaa", "1001۷ff3"])
def test_bad_serials_are_refused(serial):
    with pytest.raises(crypto.SepidarCryptoError):
        crypto.integration_id(serial)


def test_registration_body_decrypts_to_the_integration_id():
    body = crypto.registration_body("10017ff3")
    assert body["IntegrationID"] == 1001
    plain = crypto.aes_decrypt(b"10017ff310017ff3", str(body["Cypher"]), str(body["IV"]))
    assert plain == b"1001"
    # A fresh IV each time: two registrations never produce the same ciphertext.
    assert crypto.registration_body("10017ff3")["IV"] != body["IV"]


def test_known_aes_vector_matches_other_clients():
    # AES-128-CBC/PKCS7 of "1000" under "10001234" twice with a zero IV, computed independently.
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key, iv = b"1000123410001234", bytes(16)
    block = b"1000" + bytes([12]) * 12
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    expected = base64.b64encode(encryptor.update(block) + encryptor.finalize()).decode()
    assert crypto.aes_encrypt(key, b"1000", iv) == (expected, base64.b64encode(iv).decode())


def test_wrong_serial_cannot_read_the_key(key_pair):
    xml = crypto.dotnet_rsa_key_xml(key_pair.public_key())
    cypher, iv = crypto.aes_encrypt(crypto.device_key("10017ff3"), xml.encode())
    with pytest.raises(crypto.SepidarCryptoError):
        crypto.public_key_from_registration("10019999", cypher, iv)


def test_registration_answer_round_trips_the_public_key(key_pair):
    xml = crypto.dotnet_rsa_key_xml(key_pair.public_key())
    assert xml.startswith("<RSAKeyValue><Modulus>")
    assert "<Exponent>AQAB</Exponent>" in xml
    cypher, iv = crypto.aes_encrypt(crypto.device_key("10017ff3"), xml.encode())
    parsed = crypto.public_key_from_registration("10017ff3", cypher, iv)
    assert parsed.public_numbers() == key_pair.public_key().public_numbers()


def test_parse_documented_key_shape():
    modulus = base64.b64encode(bytes([0xC1]) + bytes(63)).decode()
    key = crypto.parse_dotnet_rsa_key(
        f"<RSAKeyValue>\n <Modulus>{modulus}</Modulus>\n <Exponent>AQAB</Exponent>\n</RSAKeyValue>"
    )
    assert key.key_size == 512
    assert key.public_numbers().e == 65537


@pytest.mark.parametrize(
    "xml",
    ["not xml", "<Key><Modulus>AQAB</Modulus></Key>", "<RSAKeyValue><Modulus>AQAB</Modulus></RSAKeyValue>",
     "<RSAKeyValue><Modulus>!!</Modulus><Exponent>AQAB</Exponent></RSAKeyValue>"],
)
def test_malformed_keys_are_refused(xml):
    with pytest.raises(crypto.SepidarCryptoError):
        crypto.parse_dotnet_rsa_key(xml)


def test_enc_arbitrary_code_is_pkcs1v15_of_the_guid_bytes(key_pair):
    code, encrypted = crypto.new_arbitrary_code(key_pair.public_key())
    decrypted = key_pair.decrypt(base64.b64decode(encrypted), padding.PKCS1v15())
    assert decrypted == uuid.UUID(code).bytes
    # PKCS#1 v1.5 is randomised, and every call draws a new GUID.
    assert crypto.new_arbitrary_code(key_pair.public_key())[0] != code


def test_password_hash_is_md5_hex():
    assert crypto.password_hash("123456") == "e10adc3949ba59abbe56e057f20f883e"
    assert crypto.password_hash("رمز") == crypto.password_hash("رمز").lower()
