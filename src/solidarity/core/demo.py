"""The demo case: the forced closure of a women's legal aid centre in Beijing, 2016.

Public facts, told in the project's own words. Records carry fixed codes so that
loading twice changes nothing.
"""

from datetime import date
from uuid import UUID

from django.db import transaction

from solidarity import audit
from solidarity.accounts.models import MemberOrganisation, Visibility
from solidarity.audit.models import Action
from solidarity.context.models import CivicSpaceRating, Law, LawStatus, LawType, Rating
from solidarity.context.services import add_status, save_law
from solidarity.incidents.models import Confidentiality, Incident, VictimKind
from solidarity.incidents.services import (
    ActInput,
    InvolvementInput,
    PartyRef,
    SourceInput,
    save_incident,
    set_visibility,
)
from solidarity.lib.fuzzydate import FuzzyDate
from solidarity.people.models import (
    ConsentGivenBy,
    ConsentMethod,
    LegalStatusEvent,
    Organisation,
    Person,
    Relationship,
)
from solidarity.people.services import add_consent
from solidarity.vocab.models import Term

CENTRE = UUID("6f1c7d1e-2a35-4b1e-9d59-1b2f0c0a2016")
DIRECTOR = UUID("0b7e43a4-5c61-4e8e-8a4a-3d2c9e1f2016")
COALITION = UUID("5d2b8f60-7c14-4f0b-a0c3-9e6a4b7d2016")
UNIVERSITY = UUID("c4a9e2d7-81f3-4c55-b6e0-2f7d5a9c2016")
INCIDENT = UUID("e1d5a6b2-3f48-4c7a-9b1e-0a6c8d4f2016")
MEMBER = UUID("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b2016")


def demo_member_organisation() -> MemberOrganisation:
    """The member organisation the demo login documents for."""
    member, _ = MemberOrganisation.objects.get_or_create(
        code=MEMBER, defaults={"name": "Coalition secretariat (demo)"}
    )
    return member


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.of(vocabulary).get(code=code)


def terms(vocabulary: str, *codes: str) -> list[Term]:
    return [term(vocabulary, code) for code in codes]


@transaction.atomic
def load_demo(*, user) -> Incident:
    """Create (or leave as they are) the demo records; returns the demo incident."""
    member = demo_member_organisation()
    shared = {"owner": member, "visibility": Visibility.COALITION}
    director, created_director = Person.objects.get_or_create(
        code=DIRECTOR,
        defaults={
            **shared,
            "display_name": "Guo Jianmei",
            "legal_name": "Guo Jianmei",
            "aliases": "郭建梅",
            "nationality": "CN",
            "occupation": "Lawyer",
            "sex": term("sex", "female"),
            "notes": "Director of the Centre; a public figure named in the coalition's statement.",
        },
    )
    _audit_created(user, director, created_director)
    director.roles.set(terms("defender_roles", "lawyer", "ngo_staff_leader"))
    director.areas_of_work.set(terms("areas_of_work", "womens_rights", "access_to_justice"))

    centre, created_centre = Organisation.objects.get_or_create(
        code=CENTRE,
        defaults={
            **shared,
            "name": "Beijing Zhongze Women's Legal Counseling and Service Centre",
            "other_names": "北京众泽妇女法律咨询服务中心\nZhongze",
            "org_type": term("organisation_types", "legal_aid_centre"),
            "country": "CN",
            "admin_area": "Beijing",
            "head": director,
            "notes": (
                "Set up after the 1995 UN World Conference on Women in Beijing. Worked on rural "
                "women's access to justice, domestic violence, sexual harassment at work and "
                "remedies for women victims. In 2014 it took part, with other organisations, in "
                "reports submitted ahead of the CEDAW Committee's review of China."
            ),
        },
    )
    _audit_created(user, centre, created_centre)
    centre.founded = FuzzyDate(1995, estimated=True)
    centre.save()
    centre.areas_of_work.set(
        terms(
            "areas_of_work",
            "womens_rights",
            "access_to_justice",
            "life_free_from_violence",
            "labour_rights",
        )
    )
    university, created_university = Organisation.objects.get_or_create(
        code=UNIVERSITY,
        defaults={
            **shared,
            "name": "Peking University",
            "org_type": term("organisation_types", "academic_institution"),
            "country": "CN",
            "admin_area": "Beijing",
        },
    )
    _audit_created(user, university, created_university)
    coalition, created_coalition = Organisation.objects.get_or_create(
        code=COALITION,
        defaults={
            **shared,
            "name": "Women Human Rights Defenders International Coalition",
            "other_names": "WHRDIC",
            "org_type": term("organisation_types", "network_coalition"),
        },
    )

    if not centre.legal_status_history.exists():
        history = [
            ("affiliated", FuzzyDate(1995, estimated=True), "Attached to Peking University."),
            (
                "registered",
                FuzzyDate(2010, 3),
                "The university affiliation ended; it went on under its current name.",
            ),
            (
                "forcibly_closed",
                FuzzyDate(2016, 1, 29),
                "Ordered to close by the relevant "
                "authorities; it stopped work from 1 February 2016.",
            ),
        ]
        for code, when, note in history:
            event = LegalStatusEvent(
                organisation=centre, status=term("legal_statuses", code), note=note
            )
            event.date = when
            event.save()
    if not Relationship.objects.filter(from_person=director, to_organisation=centre).exists():
        Relationship.objects.create(
            from_person=director,
            to_organisation=centre,
            type=term("relationship_types", "director_head"),
            position="Director",
        )
        affiliation = Relationship(
            from_organisation=centre,
            to_organisation=university,
            type=term("relationship_types", "affiliated_with"),
        )
        affiliation.end = FuzzyDate(2010, 3)
        affiliation.save()

    _audit_created(user, coalition, created_coalition)
    _record_public_consent(
        director,
        user=user,
        scopes=("share_within_coalition", "share_with_un_confidential", "public_statement_named"),
        note="Named as the Centre's director in the coalition's public statement of February 2016.",
    )
    _record_public_consent(
        centre,
        user=user,
        scopes=("share_within_coalition", "share_with_un_confidential", "public_statement_named"),
        note="The closure and the Centre's name were made public by the Centre and the coalition.",
    )

    laws = _policy_environment(user)
    _cedaw_review(user, centre)

    existing = Incident.objects.filter(code=INCIDENT).first()
    if existing:
        return existing
    incident = Incident(
        code=INCIDENT,
        visibility=Visibility.COALITION,
        title="Forced closure of the Zhongze women's legal aid centre",
        narrative=(
            "On 29 January 2016 the authorities ordered the Beijing Zhongze Women's Legal "
            "Counseling and Service Centre to close. Its director announced that the Centre "
            "would stop its work from 1 February 2016. The order came from unnamed 'relevant "
            "authorities'; no official reason was published. Press reports linked the closure "
            "to foreign funding (a claim in the press, not an official reason).\n\n"
            "Note for follow-up: in 2014 the Centre contributed to reports submitted before "
            "the CEDAW Committee's review of China. The coalition's statement raises the "
            "concern of reprisals for engagement with UN mechanisms."
        ),
        public_summary=(
            "On 29 January 2016 the authorities ordered a women's legal aid centre in Beijing "
            "to close. It had worked for two decades on access to justice for women, domestic "
            "violence and sexual harassment at work, and had contributed to reports before the "
            "UN CEDAW Committee's 2014 review of China."
        ),
        country="CN",
        admin_area="Beijing",
        location_type=term("location_types", "ngo_office"),
        related_laws="National Security Law (2015)\nCharity Law (draft, 2016)\n"
        "Overseas NGO Management Law (draft)",
        verification_status=term("verification_statuses", "verified_two_independent_sources"),
        confidentiality=Confidentiality.STANDARD,
    )
    incident.date = FuzzyDate(2016, 1, 29)
    save_incident(
        user=user,
        incident=incident,
        owner=member,
        context_tags=terms(
            "context_tags",
            "crisis_democracy_governance",
            "restrictive_legislation_national_security",
        ),
        acts=[
            ActInput(
                victim=PartyRef(kind=VictimKind.ORGANISATION, code=CENTRE),
                violation_type=term("violation_types", "forced_closure"),
                date=FuzzyDate(2016, 1, 29),
                sphere=term("spheres", "public"),
                gender_dimensions=terms(
                    "gender_dimensions", "targeted_for_work", "womens_rights_organisation_targeted"
                ),
                consequences="The Centre stopped its work from 1 February 2016.",
                involvements=[
                    InvolvementInput(
                        perpetrator=PartyRef(kind="unknown", name="Relevant authorities"),
                        perpetrator_type=term(
                            "perpetrator_types", "relevant_authorities_unspecified"
                        ),
                        state_relation=term("state_relations", "state"),
                        degree=term("degrees_of_involvement", "implementor_of_law_or_policy"),
                    )
                ],
            )
        ],
        sources=[
            SourceInput(
                name="WHRDIC joint statement on the closure",
                material_type=term("source_material_types", "press_release_statement"),
                reliability=term("reliability", "high"),
                date=FuzzyDate(2016, 2, 9),
                language="en",
            ),
            SourceInput(
                name="Press reports of the director's announcement",
                material_type=term("source_material_types", "news_article"),
                reliability=term("reliability", "medium"),
                date=FuzzyDate(2016, 2),
                language="en",
            ),
        ],
    )
    incident.laws.set(laws)
    set_visibility(
        user=user, record=incident, visibility=Visibility.PUBLIC, shared_read=[], shared_edit=[]
    )
    return incident


LAWS = [
    (
        "National Security Law",
        "A broad notion of national security that can be used against civil society.",
        [(LawStatus.ADOPTED, FuzzyDate(2015, 7, 1)), (LawStatus.IN_FORCE, FuzzyDate(2015, 7, 1))],
    ),
    (
        "Charity Law",
        "Rules for registering and funding charitable organisations; under review in 2015.",
        [(LawStatus.ADOPTED, FuzzyDate(2016, 3, 16)), (LawStatus.IN_FORCE, FuzzyDate(2016, 9, 1))],
    ),
    (
        "Overseas NGO Management Law",
        "Puts foreign NGOs and their partners under the supervision of public security; "
        "a draft was under review when the Centre was closed.",
        [
            (LawStatus.DRAFT_PUBLISHED, FuzzyDate(2015)),
            (LawStatus.ADOPTED, FuzzyDate(2016, 4, 28)),
            (LawStatus.IN_FORCE, FuzzyDate(2017, 1, 1)),
        ],
    ),
]


def _policy_environment(user) -> list[Law]:
    """The laws the coalition's statement names, and the civic-space rating."""
    laws = []
    for title, summary, history in LAWS:
        law = Law.objects.filter(country="CN", title=title).first()
        if law is None:
            law = save_law(
                user=user,
                law=Law(country="CN", title=title, law_type=LawType.LAW, summary=summary),
            )
            for status, when in history:
                add_status(user=user, law=law, status=status, date=when)
        laws.append(law)
    if not CivicSpaceRating.objects.filter(country="CN").exists():
        rating = CivicSpaceRating(country="CN", rating=Rating.CLOSED, source="CIVICUS Monitor")
        rating.as_of = FuzzyDate(2021)
        rating.save()
    return laws


def _cedaw_review(user, centre: Organisation) -> None:
    """China's CEDAW review of 2014, and the Centre's part in the reports submitted for it.

    The closure of January 2016 falls within five years of that engagement, so
    the platform proposes it as a possible reprisal for a documenter to judge.
    """
    from solidarity.un import services as un
    from solidarity.un.models import EngagementType, MilestoneType, ReviewCycle

    cedaw = term("un_mechanisms", "cedaw")
    cycle = ReviewCycle.objects.filter(country="CN", mechanism=cedaw).first()
    if cycle is None:
        cycle = un.add_cycle(
            user=user,
            country="CN",
            mechanism=cedaw,
            label="Combined 7th and 8th periodic reports",
        )
        un.add_milestone(
            user=user,
            cycle=cycle,
            type=MilestoneType.LIST_OF_ISSUES,
            due_date=date(2014, 3, 1),
            document_symbol="CEDAW/C/CHN/Q/7-8",
        )
        un.add_milestone(
            user=user,
            cycle=cycle,
            type=MilestoneType.SESSION,
            due_date=date(2014, 10, 23),
            actual_date=date(2014, 10, 23),
        )
        un.add_milestone(
            user=user,
            cycle=cycle,
            type=MilestoneType.CONCLUDING_OBSERVATIONS,
            due_date=date(2014, 11, 7),
            actual_date=date(2014, 11, 7),
            document_symbol="CEDAW/C/CHN/CO/7-8",
        )
    if not un.engagements_of(user=user, party=centre).exists():
        un.add_engagement(
            user=user,
            party=centre,
            engagement_type=EngagementType.SUBMITTED_REPORT,
            date=FuzzyDate(2014),
            mechanism=cedaw,
            cycle=cycle,
            notes="With other organisations, contributed to reports submitted before the "
            "review of China.",
        )


def _audit_created(user, record, created: bool) -> None:
    if created:
        audit.record(
            actor=user,
            action=Action.CREATE,
            obj=record,
            changes=audit.changed_fields({}, audit.snapshot(record)),
        )


def _record_public_consent(party, *, user, scopes: tuple[str, ...], note: str) -> None:
    if party.consents.exists():
        return
    add_consent(
        user=user,
        party=party,
        scopes=terms("consent_scopes", *scopes),
        given_by=ConsentGivenBy.REPRESENTATIVE,
        method=ConsentMethod.PUBLIC_RECORD,
        given_on=date(2016, 2, 9),
        notes=note,
    )
