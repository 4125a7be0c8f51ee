"""The responses' fixtures: a partner coordinator, and a statement drafted from the demo case."""

import pytest

from solidarity.accounts.models import Role
from solidarity.responses import services
from tests.conftest import member
from tests.factories import term


@pytest.fixture
def partner_coordinator(partner_org):
    return member("petra", partner_org, Role.COORDINATOR)


@pytest.fixture
def statement(demo_case, demo_coordinator):
    return services.draft_from_incident(
        user=demo_coordinator,
        incident=demo_case,
        language="en",
        response_type=term("response_types", "joint_statement"),
        requests=["Halt the harassment of women human rights defenders"],
        title="Joint statement on the closure of a women's legal aid centre",
    )
