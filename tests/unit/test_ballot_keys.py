"""The ballot key store on disk: keys survive a restart, stay private, and are gone once destroyed."""

import stat

import pytest

from app.ballot_keys import KEY_SIZE, FileKeyStore, KeyMissing, KeyStoreError, key_store_at, new_key_name, recount_name

KEY = bytes(range(KEY_SIZE))


@pytest.fixture
def store(tmp_path) -> FileKeyStore:
    return FileKeyStore(tmp_path / "ballot-keys")


def test_a_key_is_read_back_by_another_store_on_the_same_folder(store):
    name = new_key_name()
    store.put(name, KEY)
    assert FileKeyStore(store.folder).get(name) == KEY
    assert store.names() == {name}


def test_keys_are_private_to_the_server_account(store):
    name = new_key_name()
    store.put(name, KEY)
    assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((store.folder / f"{name}.key").stat().st_mode) == 0o600
    assert [path.name for path in store.folder.iterdir()] == [f"{name}.key"]  # no temporary file left


def test_a_destroyed_key_is_gone_and_destroying_it_again_is_harmless(store):
    name = new_key_name()
    store.put(name, KEY)
    store.destroy(name)
    store.destroy(name)
    with pytest.raises(KeyMissing):
        store.get(name)
    assert store.names() == set() and not any(store.folder.iterdir())


def test_the_recount_key_lives_apart_from_the_poll_key(store):
    name = new_key_name()
    store.put(name, KEY)
    store.put(recount_name(name), KEY[::-1])
    store.destroy(name)
    assert store.get(recount_name(name)) == KEY[::-1]


@pytest.mark.parametrize("name", ["../etc/passwd", "ABC", "", "0" * 31, "0" * 32 + "-other"])
def test_names_that_are_not_key_names_are_refused(store, name):
    with pytest.raises(ValueError):
        store.put(name, KEY)


def test_a_damaged_key_file_is_reported(store):
    name = new_key_name()
    store.put(name, KEY)
    (store.folder / f"{name}.key").write_bytes(b"short")
    with pytest.raises(KeyStoreError, match="damaged"):
        store.get(name)


def test_an_unwritable_folder_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(KeyStoreError, match="cannot write"):
        FileKeyStore(blocker / "keys").put(new_key_name(), KEY)


def test_the_location_chooses_the_backend(tmp_path):
    assert isinstance(key_store_at(str(tmp_path)), FileKeyStore)
    assert type(key_store_at("redis://127.0.0.1:6379/9")).__name__ == "RedisKeyStore"
