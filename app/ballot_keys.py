"""The ballot key store: per-poll keys kept outside the database, destroyed once the poll is counted or cancelled.

The database (and so its WAL, backups and replicas) only ever holds a poll's private key wrapped under a key that
lives here; destroying that key makes every copy of the wrapped key, and every ballot sealed for it, unreadable.
See docs/ballot-secrecy.md for what each backend leaves behind.
"""

import os
import re
import secrets
from pathlib import Path

KEY_SIZE = 32
NAME = re.compile(r"[0-9a-f]{32}(-recount)?")


class KeyStoreError(Exception):
    """The key store cannot be read or written."""


class KeyMissing(KeyStoreError):
    """No key of that name: never made, or already destroyed."""


def new_key_name() -> str:
    return secrets.token_hex(16)


def recount_name(name: str) -> str:
    """The key that seals the shuffled ballots kept after the count, for the ceremony and audits."""
    return f"{name}-recount"


def _checked(name: str) -> str:
    if not NAME.fullmatch(name):
        raise ValueError(f"not a ballot key name: {name!r}")
    return name


class FileKeyStore:
    """One 0600 file a key in a 0700 folder: the default, for one machine (or several sharing the folder)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _path(self, name: str) -> Path:
        return self.folder / f"{_checked(name)}.key"

    def put(self, name: str, key: bytes) -> None:
        """Written to a temporary file, flushed to disk, then renamed: a crash leaves the old state or the new."""
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            temporary = self.folder / f".{_checked(name)}.{secrets.token_hex(4)}.tmp"
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(key)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self._path(name))
            self._sync_folder()
        except OSError as error:
            raise KeyStoreError(f"cannot write the ballot key store at {self.folder}: {error.strerror}") from error

    def get(self, name: str) -> bytes:
        try:
            key = self._path(name).read_bytes()
        except FileNotFoundError as error:
            raise KeyMissing(name) from error
        except OSError as error:
            raise KeyStoreError(f"cannot read the ballot key store at {self.folder}: {error.strerror}") from error
        if len(key) != KEY_SIZE:
            raise KeyStoreError(f"the ballot key {name} is damaged")
        return key

    def destroy(self, name: str) -> None:
        """Overwrites the key, then removes the file; nothing to do when it is already gone."""
        path = self._path(name)
        try:
            with open(path, "r+b") as file:
                file.write(bytes(KEY_SIZE))
                file.flush()
                os.fsync(file.fileno())
            path.unlink()
            self._sync_folder()
        except FileNotFoundError:
            return
        except OSError as error:
            raise KeyStoreError(f"cannot destroy a key in {self.folder}: {error.strerror}") from error

    def names(self) -> set[str]:
        if not self.folder.is_dir():
            return set()
        return {path.stem for path in self.folder.glob("*.key") if NAME.fullmatch(path.stem)}

    def _sync_folder(self) -> None:
        descriptor = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


class RedisKeyStore:
    """Keys in Redis, for several app machines; durable only as far as the Redis server persists its data."""

    PREFIX = "agora:ballot-key:"

    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._errors = (redis.RedisError, OSError)

    def _call(self, method: str, *args):
        try:
            return getattr(self.client, method)(*args)
        except self._errors as error:
            raise KeyStoreError(f"the ballot key store (Redis) does not answer: {error}") from error

    def put(self, name: str, key: bytes) -> None:
        self._call("set", self.PREFIX + _checked(name), key)

    def get(self, name: str) -> bytes:
        key = self._call("get", self.PREFIX + _checked(name))
        if key is None:
            raise KeyMissing(name)
        if len(key) != KEY_SIZE:
            raise KeyStoreError(f"the ballot key {name} is damaged")
        return key

    def destroy(self, name: str) -> None:
        self._call("delete", self.PREFIX + _checked(name))

    def names(self) -> set[str]:
        found = (key.decode().removeprefix(self.PREFIX) for key in self._call("keys", self.PREFIX + "*"))
        return {name for name in found if NAME.fullmatch(name)}


KeyStore = FileKeyStore | RedisKeyStore


def key_store_at(location: str) -> KeyStore:
    """A folder path (the default), or a redis:// or rediss:// URL."""
    if location.startswith(("redis://", "rediss://", "unix://")):
        return RedisKeyStore(location)
    return FileKeyStore(location)


def init_app(app) -> None:
    app.extensions["ballot_keys"] = key_store_at(app.config["BALLOT_KEY_STORE"])


def current_key_store() -> KeyStore:
    from flask import current_app

    return current_app.extensions["ballot_keys"]
