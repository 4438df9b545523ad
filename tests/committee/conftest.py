"""Fixtures for the committee: a meeting of the SSC today with an agenda and a paper."""
import io

import pytest

from secassure.committee import services
from tests.conftest import TODAY


@pytest.fixture
def meeting(demo):
    """SSC meeting 106 today: the standing item, a RED item about CLOUDVAULT with a paper, an
    AMBER item without a party, and a WHITE published item."""
    secas = demo["secas"]
    m = services.schedule_meeting(secas, body="ssc", number=106, date=TODAY)
    from secassure.registry.models import Party
    cloud = Party.objects.get(party_id="CLOUDVAULT")
    red = services.add_item(secas, m, title="CLOUDVAULT's FUSA", classification="RED",
                            party=cloud)
    services.add_paper(secas, red, title="FUSA report", upload=io.BytesIO(b"report"),
                       filename="report.txt", classification="RED")
    amber = services.add_item(secas, m, title="SEC Section G3.20", classification="AMBER",
                              headline="SECAS presented the changes.", publish=True)
    services.add_paper(secas, amber, title="G3.20 paper", upload=io.BytesIO(b"g320"),
                       filename="g320.txt", classification="AMBER")
    white = services.add_item(secas, m, title="Forward plan", classification="WHITE",
                              headline="The SSC noted the forward plan.", publish=True)
    return {"meeting": m, "red": red, "amber": amber, "white": white}


@pytest.fixture
def no_members(demo):
    """The demo's members out of the way (rolled back with the test): every seat vacant."""
    from secassure.committee.models import Election, Membership
    Election.objects.all().delete()
    Membership.objects.all().delete()
