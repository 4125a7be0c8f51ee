from django.db import models

from solidarity.core.encryption import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedTextField,
    get_evidence_storage,
)


class Confidant(models.Model):
    """A defender's confidential details, with a plain field to compare against."""

    legal_name = EncryptedCharField(max_length=40, blank=True)
    notes = EncryptedTextField(blank=True)
    born = EncryptedDateField(null=True, blank=True)
    nickname = models.CharField(max_length=40, blank=True)
    attachment = models.FileField(storage=get_evidence_storage, blank=True)

    def __str__(self) -> str:
        return self.nickname
