"""From the demo case to a co-signed, published joint statement."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from solidarity.accounts.models import MemberOrganisation, Membership, Role
from solidarity.core import demo
from solidarity.incidents.models import Act
from solidarity.people.models import Person
from solidarity.responses import services
from solidarity.responses.models import InvitationStatus, Notification, Status
from tests.factories import term


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def pdf_fonts(content: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def test_the_draft_tells_what_happened_to_whom_when_and_where_with_the_context(statement):
    text = statement.latest("en").text
    assert "On 29 January 2016" in text
    assert "Beijing Zhongze Women's Legal Counseling and Service Centre" in text  # consented
    assert "forced closure" in text and "Beijing, China" in text
    assert "National Security Law (2015)" in text
    assert "Halt the harassment of women human rights defenders" in text
    assert "UN mechanisms" in text


def test_a_chinese_draft_is_written_in_chinese(statement, demo_coordinator):
    version = services.add_language(user=demo_coordinator, response=statement, language="zh-hans")
    assert "2016年1月29日" in version.text
    assert "强制关闭" in version.text or "被迫关闭" in version.text
    assert "On 29 January" not in version.text


def test_a_person_without_consent_is_unnamed_in_the_draft(demo_case, demo_coordinator, home):
    act = demo_case.acts.get()
    hidden = Person.objects.create(display_name="Synthetic Staff Member", owner=act.incident.owner)
    Act.objects.create(
        incident=demo_case,
        victim_kind="person",
        victim_person=hidden,
        violation_type=term("violation_types", "summons_interrogation"),
    )
    response = services.draft_from_incident(
        user=demo_coordinator,
        incident=demo_case,
        language="en",
        response_type=term("response_types", "joint_statement"),
        requests=[],
        title="Synthetic",
    )
    text = response.latest("en").text
    assert "Synthetic Staff Member" not in text and "an unnamed defender" in text


def test_every_save_is_a_version_and_two_versions_can_be_compared(statement, demo_coordinator):
    first = statement.latest("en")
    second = services.save_version(
        user=demo_coordinator,
        response=statement,
        language="en",
        text=first.text + "\nThe policy environment deserves a mention.\n",
    )
    assert (first.number, second.number) == (1, 2)
    table = services.diff_versions(older=first, newer=second)
    assert "policy&nbsp;environment&nbsp;deserves&nbsp;a&nbsp;mention." in table
    assert 'class="diff_add"' in table
    same = services.save_version(
        user=demo_coordinator, response=statement, language="en", text=second.text
    )
    assert same.number == 2  # an unchanged text is not a new version


def test_comments_are_anchored_resolved_reopened_and_mentions_notify(
    statement, demo_coordinator, partner_coordinator, partner_org
):
    services.invite(
        user=demo_coordinator,
        response=statement,
        organisations=[partner_org],
        deadline=timezone.now() + timedelta(days=3),
    )
    version = statement.latest("en")
    comment = services.add_comment(
        user=partner_coordinator,
        version=version,
        paragraph=1,
        body="@demo-coordinator the policy environment should be mentioned",
    )
    assert comment.paragraph == 1
    notes = Notification.objects.filter(user=demo_coordinator)
    assert notes.filter(text__contains="mentioned you").exists()
    services.set_comment_resolved(user=demo_coordinator, code=comment.code, resolved=True)
    comment.refresh_from_db()
    assert comment.resolved_at is not None
    services.set_comment_resolved(user=demo_coordinator, code=comment.code, resolved=False)
    comment.refresh_from_db()
    assert comment.resolved_at is None
    with pytest.raises(ValidationError):
        services.add_comment(user=partner_coordinator, version=version, paragraph=99, body="x")


def test_sign_on_records_the_version_signed_and_a_change_asks_to_reconfirm(
    statement, demo_coordinator, partner_coordinator, partner_org
):
    [invitation] = services.invite(
        user=demo_coordinator,
        response=statement,
        organisations=[partner_org],
        deadline=timezone.now() + timedelta(days=3),
    )
    assert Notification.objects.filter(user=partner_coordinator, text__contains="invited").exists()
    services.answer_invitation(user=partner_coordinator, code=invitation.code, answer="signed")
    invitation.refresh_from_db()
    assert invitation.signed_versions == {"en": 1}
    assert partner_org in services.signatories(statement)
    services.save_version(
        user=demo_coordinator, response=statement, language="en", text="A revised text.\n"
    )
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.RECONFIRM
    assert partner_org not in services.signatories(statement)
    assert Notification.objects.filter(
        user=partner_coordinator, text__contains="reconfirm"
    ).exists()
    services.answer_invitation(user=partner_coordinator, code=invitation.code, answer="signed")
    invitation.refresh_from_db()
    assert invitation.signed_versions == {"en": 2}
    services.answer_invitation(user=partner_coordinator, code=invitation.code, answer="withdrawn")
    assert partner_org not in services.signatories(statement)


def test_only_a_coordinator_of_the_invited_organisation_answers(
    statement, demo_coordinator, partner, partner_org
):
    [invitation] = services.invite(
        user=demo_coordinator,
        response=statement,
        organisations=[partner_org],
        deadline=timezone.now() + timedelta(days=3),
    )
    with pytest.raises(PermissionDenied):
        services.answer_invitation(user=partner, code=invitation.code, answer="signed")


def test_signing_after_the_deadline_is_refused(
    statement, demo_coordinator, partner_coordinator, partner_org
):
    [invitation] = services.invite(
        user=demo_coordinator,
        response=statement,
        organisations=[partner_org],
        deadline=timezone.now() + timedelta(days=3),
    )
    invitation.deadline = timezone.now() - timedelta(minutes=1)
    invitation.save()
    with pytest.raises(ValidationError, match="deadline"):
        services.answer_invitation(user=partner_coordinator, code=invitation.code, answer="signed")


def test_publishing_needs_approval_and_blocks_a_name_consent_does_not_allow(
    statement, demo_coordinator, demo_case
):
    with pytest.raises(ValidationError, match="Approve"):
        services.publish(user=demo_coordinator, response=statement)
    hidden = Person.objects.create(
        display_name="Synthetic Unconsenting Lawyer", owner=demo_case.owner
    )
    Act.objects.create(
        incident=demo_case,
        victim_kind="person",
        victim_person=hidden,
        violation_type=term("violation_types", "threat"),
    )
    services.save_version(
        user=demo_coordinator,
        response=statement,
        language="en",
        text=statement.latest("en").text + "\nSynthetic Unconsenting Lawyer was threatened.\n",
    )
    services.approve(user=demo_coordinator, response=statement)
    with pytest.raises(ValidationError) as error:
        services.publish(user=demo_coordinator, response=statement)
    assert "Synthetic Unconsenting Lawyer" in str(error.value)
    statement.refresh_from_db()
    assert statement.status == Status.APPROVED and statement.published_at is None


def publish_both_languages(statement, demo_coordinator, partner_coordinator, partner_org):
    services.add_language(user=demo_coordinator, response=statement, language="zh-hans")
    [invitation] = services.invite(
        user=demo_coordinator,
        response=statement,
        organisations=[partner_org],
        deadline=timezone.now() + timedelta(days=3),
    )
    services.answer_invitation(user=partner_coordinator, code=invitation.code, answer="signed")
    services.approve(user=demo_coordinator, response=statement)
    services.publish(user=demo_coordinator, response=statement)


def test_a_published_statement_has_public_pages_pdfs_and_a_feed(
    client, statement, demo_coordinator, partner_coordinator, partner_org
):
    publish_both_languages(statement, demo_coordinator, partner_coordinator, partner_org)
    page = client.get(reverse("public:statement", args=[statement.code, "en"]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Synthetic Partner Organisation" in content and "Coalition secretariat (demo)" in content
    assert reverse("public:statement", args=[statement.code, "zh-hans"]) in content
    pdf = client.get(reverse("public:statement-pdf", args=[statement.code, "en"]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Synthetic Partner Organisation" in text and "29 January 2016" in text
    chinese = client.get(reverse("public:statement-pdf", args=[statement.code, "zh-hans"]))
    assert "2016年1月29日" in pdf_text(chinese.content)
    assert any("CJK-SC" in font or "CJKsc" in font for font in pdf_fonts(chinese.content))
    assert not any("JP" in font for font in pdf_fonts(chinese.content))
    feed = client.get(reverse("public:statement-feed")).content.decode()
    assert (
        "<feed" in feed
        and statement.title.replace("'", "&#x27;") in feed
        or statement.title in feed
    )


def test_a_correction_is_visible_and_the_text_is_never_changed_silently(
    client, statement, demo_coordinator, partner_coordinator, partner_org
):
    publish_both_languages(statement, demo_coordinator, partner_coordinator, partner_org)
    with pytest.raises(ValidationError, match="correction"):
        services.save_version(user=demo_coordinator, response=statement, language="en", text="x")
    services.add_publication_note(
        user=demo_coordinator,
        response=statement,
        kind="correction",
        text="The date of the order was corrected.",
    )
    content = client.get(reverse("public:statement", args=[statement.code, "en"])).content.decode()
    assert "The date of the order was corrected." in content
    services.add_publication_note(
        user=demo_coordinator,
        response=statement,
        kind="withdrawal",
        text="Withdrawn at the request of a signatory.",
    )
    statement.refresh_from_db()
    assert statement.status == Status.WITHDRAWN
    content = client.get(reverse("public:statement", args=[statement.code, "en"])).content.decode()
    assert "Withdrawn at the request of a signatory." in content


def test_the_pages_of_the_workflow_answer(
    client, statement, demo_coordinator, partner_coordinator, partner_org
):
    client.force_login(demo_coordinator)
    assert client.get(reverse("responses:list")).status_code == 200
    assert client.get(statement.get_absolute_url()).status_code == 200
    assert client.get(reverse("responses:edit", args=[statement.code])).status_code == 200
    response = client.post(
        reverse("responses:edit", args=[statement.code]) + "?lang=en", {"text": "New text.\n"}
    )
    assert response.status_code == 302
    diff = client.get(reverse("responses:diff", args=[statement.code]) + "?lang=en&a=1&b=2")
    assert b"New&nbsp;text." in diff.content
    draft = client.get(reverse("responses:draft", args=[demo.INCIDENT]))
    assert draft.status_code == 200
    invite = client.post(
        reverse("responses:invite", args=[statement.code]),
        {
            "organisations": [partner_org.pk],
            "deadline": (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert invite.status_code == 302
    client.force_login(partner_coordinator)
    page = client.get(statement.get_absolute_url()).content.decode()
    assert 'value="signed"' in page


def test_an_outsider_cannot_see_a_draft(client, statement, outsider):
    client.force_login(outsider)
    assert client.get(statement.get_absolute_url()).status_code == 404
    assert MemberOrganisation.objects.count() >= 1 and Membership.objects.exists()


def test_the_details_are_edited_and_audited(client, statement, demo_coordinator):
    from solidarity.audit.models import AuditEvent

    client.force_login(demo_coordinator)
    response = client.post(
        reverse("responses:details", args=[statement.code]),
        {
            "title": statement.title,
            "response_type": term("response_types", "urgent_appeal").pk,
            "targets": "Synthetic ministry\nSynthetic UN mandate",
            "requests": "Reopen the centre",
            "priority": "urgent",
            "response_received": "",
            "impact": "",
        },
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.priority == "urgent" and statement.target_list == [
        "Synthetic ministry",
        "Synthetic UN mandate",
    ]
    event = AuditEvent.objects.filter(object_code=str(statement.code)).latest("seq")
    assert {"field": "priority", "old": "medium", "new": "urgent"} in event.changes


def test_a_mention_is_emailed_when_the_user_has_an_address(
    statement, demo_coordinator, documenter, mailoutbox
):
    demo_coordinator.email = "coordinator@example.org"
    demo_coordinator.save()
    Membership.objects.create(user=documenter, organisation=statement.owner, role=Role.DOCUMENTER)
    services.add_comment(
        user=documenter,
        version=statement.latest("en"),
        paragraph=0,
        body="@demo-coordinator please look",
    )
    assert [m.to for m in mailoutbox] == [["coordinator@example.org"]]
    # The email says where to look, never what: no title, no name leaves the platform.
    assert statement.title not in mailoutbox[0].subject + mailoutbox[0].body
    assert statement.get_absolute_url() in mailoutbox[0].body


def test_a_refused_signature_returns_to_the_statement_with_the_reason(
    client, statement, demo_coordinator, partner_coordinator, partner_org
):
    [invitation] = services.invite(
        user=demo_coordinator,
        response=statement,
        organisations=[partner_org],
        deadline=timezone.now() + timedelta(days=3),
    )
    invitation.deadline = timezone.now() - timedelta(minutes=1)
    invitation.save()
    client.force_login(partner_coordinator)
    response = client.post(
        reverse("responses:answer", args=[invitation.code]),
        {"answer": "signed", "next": "https://elsewhere.example/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == statement.get_absolute_url()
    assert b"The deadline for signing has passed." in response.content


def test_a_statement_whose_title_becomes_unsafe_disappears_from_every_public_place(
    client, statement, demo_coordinator, partner_coordinator, partner_org, demo_case
):
    publish_both_languages(statement, demo_coordinator, partner_coordinator, partner_org)
    director = Person.objects.get(code=demo.DIRECTOR)
    statement.title = "Statement about Guo Jianmei's centre"
    statement.save()
    assert "Guo Jianmei" in client.get(reverse("public:list")).content.decode()
    from solidarity.people.services import revoke_consent

    revoke_consent(user=demo_coordinator, code=director.consents.get().code)
    for url in (
        reverse("public:list"),
        reverse("public:statement-feed"),
        reverse("public:statement", args=[statement.code, "en"]),
    ):
        assert "Guo Jianmei" not in client.get(url).content.decode(), url


def test_a_published_statement_keeps_its_drafting_history_away_from_the_coalition(
    client, statement, demo_coordinator, partner_coordinator, partner_org, outsider
):
    publish_both_languages(statement, demo_coordinator, partner_coordinator, partner_org)
    client.force_login(outsider)
    assert client.get(statement.get_absolute_url()).status_code == 404
    diff = reverse("responses:diff", args=[statement.code]) + "?lang=en&a=1&b=1"
    assert client.get(diff).status_code == 404


def test_a_published_statement_cannot_be_reapproved_changed_or_resigned(
    statement, demo_coordinator, partner_coordinator, partner_org
):
    publish_both_languages(statement, demo_coordinator, partner_coordinator, partner_org)
    with pytest.raises(ValidationError):
        services.approve(user=demo_coordinator, response=statement)
    with pytest.raises(ValidationError):
        services.update_details(user=demo_coordinator, response=statement, title="Another title")
    invitation = statement.invitations.get()
    with pytest.raises(ValidationError):
        services.answer_invitation(
            user=partner_coordinator, code=invitation.code, answer="withdrawn"
        )
    services.add_publication_note(
        user=demo_coordinator, response=statement, kind="withdrawal", text="Withdrawn."
    )
    with pytest.raises(ValidationError):
        services.save_version(user=demo_coordinator, response=statement, language="en", text="x")


def test_a_note_that_names_someone_whose_consent_is_revoked_withdraws_the_page(
    client, statement, demo_coordinator, partner_coordinator, partner_org
):
    from solidarity.people.services import revoke_consent

    publish_both_languages(statement, demo_coordinator, partner_coordinator, partner_org)
    services.add_publication_note(
        user=demo_coordinator,
        response=statement,
        kind="correction",
        text="Guo Jianmei asked us to correct a date.",
    )
    url = reverse("public:statement", args=[statement.code, "en"])
    assert client.get(url).status_code == 200
    director = Person.objects.get(code=demo.DIRECTOR)
    revoke_consent(user=demo_coordinator, code=director.consents.get().code)
    assert client.get(url).status_code == 404


def test_a_response_page_lists_only_the_incidents_the_viewer_may_see(
    client, documenter, coordinator, outsider_org, outsider
):
    from tests.factories import make_incident

    incident = make_incident(documenter, "Synthetic home-only incident title")
    response = services.draft_from_incident(
        user=coordinator,
        incident=incident,
        language="en",
        response_type=term("response_types", "joint_statement"),
        requests=[],
        title="Synthetic",
    )
    services.invite(
        user=coordinator,
        response=response,
        organisations=[outsider_org],
        deadline=timezone.now() + timedelta(days=2),
    )
    client.force_login(outsider)
    content = client.get(response.get_absolute_url()).content.decode()
    assert "Synthetic home-only incident title" not in content
