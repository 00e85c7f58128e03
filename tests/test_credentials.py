"""Curator credentials: salted hashes that verify only the right password, tokens compared in constant time."""

from __future__ import annotations

from explorer.system.credentials import hash_password, token_matches, verify_password


def test_a_hash_verifies_its_password_only():
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt$") and "correct horse" not in stored
    assert verify_password(stored, "correct horse")
    assert not verify_password(stored, "correct horsE")
    assert not verify_password(stored, "")


def test_the_same_password_gets_a_different_salt_each_time():
    assert hash_password("pw") != hash_password("pw")


def test_malformed_entries_never_match():
    for stored in ("", "pw", "plain$pw", "scrypt$x$8$1$AA==$AA==", "md5$1$1$1$AA==$AA=="):
        assert not verify_password(stored, "pw")


def test_token_needs_to_be_set_and_equal():
    assert token_matches("s3cret-token", "s3cret-token")
    assert not token_matches("s3cret-token", "s3cret-tokeN")
    assert not token_matches("", "")
