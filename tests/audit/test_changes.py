"""What changed is recorded by field name, and never with the value of a sensitive field."""

import json
from datetime import date

from django.db import models
from django.test.utils import isolate_apps

from solidarity.audit.models import Action
from solidarity.audit.services import Sensitive, changed_fields, record, snapshot


def test_changed_fields_lists_the_differences_sorted_by_name():
    before = {"title": "Old title", "country": "CN", "notes": "", "count": "3"}
    after = {"title": "New title", "country": "CN", "notes": None, "count": "4"}

    assert changed_fields(before, after) == [
        {"field": "count", "old": "3", "new": "4"},
        {"field": "title", "old": "Old title", "new": "New title"},
    ]


def test_a_creation_lists_every_field_that_has_a_value():
    assert changed_fields({}, {"title": "A title", "notes": "", "country": None}) == [
        {"field": "title", "old": None, "new": "A title"}
    ]


def test_a_field_named_sensitive_is_recorded_without_its_values():
    before = {"narrative": "She was detained at the border.", "country": "CN"}
    after = {"narrative": "She was detained at the airport.", "country": "HK"}

    changes = changed_fields(before, after, sensitive={"narrative"})

    assert changes == [
        {"field": "country", "old": "CN", "new": "HK"},
        {"field": "narrative", "sensitive": True},
    ]
    assert "detained" not in json.dumps(changes)


def test_an_unchanged_sensitive_field_is_not_listed():
    value = {"narrative": "She was detained."}
    assert changed_fields(value, dict(value), sensitive={"narrative"}) == []


class EncryptedTextField(models.TextField):
    """Stands in for the project's encrypted field type: only its class name matters."""


class NameField(EncryptedTextField):
    """A field derived from an encrypted one is encrypted too."""


@isolate_apps("solidarity.audit")
def test_encrypted_fields_and_free_text_are_sensitive_without_being_named():
    class Testimony(models.Model):
        code = models.UUIDField(null=True)
        kind = models.CharField(max_length=10, choices=[("oral", "oral"), ("written", "written")])
        pages = models.IntegerField(null=True)
        given_on = models.DateField(null=True)
        place = models.CharField(max_length=100)
        statement = EncryptedTextField()
        witness = NameField()
        updated_at = models.DateTimeField(auto_now=True)

        class Meta:
            app_label = "audit"

        def __str__(self) -> str:
            return self.kind

    before = snapshot(
        Testimony(
            kind="oral",
            pages=2,
            given_on=date(2016, 1, 29),
            place="Guangzhou",
            statement="I saw them.",
            witness="Li",
        )
    )
    after = snapshot(
        Testimony(
            kind="written",
            pages=3,
            given_on=date(2016, 1, 30),
            place="Beijing",
            statement="I saw four.",
            witness="Wang",
        )
    )

    assert isinstance(before["statement"], Sensitive)
    assert "I saw" not in repr(before) and "Guangzhou" not in repr(before)
    assert "updated_at" not in before
    assert changed_fields(before, after) == [
        {"field": "given_on", "old": "2016-01-29", "new": "2016-01-30"},
        {"field": "kind", "old": "oral", "new": "written"},
        {"field": "pages", "old": "2", "new": "3"},
        {"field": "place", "sensitive": True},
        {"field": "statement", "sensitive": True},
        {"field": "witness", "sensitive": True},
    ]


def test_a_snapshot_gives_foreign_keys_as_ids_and_leaves_out_many_to_many(documenter):
    from solidarity.incidents.models import Incident

    incident = Incident(title="Synthetic incident", country="CN", created_by=documenter)
    values = snapshot(incident)

    assert values["created_by"] == str(documenter.pk)
    assert values["confidentiality"] == "standard"
    assert values["title"] == Sensitive("Synthetic incident")
    assert "context_tags" not in values
    assert set(snapshot(incident, fields=["title", "country"])) == {"title", "country"}


def test_a_recorded_update_keeps_the_changes_as_given(documenter, person):
    changes = changed_fields(
        {"notes": "private", "occupation": ""},
        {"notes": "more private", "occupation": "lawyer"},
        sensitive={"notes"},
    )
    event = record(actor=documenter, action=Action.UPDATE, obj=person, changes=changes)
    event.refresh_from_db()

    assert event.changes == [
        {"field": "notes", "sensitive": True},
        {"field": "occupation", "old": None, "new": "lawyer"},
    ]
    assert event.changed_field_names == ["notes", "occupation"]
    assert "private" not in json.dumps(event.changes)
