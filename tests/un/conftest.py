"""Records for the UN engagement tests."""

from datetime import date, timedelta

import pytest

from solidarity.lib.fuzzydate import FuzzyDate
from solidarity.people.models import Organisation
from solidarity.un import services
from tests.factories import make_incident, term

ACT_DAY = date(2020, 6, 15)


def mechanism(code: str = "cedaw"):
    return term("un_mechanisms", code)


def days_before(days: int) -> FuzzyDate:
    day = ACT_DAY - timedelta(days=days)
    return FuzzyDate(day.year, day.month, day.day)


@pytest.fixture
def incident(documenter):
    """An incident in China on ACT_DAY whose act targets the Synthetic Centre."""
    return make_incident(documenter, "Synthetic raid", date=ACT_DAY.isoformat(), country="CN")


@pytest.fixture
def act(incident):
    return incident.acts.get()


@pytest.fixture
def centre(act) -> Organisation:
    return act.victim_organisation


@pytest.fixture
def engage(documenter, centre):
    """Record an engagement of the centre at a fuzzy date (default: CEDAW, submitted a report)."""

    def engage(when: FuzzyDate | str, *, party=None, code: str = "cedaw"):
        if isinstance(when, str):
            when = FuzzyDate.parse(when)
        return services.add_engagement(
            user=documenter,
            party=party or centre,
            engagement_type="submitted_report",
            date=when,
            mechanism=mechanism(code),
        )

    return engage
