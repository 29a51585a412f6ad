"""The facility's street address, kept encrypted at rest (DOMAIN.md 8.11: a shelter that can be found is
no shelter).

Fernet with the installation's field-encryption key (the key the people app uses for IINs,
`IIN_ENCRYPTION_KEY`, checked at start-up by settings_checks). Only `reveal_address` (queries.py) decrypts,
and only for the facility's own staff and a case worker with an accepted placement there.
"""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.conf import settings


def _fernet() -> Fernet:
    return Fernet(settings.IIN_ENCRYPTION_KEY.encode())


def encrypt_address(address: str) -> str:
    address = (address or "").strip()
    return _fernet().encrypt(address.encode()).decode() if address else ""


def decrypt_address(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""
