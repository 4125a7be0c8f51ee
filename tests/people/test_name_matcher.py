"""The one name matcher of the disclosure seam: a name is found in a text however it
is marked up, wrapped or disguised, as long as a reader would still see it.

The consent check once compared the raw Markdown as a plain substring, so a name
written ``First **Middle** Last``, wrapped over two lines, joined by ``&nbsp;`` or
split by a soft hyphen passed it and the public page then showed the name.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solidarity.lib.markup import markdown_to_html, visible_text
from solidarity.lib.names import fold, mentions
from solidarity.people.disclosure import Audience, names_not_allowed
from solidarity.people.models import Person

CANARY = "Zelda Quillon Testcanary"
CHINESE_CANARY = "郭测试梅"

INVISIBLE = ["\u00ad", "&shy;", "\u200b", "&#8203;", "\u200c", "\u200d", "\u2060", "\ufeff"]
SEPARATORS = [" ", "\n", "  \n", "&nbsp;", "\u00a0", "\u2003", " \n ", "&#32;", "\t", "\u3000"]
WRAPPERS = [
    "{}",
    "**{}**",
    "*{}*",
    "_{}_",
    "__{}__",
    "<strong>{}</strong>",
    "<b>{}</b>",
    "<em>{}</em>",
    "<span>{}</span>",
    "[{}](https://example.org/)",
]


def fullwidth(char: str) -> str:
    return chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char


@st.composite
def disguised_word(draw, word: str) -> str:
    letters = [c.swapcase() if draw(st.booleans()) else c for c in word]
    if draw(st.booleans()):
        letters = [fullwidth(c) for c in letters]
    if draw(st.booleans()) and len(letters) > 1:
        at = draw(st.integers(min_value=1, max_value=len(letters) - 1))
        letters.insert(at, draw(st.sampled_from(INVISIBLE)))
    return draw(st.sampled_from(WRAPPERS)).format("".join(letters))


@st.composite
def disguised_name(draw, name: str = CANARY) -> str:
    words = [draw(disguised_word(word)) for word in name.split()]
    text = words[0]
    for word in words[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + word
    return text


@st.composite
def statement_naming(draw, name: str = CANARY) -> str:
    before = draw(st.sampled_from(["", "We are alarmed that ", "# Statement\n\nThe lawyer "]))
    after = draw(st.sampled_from(["", " was detained.", ",\nwho had reported to CEDAW, was"]))
    return before + draw(disguised_name(name)) + after


def shown(markdown: str) -> str:
    """What a reader sees of a rendered text, spaces and invisible characters aside."""
    return fold(visible_text(markdown))


@given(text=statement_naming())
@settings(max_examples=300, deadline=None)
def test_a_name_is_found_however_it_is_marked_up_wrapped_or_disguised(text):
    assert fold(CANARY) in shown(text), "the generator made a text that does not show the name"
    assert mentions(text, CANARY)


@pytest.mark.parametrize(
    "text",
    [
        "Zelda **Quillon** Testcanary",
        "Zelda Quillon\nTestcanary",
        "Zelda&nbsp;Quillon&nbsp;Testcanary",
        "Zel\u00adda Quil\u200blon Testcanary",
        "ZELDA quillon TESTCANARY",
        "Ｚｅｌｄａ Ｑｕｉｌｌｏｎ Ｔｅｓｔｃａｎａｒｙ",
        "Zelda <b>Quillon</b> Testcanary",
        "Z&#101;lda Quillon Testcanary",
        "Zelda Quil-\u00adlon Testcanary".replace("-", ""),
    ],
)
def test_the_variants_the_review_found_are_each_caught(text):
    assert mentions(text, CANARY)


def test_a_chinese_name_wrapped_over_a_line_is_found():
    assert mentions("律师郭测\n试梅被拘留", CHINESE_CANARY)
    assert mentions("律师**郭测**试梅被拘留", CHINESE_CANARY)


def test_a_text_that_does_not_name_the_person_is_not_flagged():
    assert not mentions("Zelda Quillon's colleague Testcanary-Smith", "Zelda Testcanary")
    assert not mentions("Quillon, Zelda", CANARY)
    assert not mentions("", CANARY)


def test_the_markup_that_renders_the_public_pages_is_the_one_the_matcher_reads():
    html = markdown_to_html("Zelda **Quillon** <script>x</script> Testcanary")
    assert "<strong>Quillon</strong>" in html and "<script>" not in html


@pytest.fixture
def unconsenting(home) -> Person:
    return Person.objects.create(
        display_name=CANARY,
        legal_name="Yara Legalname Testcanary",
        aliases="Zee Q.",
        owner=home,
    )


@given(text=statement_naming())
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_the_consent_check_refuses_every_disguise_of_a_name(unconsenting, text):
    problems = names_not_allowed(text, [unconsenting], audience=Audience.PUBLIC)
    assert CANARY in {problem.name for problem in problems}


@given(text=statement_naming("Yara Legalname Testcanary"))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_a_disguised_legal_name_never_passes_even_with_consent_to_be_named(
    unconsenting, documenter, text
):
    from tests.people.test_disclosure import consent

    if not unconsenting.consents.exists():
        consent(documenter, unconsenting, "public_statement_named")
    problems = names_not_allowed(text, [unconsenting], audience=Audience.PUBLIC)
    assert "Yara Legalname Testcanary" in {problem.name for problem in problems}


def test_a_named_persons_display_name_in_another_case_or_spacing_is_allowed(
    unconsenting, documenter
):
    from tests.people.test_disclosure import consent

    consent(documenter, unconsenting, "public_statement_named")
    text = "ZELDA  **Quillon**\nTestcanary spoke to the press."
    assert names_not_allowed(text, [unconsenting], audience=Audience.PUBLIC) == []


def test_an_incident_is_not_published_while_a_public_field_names_someone_in_disguise(
    unconsenting, coordinator, documenter
):
    from django.core.exceptions import ValidationError

    from solidarity.accounts.models import Visibility
    from solidarity.incidents.models import Incident
    from solidarity.incidents.services import ActInput, PartyRef, save_incident, set_visibility
    from tests.factories import term

    for field, value in [
        ("public_summary", "Police detained Zelda **Quillon**\nTestcanary at her office."),
        ("title", "Detention of ZELDA Quil\u00adlon Testcanary"),
        ("admin_area", "Home of Zelda&nbsp;Quillon&nbsp;Testcanary"),
    ]:
        incident = Incident(**{"title": "Synthetic detention", "country": "MX", field: value})
        save_incident(
            user=documenter,
            incident=incident,
            context_tags=[],
            acts=[
                ActInput(
                    victim=PartyRef(kind="person", code=unconsenting.code),
                    violation_type=term("violation_types", "arrest"),
                )
            ],
            sources=[],
        )
        with pytest.raises(ValidationError, match=CANARY):
            set_visibility(
                user=coordinator,
                record=incident,
                visibility=Visibility.PUBLIC,
                shared_read=[],
                shared_edit=[],
            )
