"""Who cooperated with the UN, what they said and where it is filed are encrypted at rest:
written through the services, stored as ciphertext, read back, kept out of the audit
log, re-encrypted by key rotation, and encrypted by the migration when stored before."""

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from solidarity.audit.models import AuditEvent
from solidarity.core.encryption import encrypted_columns, is_encrypted
from solidarity.incidents.models import Incident
from solidarity.incidents.services import save_incident
from solidarity.lib.crypto import DecryptionError, Keyring, generate_key
from solidarity.un import communications, services
from solidarity.un.models import (
    CalendarToken,
    Communication,
    Engagement,
    Milestone,
    Recommendation,
    ReprisalLink,
    ReviewCycle,
    Submission,
)
from tests.un.conftest import days_before, mechanism

# Every free text of the UN models that is encrypted, with the synthetic value written.
VALUES = {
    (ReviewCycle, "notes"): "Synthetic Ana Example briefed the committee in private",
    (Submission, "title"): "Synthetic shadow report naming Ana Example",
    (Submission, "document_reference"): "INT/CEDAW/NGO/SYN/0001",
    (Engagement, "document_reference"): "Synthetic confidential minutes 0002",
    (Engagement, "notes"): "Synthetic Ana Example testified about the raid",
    (ReprisalLink, "note"): "Synthetic: questioned about her testimony",
    (Communication, "title"): "Synthetic communication about Ana Example",
    (Communication, "text"): "Synthetic Ana Example was detained after she spoke to the UN.",
    (Communication, "reference"): "AL SYN 9/2099",
    (Communication, "state_reply"): "Synthetic reply denying Ana Example's detention",
    (Communication, "sg_report_reference"): "A/HRC/99/SYN, annex, para. 9",
}
# What stays in clear, and why, is in solidarity/un/models.py's docstring.
IN_CLEAR = {
    (ReviewCycle, "label"),  # unique with country and mechanism, sorted; named by the UN
    (ReviewCycle, "country"),  # a State under review, sorted
    (Recommendation, "paragraph"),  # sorted; numbered in a published UN document
    (Recommendation, "text"),  # quoted from a published UN document
    (Milestone, "document_symbol"),  # the symbol of a published UN document
    (CalendarToken, "token_hash"),  # a SHA-256 looked up in SQL, never the token
}

OLD, NEW = generate_key(), generate_key()


def raw(model, field: str, pk: int) -> str:
    """The stored value, as a stolen copy of the database would show it."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def readable_by(key: str, stored: str) -> bool:
    assert stored.startswith("enc:")
    try:
        Keyring([key]).decrypt(stored.removeprefix("enc:").encode())
    except DecryptionError:
        return False
    return True


def write_everything(user, home, act, centre) -> dict:
    """One record of each UN model with free text, written through the services."""
    cycle = services.add_cycle(
        user=user,
        country="CN",
        mechanism=mechanism(),
        label="Synthetic 99th cycle",
        notes=VALUES[ReviewCycle, "notes"],
    )
    submission = services.add_submission(
        user=user,
        cycle=cycle,
        organisation=home,
        title=VALUES[Submission, "title"],
        date=date(2020, 1, 10),
        document_reference=VALUES[Submission, "document_reference"],
    )
    engagement = services.add_engagement(
        user=user,
        party=centre,
        engagement_type="gave_testimony",
        date=days_before(30),
        mechanism=mechanism(),
        cycle=cycle,
        document_reference=VALUES[Engagement, "document_reference"],
        notes=VALUES[Engagement, "notes"],
    )
    link = services.decide_reprisal(
        user=user,
        act_id=act.pk,
        engagement=engagement.code,
        status="alleged",
        note=VALUES[ReprisalLink, "note"],
    )
    about = Incident(title="Synthetic incident without victims", country="CN")
    save_incident(user=user, incident=about, context_tags=[], acts=[], sources=[])
    communication = communications.draft_sp_communication(user=user, incident=about, mandates=[])
    communications.update_communication(
        user=user,
        communication=communication,
        **{field: value for (model, field), value in VALUES.items() if model is Communication},
    )
    return {
        ReviewCycle: cycle,
        Submission: submission,
        Engagement: engagement,
        ReprisalLink: link,
        Communication: communication,
    }


@pytest.fixture
def records(documenter, home, act, centre) -> dict:
    return write_everything(documenter, home, act, centre)


def test_every_free_text_of_the_un_models_is_encrypted_but_un_reference_data_and_a_hash():
    encrypted = {
        (column.model, column.field.name)
        for column in encrypted_columns()
        if column.model._meta.app_label == "un"
    }
    assert encrypted == set(VALUES)
    texts = {
        (model, field.name)
        for model in apps.get_app_config("un").get_models()
        for field in model._meta.concrete_fields
        if field.get_internal_type() in ("CharField", "TextField")
        and not field.choices
        and not is_encrypted(field)
    }
    assert texts == IN_CLEAR


def test_what_the_services_write_is_stored_as_ciphertext_and_reads_back_the_same(records):
    for (model, field), value in VALUES.items():
        pk = records[model].pk
        stored = raw(model, field, pk)
        assert stored.startswith("enc:"), f"{model.__name__}.{field} is stored in clear"
        assert value not in stored
        assert getattr(model.objects.get(pk=pk), field) == value


def test_an_empty_reference_or_note_stays_visibly_empty(documenter, centre):
    engagement = services.add_engagement(
        user=documenter,
        party=centre,
        engagement_type="other",
        date=days_before(10),
        mechanism=mechanism(),
    )
    assert raw(Engagement, "notes", engagement.pk) == ""
    assert raw(Engagement, "document_reference", engagement.pk) == ""


@pytest.mark.parametrize(("model", "field"), list(VALUES), ids=lambda v: getattr(v, "__name__", v))
def test_searching_an_encrypted_un_field_is_refused(model, field):
    with pytest.raises(FieldError, match="is encrypted"):
        list(model.objects.filter(**{f"{field}__icontains": "Ana"}))


def test_no_un_model_is_sorted_by_an_encrypted_field():
    for model in apps.get_app_config("un").get_models():
        for name in model._meta.ordering:
            field = model._meta.get_field(name.lstrip("-").split("__")[0])
            assert not is_encrypted(field), f"{model.__name__} is ordered by {name}"


def test_the_pages_show_the_decrypted_values(client, documenter, records, centre, act):
    client.force_login(documenter)
    pages = {
        reverse("un:organisation-engagements", args=[centre.code]): [
            VALUES[Engagement, "document_reference"]
        ],
        reverse("un:cycle", args=[records[ReviewCycle].code]): [
            VALUES[ReviewCycle, "notes"],
            VALUES[Submission, "title"],
            VALUES[Submission, "document_reference"],
        ],
        reverse("un:incident-reprisals", args=[act.incident.code]): [VALUES[ReprisalLink, "note"]],
        reverse("un:communications"): [
            VALUES[Communication, "title"],
            VALUES[Communication, "reference"],
        ],
        records[Communication].get_absolute_url(): [
            VALUES[Communication, "text"],
            VALUES[Communication, "state_reply"],
            VALUES[Communication, "sg_report_reference"],
        ],
    }
    for url, shown in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for value in shown:
            assert value.replace("'", "&#x27;") in page, (url, value)


def test_the_communication_form_saves_encrypted_values(client, documenter, records):
    communication = records[Communication]
    client.force_login(documenter)
    response = client.post(
        communication.get_absolute_url(),
        {
            "text": "Synthetic text revised in the form",
            "reference": "UA SYN 1/2099",
            "sent_on": "2099-01-02",
            "state_reply_on": "",
            "state_reply": "",
            "sg_report_reference": "",
        },
    )
    assert response.status_code == 302
    assert raw(Communication, "reference", communication.pk).startswith("enc:")
    communication.refresh_from_db()
    assert (communication.text, communication.reference) == (
        "Synthetic text revised in the form",
        "UA SYN 1/2099",
    )
    assert raw(Communication, "state_reply", communication.pk) == ""


def test_the_audit_log_records_only_that_an_encrypted_un_field_changed(records, documenter):
    communication = records[Communication]
    update = AuditEvent.objects.filter(object_code=str(communication.code), action="update").get()
    changed = {change["field"]: change for change in update.changes}
    for field in ("title", "text", "reference", "state_reply", "sg_report_reference"):
        assert changed[field] == {"field": field, "sensitive": True}
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent")
        stored = repr(cursor.fetchall())
    for value in VALUES.values():
        assert value not in stored


def test_keys_rotate_re_encrypts_the_un_fields_under_the_new_key(
    settings, documenter, home, act, centre
):
    settings.SOLIDARITY_ENCRYPTION_KEYS = OLD
    records = write_everything(documenter, home, act, centre)
    settings.SOLIDARITY_ENCRYPTION_KEYS = f"{NEW},{OLD}"
    status = StringIO()
    call_command("keys", "status", stdout=status)
    for model, field in VALUES:
        assert f"un.{model.__name__}.{field}: 1 on an older key" in status.getvalue()
    call_command("keys", "rotate", stdout=StringIO())
    settings.SOLIDARITY_ENCRYPTION_KEYS = NEW
    for (model, field), value in VALUES.items():
        pk = records[model].pk
        assert readable_by(NEW, raw(model, field, pk)), f"{model.__name__}.{field}"
        assert getattr(model.objects.get(pk=pk), field) == value


def test_keys_rotate_encrypts_a_un_value_written_in_clear(settings, records):
    engagement = records[Engagement]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE un_engagement SET notes = %s WHERE id = %s",
            ["Synthetic notes from before encryption", engagement.pk],
        )
    status = StringIO()
    call_command("keys", "status", stdout=status)
    assert "un.Engagement.notes: 0 on an older key, 1 plaintext" in status.getvalue()
    call_command("keys", "rotate", stdout=StringIO())
    assert raw(Engagement, "notes", engagement.pk).startswith("enc:")
    assert (
        Engagement.objects.get(pk=engagement.pk).notes == "Synthetic notes from before encryption"
    )


# The migration

BEFORE = [("un", "0002_communication")]
AFTER = [("un", "0003_un_free_texts_encrypted")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def write_in_clear_before_the_migration(home, centre, act, user) -> dict:
    """One record of each model as the code before the migration stored it (in clear)."""
    state = migrate(BEFORE).loader.project_state(BEFORE).apps
    cycle = state.get_model("un", "ReviewCycle").objects.create(
        country="CN",
        mechanism_id=mechanism().pk,
        label="Synthetic 98th cycle",
        notes=VALUES[ReviewCycle, "notes"],
    )
    submission = state.get_model("un", "Submission").objects.create(
        cycle_id=cycle.pk,
        owner_id=home.pk,
        title=VALUES[Submission, "title"],
        date=date(2020, 1, 10),
        document_reference=VALUES[Submission, "document_reference"],
    )
    engagement = state.get_model("un", "Engagement").objects.create(
        party_kind="organisation",
        organisation_id=centre.pk,
        engagement_type="gave_testimony",
        mechanism_id=mechanism().pk,
        date_from=date(2020, 5, 1),
        date_to=date(2020, 5, 1),
        date_precision="day",
        document_reference=VALUES[Engagement, "document_reference"],
        notes=VALUES[Engagement, "notes"],
    )
    link = state.get_model("un", "ReprisalLink").objects.create(
        act_id=act.pk,
        engagement_id=engagement.pk,
        status="alleged",
        note=VALUES[ReprisalLink, "note"],
    )
    communication = state.get_model("un", "Communication").objects.create(
        kind="sp_communication",
        owner_id=home.pk,
        created_by_id=user.pk,
        **{field: value for (model, field), value in VALUES.items() if model is Communication},
    )
    return {
        ReviewCycle: cycle.pk,
        Submission: submission.pk,
        Engagement: engagement.pk,
        ReprisalLink: link.pk,
        Communication: communication.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_a_value_stored_in_clear_before_the_migration_is_encrypted_by_it_and_reads_back_the_same(
    home, centre, act, documenter
):
    try:
        pks = write_in_clear_before_the_migration(home, centre, act, documenter)
        for (model, field), value in VALUES.items():
            assert raw(model, field, pks[model]) == value  # in clear, as before
        migrate(AFTER)
        for (model, field), value in VALUES.items():
            stored = raw(model, field, pks[model])
            assert stored.startswith("enc:") and value not in stored, f"{model.__name__}.{field}"
            assert getattr(model.objects.get(pk=pks[model]), field) == value
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_going_back_before_the_migration_decrypts_the_values_in_place(
    home, centre, act, documenter
):
    try:
        pks = write_in_clear_before_the_migration(home, centre, act, documenter)
        migrate(AFTER)
        migrate(BEFORE)
        for (model, field), value in VALUES.items():
            assert raw(model, field, pks[model]) == value, f"{model.__name__}.{field}"
        migrate(AFTER)
        for (model, field), value in VALUES.items():
            assert getattr(model.objects.get(pk=pks[model]), field) == value
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
