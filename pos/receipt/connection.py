"""Sending a receipt's bytes to a printer by URL, through pyserial's serial_for_url as
the scanner's reader opens its port: a device path (/dev/ttyUSB0, /dev/usb/lp0 as a
file-like port, a pty of the printer emulator) or socket://host:9100 (a network
printer's raw port).

`send_receipt` writes it all within `timeout` or raises PrinterUnavailable; it never
waits longer. Not yet (issue 20): the queue in the journal that keeps a receipt
the printer could not take and prints it once when the printer is back, the
printer's status (DLE EOT: offline, paper out), USB by vendor and product id.
"""
from __future__ import annotations

from ..errors import EXIT_STORE, PosError


class PrinterUnavailable(PosError):
    """The printer cannot be opened or did not take the receipt in time (the message says which).
    No command raises it yet; its code is that of a device pos cannot reach (as the hub)."""
    exit_code = EXIT_STORE


def send_receipt(url: str, data: bytes, timeout: float = 2.0, baudrate: int = 38400) -> None:
    """Writes `data` to the printer at `url`, all of it within `timeout` seconds."""
    import serial
    try:
        port = serial.serial_for_url(url, do_not_open=True, baudrate=baudrate, timeout=timeout,
                                     write_timeout=timeout)
        port.open()
    except (serial.SerialException, OSError, ValueError) as exc:
        raise PrinterUnavailable(f"printer {url}: cannot open: {exc}") from None
    try:
        written = port.write(data)
        port.flush()
    except (serial.SerialException, OSError) as exc:
        raise PrinterUnavailable(f"printer {url}: the receipt was not sent: {exc}") from None
    finally:
        port.close()
    if written != len(data):
        raise PrinterUnavailable(f"printer {url}: took {written} of {len(data)} bytes")
