"""TOTP codes computed as a phone app does (RFC 6238 over RFC 4226), without django-otp."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time


def totp(secret_text: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows at time `at` for the base32 key the page displays."""
    key = base64.b32decode(secret_text.replace(" ", "").upper())
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)
