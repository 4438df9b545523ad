"""`secassure publish ... --meeting ID / --month YYYY-MM`: the publications of what was
recorded, by the same renderers as from a file; a refusal is one line, exit 2, nothing
printed."""
import pytest

from secassure.cli import main
from secassure.committee import services
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_headlines_of_a_recorded_meeting(meeting, capsys):
    m = meeting["meeting"]
    assert main(["publish", "headlines", "--meeting", str(m.pk)]) == 0
    out = capsys.readouterr().out.replace("*", "")
    assert f"Headlines of the Security Sub-Committee (SSC) 106_{TODAY:%d%m}" in out
    assert "4. Forward plan: The SSC noted the forward plan." in out
    assert "CLOUDVAULT" not in out


def test_a_headline_naming_a_party_is_refused_with_nothing_printed(meeting, demo, capsys):
    services.set_headline(demo["secas"], meeting["amber"], headline="Cloudvault presented.",
                          publish=True)
    assert main(["publish", "headlines", "--meeting", str(meeting["meeting"].pk)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "names party CLOUDVAULT" in captured.err and len(captured.err.splitlines()) == 1


def test_a_missing_meeting_is_named(demo, capsys):
    assert main(["publish", "headlines", "--meeting", "999999"]) == 2
    assert "--meeting: no meeting 999999" in capsys.readouterr().err


def test_the_monthly_report_and_its_appendix_of_a_recorded_month(demo, capsys):
    assert main(["publish", "monthly-report", "--month", f"{TODAY:%Y-%m}"]) == 0
    body = capsys.readouterr().out
    assert "The Panel is requested to NOTE the content of this paper." in body
    assert "CLOUDVAULT" not in body and "PYLON" not in body
    assert main(["publish", "monthly-report", "--month", f"{TODAY:%Y-%m}", "--appendix"]) == 0
    appendix = capsys.readouterr().out
    from secassure.assurance.models import Decision
    decided = Decision.objects.filter(kind="compliance_status", effective__year=TODAY.year,
                                      effective__month=TODAY.month).select_related(
                                          "assessment__party").first()
    assert "Appendix A" in appendix
    assert decided is not None and decided.assessment.party.name in appendix  # RED: named


def test_a_file_or_the_database_not_both(meeting, capsys):
    assert main(["publish", "headlines", "--input", "x.json", "--meeting", "1"]) == 2
    assert "give --input or --meeting ID, not both" in capsys.readouterr().err


def test_reminders_on_the_command_line(meeting, demo, capsys):
    from datetime import timedelta
    services.record_action(demo["secas"], meeting["meeting"], text="Write the paper",
                           owner_name="SSC", owner=demo["ssc-member"],
                           due=TODAY - timedelta(days=1))
    assert main(["committee", "reminders", "--as-of", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "ssc-member\tAction 106/01 overdue: Write the paper" in out


def test_a_persons_calendar_on_the_command_line(meeting, capsysbinary):
    assert main(["committee", "calendar", "--person", "ssc-member"]) == 0
    assert b"BEGIN:VCALENDAR" in capsysbinary.readouterr().out
    assert main(["committee", "calendar", "--person", "nobody"]) == 2
