"""Each workflow action is declared once (`secassure.code.workflow.ACTIONS`) and every door is
made from that declaration: its one service takes exactly the declared inputs, the page offers
it at its address with a field per input, the API has its route (documented in the schema with
its input and its refusals), the command line has its command with an argument per input.
Table-driven over the declarations: adding an action adds its rows here."""
import argparse
import inspect
import json
from types import SimpleNamespace

import pytest
from django.urls import resolve, reverse
from drf_spectacular.generators import SchemaGenerator

from secassure.assurance import forms, services, views
from secassure.assurance.api.serializers import INPUTS
from secassure.assurance.api.urls import urlpatterns
from secassure.assurance.cli import COMMANDS, add_commands
from secassure.assurance.cli.actions import body
from secassure.assurance.models import Assessment
from secassure.assurance.views.table import BY_SLUG
from secassure.code.workflow import ACTIONS, STRUCTURED, Kind
from secassure.core.cli import Parser
from secassure.core.journal.models import JournalEntry
from secassure.registry.models import Party

DECLARED = list(ACTIONS.values())
IDS = [d.act.value for d in DECLARED]
RESOURCES = {"assessment": "assessments", "finding": "findings", "plan": "remediation-plans",
             "": "assessments"}


@pytest.mark.parametrize("declaration", DECLARED, ids=IDS)
def test_each_action_has_one_service_taking_exactly_the_declared_inputs(declaration):
    service = services.performer(declaration.act)
    assert [act for act, s in services.PERFORMERS.items() if s is service] == [declaration.act]
    parameters = inspect.signature(service).parameters
    names = list(parameters)
    subject = [] if declaration.subject_input else [declaration.subject]
    assert names[:1 + len(subject)] == ["user", *subject]
    taken = {name: parameters[name] for name in names[1 + len(subject):]}
    assert set(taken) == {spec.name for spec in declaration.inputs}
    for spec in declaration.inputs:  # what the declaration requires, the service requires
        has_default = taken[spec.name].default is not inspect.Parameter.empty
        assert has_default is not spec.required, spec.name


@pytest.mark.parametrize("declaration", DECLARED, ids=IDS)
def test_the_api_input_takes_exactly_the_declared_inputs(declaration):
    fields = INPUTS[declaration.act]().fields
    assert set(fields) == {spec.name for spec in declaration.inputs}
    for spec in declaration.inputs:
        assert fields[spec.name].required is spec.required, spec.name


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize("declaration", DECLARED, ids=IDS)
def test_the_api_routes_each_action_and_documents_it(declaration, schema):
    resource = RESOURCES[declaration.api_on]
    path = f"/api/assurance/{resource}/" + (
        f"{{id}}/{declaration.api}/" if declaration.api_on else "")
    routed = [p for p in urlpatterns if str(p.pattern).startswith(f"^{resource}/")
              and (p.callback.actions.get("post") == declaration.act.value
                   or (not declaration.api_on and p.callback.actions.get("post") == "create"))]
    assert routed, path
    post = schema["paths"][path]["post"]
    assert ("requestBody" in post) is bool(declaration.inputs)
    assert {"400", "403", "404", "409"} <= set(post["responses"])
    assert ("201" if declaration.created else "200") in post["responses"]
    assert post["summary"] == declaration.label
    assert post["description"].split()[:3] == \
        services.performer(declaration.act).__doc__.split()[:3]


def _context(db_party=None):
    record = SimpleNamespace(findings=[], steps=[], follow_ups=[], plans=[])
    return forms.Context(Assessment(category="FUSA", initial=True), record, db_party)


@pytest.mark.parametrize("declaration", DECLARED, ids=IDS)
def test_the_page_offers_each_action_with_a_field_per_input(declaration, db):
    if declaration.subject == "party":  # the booking page, for the party of its address
        assert resolve(reverse("book", args=["HEARTH"])).func is views.book
        form = forms.BookingForm(party=Party.objects.create(party_id="P1", name="P"))
    else:
        action = BY_SLUG[declaration.page]
        assert action.declaration is declaration
        args = [1, declaration.page] + ([2] if action.target else [])
        assert resolve(reverse("assessment-act", args=args)).func is views.act
        form = forms.action_form(declaration, _context())
    asked = [spec for spec in declaration.fields
             if spec.applies is None or spec.applies(False)]
    if forms.structured(declaration):
        form = forms.action_form(declaration, _context(), data={})
        assert form.is_valid()
        assert set(form.service_data()) == {spec.name for spec in asked}
        return
    assert set(form.fields) == {spec.field for spec in asked}
    for spec in asked:
        field = form.fields[spec.field]
        assert (field.label, field.required) == (spec.label, spec.required), spec.name


SAMPLES = {Kind.TEXT: "x", Kind.LINE: "x", Kind.DATE: "2030-01-31", Kind.INT: "7",
           Kind.RECORD: "1", Kind.CHOICE: "x"}


def _parse(argv):
    parser = Parser(prog="secassure")
    add_commands(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


@pytest.mark.parametrize("declaration", DECLARED, ids=IDS)
def test_the_command_line_takes_each_action_with_an_argument_per_input(declaration, tmp_path):
    command = next(c for c in COMMANDS if c.name == declaration.cli)
    assert command.target == (declaration.api_on or None)
    argv = ["assessment", declaration.cli] + (["3"] if command.target else [])
    required = [spec for spec in declaration.inputs if spec.required]
    if any(spec.kind in STRUCTURED for spec in declaration.inputs):  # the API's document
        document = tmp_path / "body.json"
        document.write_text(json.dumps({spec.name: [] for spec in required}))
        argv += ["--file", str(document)]
        required_args = []
    else:
        required_args = required
    for spec in required_args:
        if spec.kind == Kind.BOOL:
            argv.append(f"--{spec.choices[0][0].replace('_', '-')}")
            continue
        value = SAMPLES.get(spec.kind)
        if spec.kind == Kind.FILE:
            (tmp_path / "evidence.txt").write_text("seen")
            value = str(tmp_path / "evidence.txt")
        argv += [value] if spec.positional else [f"--{spec.name.replace('_', '-')}", value]
    args = _parse(argv + ["--as", "someone"])
    assert isinstance(args, argparse.Namespace) and args.actor == "someone"
    given = body(declaration, args)
    assert set(given) == {spec.name for spec in required}
    assert set(given) <= set(INPUTS[declaration.act]().fields)


def test_a_dcc_booking_is_cancelled_under_the_clause_its_journal_records(demo, client_for):
    """G9.3(b): the DCC's own assessments; the button and the journal cite the same clause
    (they used to cite G8.40 and G9.3(b))."""
    dcc = Party.objects.get(party_id="DCC")
    booked = services.book_assessment(demo["secas"], dcc, "DCC_FULL", dcc_trigger="annual")
    client = client_for("secas")
    page = client.get(f"/assurance/{booked.pk}/").content.decode()
    section = page[page.index('id="act-cancel"'):]
    assert 'href="/code/G9.3(b)/"' in section[:section.index("</section>")]
    response = client.post(f"/assurance/{booked.pk}/cancel/", {"reason": "Rescheduled."})
    assert response.status_code == 302
    assert JournalEntry.objects.filter(action="assurance.cancel").latest("id").clause == "G9.3(b)"
