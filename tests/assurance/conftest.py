"""Fixtures for the assurance workflow: a fresh supplier and helpers to drive assessments."""
from datetime import timedelta

import pytest

from secassure.accounts.models import Person
from secassure.assurance import services
from secassure.assurance.services import import_register
from secassure.code.findings import Answer, PlannedStep
from secassure.core.permissions import SYSTEM
from secassure.registry.models import Party
from tests.conftest import TODAY


@pytest.fixture
def people(demo):
    """Demo logins by username, plus rep-TESTCO for a fresh party with no history."""
    import_register(SYSTEM, {"parties": [
        {"id": "TESTCO", "name": "Test Energy", "roles": ["import_supplier", "gas_supplier"],
         "domestic_premises": 1000}]})
    party = Party.objects.get(party_id="TESTCO")
    demo["rep-TESTCO"] = Person.objects.create(username="rep-TESTCO", kind="party_rep",
                                               party=party)
    return demo


@pytest.fixture
def flow(people):
    """Steps that drive an assessment of TESTCO through the workflow."""
    class Flow:
        party = Party.objects.get(party_id="TESTCO")
        p = people

        def book(self, category="FUSA", **extra):
            return services.book_assessment(
                people["secas"], self.party, category, roles=list(self.party.roles.all()),
                assessor=people["cio-assessor"], fieldwork_start=TODAY - timedelta(days=20),
                fieldwork_end=TODAY - timedelta(days=10), **extra)

        def reported(self, category="FUSA", findings=1):
            assessment = self.book(category)
            for number in range(findings):
                services.record_finding(
                    people["cio-assessor"], assessment,
                    kind="non_compliance" if category == "FUSA" else "risk_increase",
                    clause="G5.14" if category == "FUSA" else "",
                    title=f"Finding {number + 1}", evidence="Seen on site.")
            return services.issue_report(people["cio-assessor"], assessment,
                                         summary="All matters assessed.")

        def responded(self, category="FUSA", findings=1, days=30):
            assessment = self.reported(category, findings)
            answers = {f.pk: Answer(True, "", (PlannedStep("Fix it", False,
                                                           TODAY + timedelta(days=days)),))
                       for f in assessment.findings.all()}
            return services.submit_response(people["rep-TESTCO"], assessment, answers)

        def agreed(self, category="FUSA", findings=1):
            assessment = self.responded(category, findings)
            return services.accept_plan(people["ssc-member"], assessment)
    return Flow()
