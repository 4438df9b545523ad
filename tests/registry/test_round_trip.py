"""Import is an upsert: it never deletes what it does not carry, and `export` then `import`
of the demo register changes nothing (issue: "Round trips that keep everything")."""
import pytest
from django.apps import apps

from secassure.assurance.selectors import register_records
from secassure.assurance.services import import_register
from secassure.code.interchange import RegisterFormatError, dump_register
from secassure.core.journal.models import JournalEntry, JournalHead
from secassure.core.permissions import SYSTEM

#: Tables a round trip may add to: the journal records the import itself.
JOURNAL = {JournalEntry, JournalHead}


def snapshot() -> dict:
    """Every row of every table of our apps, by model (the journal aside)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in {"registry", "accounts", "assurance", "anomaly"} \
                and model not in JOURNAL:
            rows[model._meta.label] = sorted(map(repr, model.objects.values_list()))
    return rows


def test_export_then_import_of_the_demo_changes_nothing(demo):
    from secassure.anomaly.models import QuarantinedCommunication, Threshold
    assert Threshold.objects.exists() and QuarantinedCommunication.objects.exists()
    before = snapshot()
    document = dump_register(register_records())
    result = import_register(SYSTEM, document, reason="round trip")
    assert len(result.updated) == len(document["parties"]) and result.created == []
    assert snapshot() == before
    assert dump_register(register_records()) == document


def test_dropping_a_user_id_with_thresholds_is_refused_and_changes_nothing(demo):
    from secassure.anomaly.models import Threshold
    threshold = Threshold.objects.filter(user_id__isnull=False).select_related(
        "user_id__party_role__party").first()
    party = threshold.user_id.party_role.party.party_id
    document = dump_register(register_records())
    entry = next(p for p in document["parties"] if p["id"] == party)
    role = threshold.user_id.party_role.role
    entry["user_ids"][role] = [v for v in entry["user_ids"][role] if v != threshold.user_id.value]
    before = snapshot()
    with pytest.raises(RegisterFormatError, match="would also remove .*(threshold|quarantined)"):
        import_register(SYSTEM, document)
    assert snapshot() == before


def test_a_new_user_id_and_role_are_added_beside_what_stays(demo):
    from secassure.anomaly.models import Threshold
    count = Threshold.objects.count()
    document = dump_register(register_records())
    entry = next(p for p in document["parties"] if p.get("user_ids"))
    entry["roles"].append("other_user")
    entry.setdefault("user_ids", {})["other_user"] = ["90-B3-D5-1F-30-FF-FF-00"]
    import_register(SYSTEM, document)
    again = next(p for p in dump_register(register_records())["parties"] if p["id"] == entry["id"])
    assert again["user_ids"]["other_user"] == ["90-B3-D5-1F-30-FF-FF-00"]
    assert Threshold.objects.count() == count
