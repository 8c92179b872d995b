"""Personal data encrypted at rest: the algorithms, the keys, blind indexes and masks.

See docs/security.md ("Personal data encrypted at rest"). The model fields that use this
module are in ``gaoxin.core.fields``; nothing else encrypts or decrypts.

Two algorithms, chosen by the setting ``FIELD_ENCRYPTION_ALGORITHM``:

- ``sm4`` (国密, GB/T 32907-2016): SM4-CBC with a random IV, then HMAC-SM3 (GB/T 32905-2016)
  over the header, the field's name, the IV and the ciphertext — encrypt-then-MAC, and the MAC
  is checked before anything is decrypted, so a wrong key or an altered value is an error and
  never garbage. The SM4 block cipher comes from ``gmssl``; SM3 from ``cryptography`` (OpenSSL),
  because gmssl's pure-Python SM3 is about a hundred times slower. The tests check both
  libraries against the standards' example vectors.
- ``aes-256-gcm``: AES-256-GCM with a random 96-bit nonce and the header and field name as
  associated data (``cryptography``).

A stored value reads ``enc1:<sm4|aes>:<key id>:<base64 of iv/nonce, ciphertext and tag>``.
The key id names one of ``FIELD_ENCRYPTION_KEYS`` (the first encrypts, all decrypt), so keys
rotate without a flag day; the algorithm is in the value too, so a change of the setting
leaves older values readable until ``manage.py rotate_field_key`` rewrites them.

Exact lookups use a blind index: ``<sm3|sha256>:<key id>:<hex HMAC>`` of the field's name and
the normalised value, keyed by ``FIELD_HASH_KEYS`` (separate keys; the first one indexes). A
lookup asks for the digests under every listed key and both hashes, so it keeps working while
a rotation runs.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hmac as std_hmac
import os
import re
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from gmssl import sm4 as gmssl_sm4

VERSION = "enc1"
ALGORITHMS = {"sm4": "sm4", "aes-256-gcm": "aes"}  # setting value → tag in the stored value
INDEX_HASHES = {"sm4": "sm3", "aes-256-gcm": "sha256"}  # the blind index follows the family
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
KEY_BYTES = 32
_SM4_IV = 16
_MAC = 32
_GCM_NONCE = 12


class FieldDecryptionError(Exception):
    """A stored value cannot be read: its key is not configured, the key is not the one it
    was written with, or the value was altered. Never answered with garbage."""


# --- the keys (read from the settings on every call, so tests can override them) ---------


def encryption_keys() -> list[tuple[str, bytes]]:
    return list(settings.FIELD_ENCRYPTION_KEYS)


def hash_keys() -> list[tuple[str, bytes]]:
    return list(settings.FIELD_HASH_KEYS)


def algorithm() -> str:
    return settings.FIELD_ENCRYPTION_ALGORITHM


def current_key_id() -> str:
    return encryption_keys()[0][0]


def current_hash_key_id() -> str:
    return hash_keys()[0][0]


def _key(key_id: str, *, context: str) -> bytes:
    for kid, key in encryption_keys():
        if kid == key_id:
            return key
    known = ", ".join(kid for kid, _ in encryption_keys())
    raise FieldDecryptionError(
        f"{context}: the value was encrypted with key {key_id!r}, which is not in "
        f"FIELD_ENCRYPTION_KEYS (configured: {known}). Add that key back to read it."
    )


# --- hashes -----------------------------------------------------------------------------


def hmac_sm3(key: bytes, message: bytes) -> bytes:
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(message)
    return mac.finalize()


def hmac_sha256(key: bytes, message: bytes) -> bytes:
    mac = crypto_hmac.HMAC(key, hashes.SHA256())
    mac.update(message)
    return mac.finalize()


_HMACS = {"sm3": hmac_sm3, "sha256": hmac_sha256}


@functools.lru_cache(maxsize=64)
def _subkey(master: bytes, purpose: str) -> bytes:
    """One key per purpose from a configured key (HKDF-Expand with a single block)."""
    digest = hmac_sm3 if purpose.startswith("sm") else hmac_sha256
    return digest(master, f"gaoxin/field/{purpose}".encode() + b"\x01")


@functools.lru_cache(maxsize=16)
def _sm4(key: bytes, mode: int) -> gmssl_sm4.CryptSM4:
    # The key schedule is the slow part; a scheduled cipher is only read afterwards.
    cipher = gmssl_sm4.CryptSM4()
    cipher.set_key(key, mode)
    return cipher


# --- encryption -------------------------------------------------------------------------


def is_sealed(value) -> bool:
    return isinstance(value, str) and value.startswith(VERSION + ":")


def parse(token: str) -> tuple[str, str, str]:
    """(algorithm tag, key id, base64 payload) of a stored value."""
    parts = token.split(":", 3)
    if len(parts) != 4 or parts[0] != VERSION:
        raise ValueError("not an encrypted value")
    return parts[1], parts[2], parts[3]


def seal(plain: str, *, context: str) -> str:
    """``plain`` encrypted with the current algorithm and key, bound to ``context`` (the
    field's ``app_label.model.field``), so a value copied into another column fails."""
    key_id, master = encryption_keys()[0]
    tag = ALGORITHMS[algorithm()]
    header = f"{VERSION}:{tag}:{key_id}:"
    data = plain.encode()
    if tag == "sm4":
        iv = os.urandom(_SM4_IV)
        body = iv + _sm4(_subkey(master, "sm4-cbc/enc")[:16], gmssl_sm4.SM4_ENCRYPT).crypt_cbc(
            iv, data
        )
        mac = hmac_sm3(_subkey(master, "sm4-cbc/mac"), _authenticated(header, context, body))
        payload = body + mac
    else:
        nonce = os.urandom(_GCM_NONCE)
        aad = (header + context).encode()
        payload = nonce + AESGCM(_subkey(master, "aes-256-gcm")).encrypt(nonce, data, aad)
    return header + base64.b64encode(payload).decode()


def unseal(token: str, *, context: str) -> str:
    """The plain value, or FieldDecryptionError naming the field and the key id."""
    try:
        tag, key_id, encoded = parse(token)
        payload = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        raise FieldDecryptionError(f"{context}: the stored value is not encrypted.") from None
    header = f"{VERSION}:{tag}:{key_id}:"
    master = _key(key_id, context=context)
    broken = FieldDecryptionError(
        f"{context}: the value encrypted with key {key_id!r} ({tag}) fails its integrity "
        f"check — FIELD_ENCRYPTION_KEYS holds a different key under the id {key_id!r}, or "
        f"the stored value was altered."
    )
    if tag == "sm4":
        body, mac = payload[:-_MAC], payload[-_MAC:]
        if len(body) < _SM4_IV + 16 or (len(body) - _SM4_IV) % 16:
            raise broken
        expected = hmac_sm3(_subkey(master, "sm4-cbc/mac"), _authenticated(header, context, body))
        if not std_hmac.compare_digest(mac, expected):
            raise broken
        cipher = _sm4(_subkey(master, "sm4-cbc/enc")[:16], gmssl_sm4.SM4_DECRYPT)
        data = cipher.crypt_cbc(body[:_SM4_IV], body[_SM4_IV:])
    elif tag == "aes":
        try:
            data = AESGCM(_subkey(master, "aes-256-gcm")).decrypt(
                payload[:_GCM_NONCE], payload[_GCM_NONCE:], (header + context).encode()
            )
        except Exception:  # InvalidTag, or a payload too short to hold a nonce and tag
            raise broken from None
    else:
        raise FieldDecryptionError(f"{context}: unknown algorithm {tag!r} in the stored value.")
    try:
        return data.decode()
    except UnicodeDecodeError:
        raise broken from None


def _authenticated(header: str, context: str, body: bytes) -> bytes:
    return header.encode() + context.encode() + b"\x00" + body


def is_current(token: str) -> bool:
    """Whether the value is written with the current algorithm and key (rotation skips it)."""
    tag, key_id, _ = parse(token)
    return tag == ALGORITHMS[algorithm()] and key_id == current_key_id()


# --- blind indexes ----------------------------------------------------------------------


def normalise(value: str) -> str:
    """What an exact lookup compares: no white space, upper case (an ID number's x is X)."""
    return re.sub(r"\s+", "", value).upper()


def _digest(hash_name: str, key_id: str, key: bytes, value: str, context: str) -> str:
    message = context.encode() + b"\x00" + normalise(value).encode()
    return f"{hash_name}:{key_id}:{_HMACS[hash_name](key, message).hex()}"


def blind_index(value: str, *, context: str) -> str:
    """The digest stored beside the encrypted value, under the current hash key."""
    key_id, key = hash_keys()[0]
    return _digest(INDEX_HASHES[algorithm()], key_id, key, value, context)


def blind_index_candidates(value: str, *, context: str) -> list[str]:
    """Every digest the value may be stored under (each hash key, both hashes)."""
    return [
        _digest(hash_name, key_id, key, value, context)
        for key_id, key in hash_keys()
        for hash_name in _HMACS
    ]


# --- masks (what the screen shows to those who may not see the whole value) -------------


def mask_phone(value: str) -> str:
    """138****5678: the first three and last four digits."""
    digits = re.sub(r"\s", "", value or "")
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(value: str) -> str:
    """1101**********002X: the first four and the last four characters."""
    value = value or ""
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}" if len(value) > 8 else "****"


MASKS = {"phone": mask_phone, "id_number": mask_id_number}


# --- settings: the key lists from the environment, or the demo's local file ---------------


def parse_key_list(name: str, raw: str) -> list[tuple[str, bytes]]:
    """``id:base64,id:base64`` → [(id, 32 bytes)], first the current key. Raises ValueError
    with a message naming the variable (settings turns it into ImproperlyConfigured)."""
    keys: list[tuple[str, bytes]] = []
    for item in [part.strip() for part in raw.split(",") if part.strip()]:
        key_id, sep, encoded = item.partition(":")
        if not sep or not KEY_ID.match(key_id):
            raise ValueError(
                f"{name}: {key_id!r} is not a key id followed by ':' (letters, digits, _ "
                f"and -, at most 20)."
            )
        encoded = encoded.strip()
        try:
            key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        except binascii.Error:
            raise ValueError(f"{name}: the key {key_id!r} is not base64.") from None
        if len(key) != KEY_BYTES:
            raise ValueError(
                f"{name}: the key {key_id!r} has {len(key)} bytes; it needs {KEY_BYTES} "
                f"(e.g. `openssl rand -base64 32`)."
            )
        if any(key_id == known for known, _ in keys):
            raise ValueError(f"{name}: the key id {key_id!r} is listed twice.")
        keys.append((key_id, key))
    if not keys:
        raise ValueError(f"{name} holds no key.")
    return keys


def new_key_line(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(os.urandom(KEY_BYTES)).decode()}"


def local_key_file(path) -> dict[str, str]:
    """The demo's and the tests' keys: generated once into ``path`` (under the git-ignored
    var/, mode 0600) and read back on every start. Two processes starting together agree:
    the file appears whole or not at all (written aside, then linked into place)."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (
            "# Field encryption keys for the demo and the tests, generated once by settings.py.\n"
            "# Never commit this file; production sets these variables in the environment.\n"
            f"FIELD_ENCRYPTION_KEYS={new_key_line('local1')}\n"
            f"FIELD_HASH_KEYS={new_key_line('local1')}\n"
        )
        aside = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        try:
            os.link(aside, path)
        except FileExistsError:
            pass  # another process won the race: use its keys
        finally:
            aside.unlink()
    values = {}
    for line in path.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.startswith("#"):
            values[name.strip()] = value.strip()
    return values
