"""The keyring: encrypt with the primary key, decrypt with any, never show a key."""

import pytest
from cryptography.fernet import Fernet

from solidarity.lib.crypto import DecryptionError, Keyring, KeyringError, generate_key

OLD, NEW, OTHER = generate_key(), generate_key(), generate_key()


def test_it_round_trips_bytes():
    keyring = Keyring([NEW])
    token = keyring.encrypt("郭建梅, lesbian, HIV+".encode())
    assert "郭建梅".encode() not in token
    assert keyring.decrypt(token) == "郭建梅, lesbian, HIV+".encode()


def test_it_encrypts_with_the_first_key_only():
    token = Keyring([NEW, OLD]).encrypt(b"secret")
    assert Fernet(NEW).decrypt(token) == b"secret"
    with pytest.raises(DecryptionError):
        Keyring([OLD]).decrypt(token)


def test_it_decrypts_with_an_older_key():
    token = Keyring([OLD]).encrypt(b"secret")
    assert Keyring([NEW, OLD]).decrypt(token) == b"secret"


def test_it_rotates_a_token_to_the_primary_key():
    keyring = Keyring([NEW, OLD])
    token = Keyring([OLD]).encrypt(b"secret")
    assert keyring.needs_rotation(token)
    rotated = keyring.rotate(token)
    assert not keyring.needs_rotation(rotated)
    assert Keyring([NEW]).decrypt(rotated) == b"secret"


def test_a_token_under_the_primary_key_needs_no_rotation():
    keyring = Keyring([NEW, OLD])
    assert not keyring.needs_rotation(keyring.encrypt(b"secret"))


def test_it_says_clearly_when_no_key_can_decrypt():
    token = Keyring([OTHER]).encrypt(b"secret")
    with pytest.raises(DecryptionError, match="was a retired key removed too early") as caught:
        Keyring([NEW, OLD]).decrypt(token)
    assert token.decode() not in str(caught.value)
    with pytest.raises(DecryptionError):
        Keyring([NEW, OLD]).rotate(token)


def test_a_tampered_token_does_not_decrypt():
    keyring = Keyring([NEW])
    token = bytearray(keyring.encrypt(b"secret"))
    token[-5] = ord("A") if token[-5] != ord("A") else ord("B")
    with pytest.raises(DecryptionError):
        keyring.decrypt(bytes(token))


def test_it_parses_keys_separated_by_commas_spaces_newlines_with_comments():
    text = f"""
        # the primary, since 2026-06
        {NEW}  # inline comment

        {OLD},{OTHER}
    """
    keyring = Keyring.parse(text)
    assert len(keyring) == 3
    assert Fernet(NEW).decrypt(keyring.encrypt(b"x")) == b"x"
    assert Keyring.parse(f"{NEW}, {OLD}").decrypt(Keyring([OLD]).encrypt(b"x")) == b"x"


def test_it_refuses_an_empty_keyring():
    with pytest.raises(KeyringError, match="solidarity keys generate"):
        Keyring.parse("# only a comment\n\n")


def test_a_malformed_key_is_named_by_position_without_showing_it():
    malformed = "not-a-key-but-a-secret-passphrase"
    with pytest.raises(KeyringError, match="key 2") as caught:
        Keyring.parse(f"{NEW}\n{malformed}\n{OLD}")
    message = str(caught.value)
    assert malformed not in message
    assert NEW not in message and OLD not in message
    # Nor in the exception chain that a traceback would print.
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_key_of_the_wrong_length_is_malformed():
    with pytest.raises(KeyringError, match="key 1"):
        Keyring([NEW[:40]])


def test_its_repr_never_shows_key_material():
    keyring = Keyring([NEW, OLD, OTHER])
    for text in (repr(keyring), str(keyring), f"{keyring}"):
        assert text == "Keyring(3 keys)"
    assert repr(Keyring([NEW])) == "Keyring(1 key)"


def test_fingerprints_tell_keys_apart_without_showing_them():
    fingerprints = Keyring([NEW, OLD]).fingerprints()
    assert fingerprints == Keyring.parse(f"{NEW}\n{OLD}").fingerprints()
    assert fingerprints[0] != fingerprints[1]
    for fingerprint in fingerprints:
        assert fingerprint not in NEW and fingerprint not in OLD


def test_generated_keys_are_valid_and_different():
    first, second = generate_key(), Keyring.generate_key()
    assert first != second
    assert len(Keyring([first, second])) == 2
