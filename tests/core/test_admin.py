from django.urls import reverse

from solidarity.accounts.models import Membership, Role
from solidarity.core import demo
from solidarity.people.models import Organisation
from solidarity.vocab.models import Term


def test_the_admin_lists_vocabularies_terms_and_reference_data(client, administrator, demo_case):
    Membership.objects.create(
        user=administrator, organisation=demo.demo_member_organisation(), role=Role.COORDINATOR
    )
    client.force_login(administrator)
    for name in (
        "vocab_vocabulary",
        "vocab_term",
        "people_person",
        "people_organisation",
        "people_relationship",
        "accounts_memberorganisation",
        "accounts_user",
    ):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    centre = Organisation.objects.get(code=demo.CENTRE)
    page = client.get(reverse("admin:people_organisation_change", args=[centre.pk]))
    assert page.status_code == 200
    assert b'value="2016-01-29"' in page.content  # the legal-status history's dates


def test_the_admin_shows_an_administrator_only_the_records_she_may_see(
    client, administrator, demo_case
):
    client.force_login(administrator)
    page = client.get(reverse("admin:people_organisation_changelist"))
    assert b"Zhongze" not in page.content
    centre = Organisation.objects.get(code=demo.CENTRE)
    response = client.get(reverse("admin:people_organisation_change", args=[centre.pk]))
    assert response.status_code == 302  # "does not exist", back to the list


def test_terms_cannot_be_deleted_in_the_admin(client, administrator):
    client.force_login(administrator)
    term = Term.objects.first()
    response = client.post(reverse("admin:vocab_term_delete", args=[term.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Term.objects.filter(pk=term.pk).exists()


def test_the_admin_requires_a_staff_login(client, documenter):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    client.force_login(documenter)
    assert client.get(reverse("admin:index")).status_code == 302


def test_an_admin_edit_is_audited_and_limited_by_the_access_seam(client, administrator, demo_case):
    from solidarity.audit.models import AuditEvent
    from solidarity.people.models import Person

    membership = Membership.objects.create(
        user=administrator, organisation=demo.demo_member_organisation(), role=Role.READER
    )
    client.force_login(administrator)
    director = Person.objects.get(code=demo.DIRECTOR)
    url = reverse("admin:people_person_change", args=[director.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="display_name"' not in page.content  # read-only for a reader
    membership.role = Role.COORDINATOR
    membership.save()
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        display_name=director.display_name,
        owner=director.owner_id,
        visibility=director.visibility,
        health="synthetic health note",
        roles=[t.pk for t in director.roles.all()],
        areas_of_work=[t.pk for t in director.areas_of_work.all()],
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    director.refresh_from_db()
    assert director.health == "synthetic health note"
    event = AuditEvent.objects.filter(object_code=str(director.code)).latest("seq")
    assert event.action == "update"
    assert {"field": "health", "sensitive": True} in event.changes
    assert "synthetic health note" not in str(event.changes)


def test_membership_changes_in_the_admin_are_audited_and_names_stay_out_of_the_admin_log(
    client, administrator, home, documenter
):
    from django.contrib.admin.models import LogEntry

    from solidarity.audit.models import AuditEvent

    client.force_login(administrator)
    url = reverse("admin:accounts_memberorganisation_change", args=[home.pk])
    form = client.get(url).context["adminform"].form
    inline = client.get(url).context["inline_admin_formsets"][0].formset
    data = {"name": home.name}
    data.update(
        {
            f"{inline.prefix}-{k}": v
            for k, v in {
                "TOTAL_FORMS": "2",
                "INITIAL_FORMS": "1",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            }.items()
        }
    )
    existing = inline.forms[0]
    data[f"{inline.prefix}-0-id"] = existing.instance.pk
    data[f"{inline.prefix}-0-organisation"] = home.pk
    data[f"{inline.prefix}-0-user"] = existing.instance.user_id
    data[f"{inline.prefix}-0-role"] = existing.instance.role
    data[f"{inline.prefix}-1-organisation"] = home.pk
    data[f"{inline.prefix}-1-user"] = administrator.pk
    data[f"{inline.prefix}-1-role"] = "coordinator"
    assert form is not None
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.filter(object_code=str(home.code)).latest("seq")
    assert any("coordinator" in str(change.get("new")) for change in event.changes)
    assert not LogEntry.objects.filter(object_repr__icontains="Synthetic Defender").exists()
