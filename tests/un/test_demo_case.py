"""The demo case's UN engagement and the reprisal it proposes."""

from solidarity.core import demo
from solidarity.people.models import Organisation
from solidarity.un import services as un


def test_the_demo_closure_is_proposed_as_a_possible_reprisal_for_the_cedaw_engagement(
    demo_case, demo_coordinator
):
    centre = Organisation.objects.get(code=demo.CENTRE)
    [engagement] = un.engagements_of(user=demo_coordinator, party=centre)
    assert engagement.mechanism.code == "cedaw" and engagement.date.iso() == "2014"
    [proposal] = un.propose_reprisals(act=demo_case.acts.get())
    assert proposal.engagement == engagement
