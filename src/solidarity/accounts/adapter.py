from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from solidarity.core.encryption import get_keyring


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators; nobody signs themself up."""

    def is_open_for_signup(self, request) -> bool:
        return False


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are encrypted at rest with our keys."""

    def encrypt(self, text: str) -> str:
        return get_keyring().encrypt(text.encode()).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        return get_keyring().decrypt(encrypted_text.encode("ascii")).decode()
