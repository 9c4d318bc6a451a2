"""Receipt printer addresses: the four URI forms, their defaults, and clear bilingual errors."""

from __future__ import annotations

import pytest

from posapp.hardware.uri import PrinterUriError, Transport, is_printer_uri, parse_printer_uri


@pytest.mark.parametrize(("text", "expected"), [
    ("tcp://192.168.1.50", ("tcp", "192.168.1.50", 9100)),
    ("tcp://192.168.1.50:9101", ("tcp", "192.168.1.50", 9101)),
    ("TCP://printer.local", ("tcp", "printer.local", 9100)),
    ("tcp://۱۹۲.۱۶۸.۱.۵۰:۹۱۰۰", ("tcp", "192.168.1.50", 9100)),
    ("tcp://[fe80::1]:9100", ("tcp", "fe80::1", 9100)),
])
def test_network_printers(text, expected):
    uri = parse_printer_uri(text)
    assert (uri.transport.value, uri.host, uri.port) == expected


def test_usb_serial_and_file_printers():
    usb = parse_printer_uri("usb://04b8:0E15")
    assert (usb.transport, usb.vendor_id, usb.product_id) == (Transport.USB, 0x04B8, 0x0E15)
    assert str(usb) == "usb://04b8:0e15"
    serial = parse_printer_uri("serial:///dev/ttyUSB0?baud=19200")
    assert (serial.transport, serial.path, serial.baud) == (Transport.SERIAL, "/dev/ttyUSB0", 19200)
    assert parse_printer_uri("serial://COM3").path == "COM3"
    assert parse_printer_uri("serial:///dev/ttyS0").baud == 9600
    device = parse_printer_uri("file:///dev/usb/lp0")
    assert (device.transport, device.path) == (Transport.FILE, "/dev/usb/lp0")
    assert str(parse_printer_uri(str(serial))) == str(serial)


@pytest.mark.parametrize(("text", "says"), [
    ("192.168.1.50", "tcp://"),
    ("http://192.168.1.50", "tcp://"),
    ("tcp://", "host"),
    ("tcp://10.0.0.1:99999", "port"),
    ("tcp://10.0.0.1:abc", "port"),
    ("tcp://10.0.0.1/x", "nothing may follow"),
    ("usb://04b8", "VID:PID"),
    ("usb://zz:0202", "VID:PID"),
    ("usb://0000:0202", "0001"),
    ("serial:///dev/ttyUSB0?baud=1234", "baud"),
    ("serial:///dev/ttyUSB0?speed=9600", "unknown option"),
    ("file://", "path"),
])
def test_bad_addresses_say_what_is_wrong_in_both_languages(text, says):
    with pytest.raises(PrinterUriError) as caught:
        parse_printer_uri(text)
    assert says in caught.value.message_en
    assert "نشانی چاپگر" in caught.value.message_fa
    assert caught.value.field == "printer_uri"


def test_system_printer_names_are_not_uris():
    assert not is_printer_uri("EPSON_TM_T20")
    assert not is_printer_uri("")
    assert is_printer_uri(" tcp://10.0.0.5 ")


def test_unreachable_devices_say_so_in_both_languages(tmp_path):
    from posapp.hardware.transport import PrinterError, send

    for address in (f"file://{tmp_path}/missing/lp0", "serial:///dev/ttyPOSAPP-NONE?baud=9600",
                    "usb://04b8:0202"):
        with pytest.raises(PrinterError) as caught:
            send(parse_printer_uri(address), b"\x1b@", 1)
        assert caught.value.message_fa.startswith("چاپگر ")
        assert any(words in caught.value.message_en for words in ("cannot be reached", "libusb"))


def test_a_file_printer_receives_the_job(tmp_path):
    from posapp.hardware.transport import send

    target = tmp_path / "lp0"
    send(parse_printer_uri(f"file://{target}"), b"\x1b@\x1bp\x00\x32\x32", 1)
    assert target.read_bytes() == b"\x1b@\x1bp\x00\x32\x32"
