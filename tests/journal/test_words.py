"""The journal in words: every action the code journals has its words in the one table
(`core/journal/words.py`), and counts are said with the right plural.

The action names are read from the source: every call that journals (`record(...)`, and the
functions that pass their argument on into the name they journal, such as the assurance
services' `journal(...)`), its name resolved where it is a constant, an enum member or a
choice between constants; a name built at run time (an f-string) must match a name in the
table. The demo's whole journal is then said in words without falling back on a code name.
"""
from __future__ import annotations

import ast
import functools
import importlib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from secassure.core.journal.words import WORDS, count_in, describe, has_words, words_for

SRC = Path(__file__).resolve().parents[2] / "src" / "secassure"


@dataclass(frozen=True)
class Wrapper:
    """A function that journals `template` with its parameter `param` (position `index`)
    put in the place of `{}`."""

    module: str
    name: str
    template: str   # e.g. "assurance.{}"
    param: str
    index: int


def _modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"))
    return found


MODULES = _modules()


def _package(module: str) -> str:
    path = SRC.parent.joinpath(*module.split("."))
    return module if (path / "__init__.py").exists() else module.rpartition(".")[0]


@functools.cache  # pure (MODULES never changes): collecting this module took 35 s without it
def _imported_from(module: str, name: str) -> str | None:
    """The module that `module` imports `name` from (`from x import name`), if it does."""
    for node in ast.walk(MODULES[module]):
        if isinstance(node, ast.ImportFrom) and any(
                (alias.asname or alias.name) == name for alias in node.names):
            if node.level == 0:
                return node.module
            base = _package(module).split(".")
            base = base[:len(base) - (node.level - 1)]
            return ".".join(base + ([node.module] if node.module else []))
    return None


def _functions(module: str):
    """Every function of `module`, with its name and parameters."""
    for node in ast.walk(MODULES[module]):
        if isinstance(node, ast.FunctionDef):
            yield node, [a.arg for a in node.args.posonlyargs + node.args.args]


def _parameter(function: ast.FunctionDef, params: list[str], name: str) -> str | None:
    """The parameter `name` stands for: itself, or the one parameter a local of that name is
    computed from (`name = act.value if isinstance(act, Act) else act`)."""
    if name in params:
        return name
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            used = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)} & set(params)
            if len(used) == 1:
                return used.pop()
    return None


def _argument(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    if len(call.args) > index:
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _callee(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _resolve(module: str, name: str, wrappers: dict[tuple[str, str], Wrapper],
             seen: int = 0) -> Wrapper | None:
    """The wrapper that `name` means inside `module` (defined there, or imported)."""
    if (module, name) in wrappers:
        return wrappers[(module, name)]
    source = _imported_from(module, name)
    if source in MODULES and seen < 5:
        return _resolve(source, name, wrappers, seen + 1)
    return None


def _values(module: str, node: ast.expr) -> list[str] | None:
    """The strings `node` can be, where the source says (None where it is built at run time)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _values(module, node.body), _values(module, node.orelse)
        return None if body is None or orelse is None else body + orelse
    if isinstance(node, ast.Attribute) and isinstance(node.value, (ast.Name, ast.Attribute)):
        try:  # an enum member such as Act.SUBMIT_RESPONSE or Decision.Kind.PLAN_ACCEPTED
            holder = importlib.import_module(module)
            for part in ast.unparse(node).split("."):
                holder = getattr(holder, part)
        except (AttributeError, ImportError):
            return None
        value = getattr(holder, "value", holder)
        return [value] if isinstance(value, str) else None
    if isinstance(node, ast.Name):
        for statement in MODULES[module].body:  # a module constant
            if isinstance(statement, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == node.id for t in statement.targets):
                return _values(module, statement.value)
    return None


def _pattern(node: ast.JoinedStr) -> str:
    """An f-string as a pattern: its constant parts, anything where it formats a value."""
    return "".join(re.escape(part.value) if isinstance(part, ast.Constant) else r"[a-z_.]+"
                   for part in node.values)


def journaled_actions() -> tuple[set[str], set[str]]:
    """(the action names the code journals, patterns for names built at run time)."""
    wrappers: dict[tuple[str, str], Wrapper] = {}
    names: set[str] = set()
    patterns: set[str] = set()
    # `record(actor, action, ...)` is the journal's one door
    record = Wrapper("secassure.core.journal.services", "record", "{}", "action", 1)
    wrappers[(record.module, record.name)] = record
    for _ in range(4):  # wrappers of wrappers (assurance's `decide` passes `kind` to `journal`)
        for module in MODULES:
            for function, params in _functions(module):
                for call in ast.walk(function):
                    if not isinstance(call, ast.Call) or _callee(call) is None:
                        continue
                    wrapper = _resolve(module, _callee(call), wrappers)
                    if wrapper is None or (wrapper.module, wrapper.name) == (module,
                                                                             function.name):
                        continue
                    arg = _argument(call, wrapper.index, wrapper.param)
                    inner = None
                    if isinstance(arg, ast.Name):
                        inner = (wrapper.template, _parameter(function, params, arg.id))
                    elif isinstance(arg, ast.JoinedStr) and len(arg.values) == 2 and \
                            isinstance(arg.values[0], ast.Constant) and \
                            isinstance(arg.values[1], ast.FormattedValue) and \
                            isinstance(arg.values[1].value, ast.Name):
                        inner = (wrapper.template.format(arg.values[0].value + "{}"),
                                 _parameter(function, params, arg.values[1].value.id))
                    if inner is not None and inner[1] is not None:
                        template, param = inner
                        wrappers[(module, function.name)] = Wrapper(
                            module, function.name, template, param, params.index(param))
    for module in MODULES:
        for call in ast.walk(MODULES[module]):
            if not isinstance(call, ast.Call) or _callee(call) is None:
                continue
            wrapper = _resolve(module, _callee(call), wrappers)
            if wrapper is None:
                continue
            arg = _argument(call, wrapper.index, wrapper.param)
            if arg is None:
                continue
            values = _values(module, arg)
            if values is not None:
                names.update(wrapper.template.format(v) for v in values)
            elif isinstance(arg, ast.JoinedStr):
                patterns.add(re.escape(wrapper.template).replace(r"\{\}", "{}").format(
                    _pattern(arg)))
    return names, patterns


NAMES, PATTERNS = journaled_actions()


def test_the_source_scan_finds_the_actions_of_every_app():
    """The scan itself works: it finds names through each way the code journals."""
    assert {"registry.party.created", "accounts.person.added",           # record(...)
            "assurance.submit_response", "assurance.issue_report",        # journal(Act...)
            "assurance.plan_accepted",                                    # decide(Kind...)
            "assurance.event_of_default.referred",                        # _journal("...")
            "anomaly.quarantine.released", "anomaly.quarantine.deleted",  # a choice
            "anomaly.quarantine.loaded", "assurance.reminders.sent"} <= NAMES
    assert PATTERNS   # names built at run time, e.g. f"{submission.kind}.applied"


@pytest.mark.parametrize("action", sorted(NAMES))
def test_every_action_the_code_journals_has_words(action):
    assert has_words(action), f"{action}: add its words to core/journal/words.py"


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_every_action_name_built_at_run_time_has_words(pattern):
    assert [a for a in WORDS if re.fullmatch(pattern, a)], pattern


def test_every_workflow_action_and_decision_has_words():
    """Whatever name a workflow action or a decision is journaled under (code/workflow.Act,
    assurance's Decision.Kind), it has words; so do the two kinds of signed file (G6.6A) and
    the two opinions on a threshold (G6.8-G6.9)."""
    from secassure.anomaly.models import SignedSubmission
    from secassure.assurance.models import Decision
    from secassure.code.workflow import Act
    wanted = ({f"assurance.{a.value}" for a in Act}
              | {f"assurance.{k.value}" for k in Decision.Kind}
              | {f"anomaly.{k.value}.applied" for k in SignedSubmission.Kind}
              | {"anomaly.threshold.dcc_opinion", "anomaly.threshold.ssc_view"})
    assert sorted(a for a in wanted if not has_words(a)) == []


def test_reference_data_kept_in_the_admin_has_words():
    """The admin journals reference data as `app.model.added` / `.changed`
    (core.admin.save_reference_data): each such model's changes have words."""
    from django.contrib import admin

    from secassure.core.admin import ReferenceDataAdmin
    models = [m._meta for m, a in admin.site._registry.items()
              if isinstance(a, ReferenceDataAdmin)]
    assert models
    assert sorted(f"{o.app_label}.{o.model_name}.{verb}" for o in models
                  for verb in ("added", "changed")
                  if not has_words(f"{o.app_label}.{o.model_name}.{verb}")) == []


def test_the_demos_whole_journal_is_said_in_words(demo):
    from secassure.core.journal.models import JournalEntry
    actions = set(JournalEntry.objects.values_list("action", flat=True))
    assert len(actions) > 20
    assert sorted(a for a in actions if not has_words(a)) == []
    for entry in JournalEntry.objects.all():
        said = describe(entry)
        assert said and entry.action not in said and not re.search(r"\b1 [a-z]+s\b", said)


@dataclass
class Entry:
    action: str
    details: dict


@pytest.mark.parametrize("action,details,expected", [
    ("assurance.issue_report", {"findings": 1}, "report issued with 1 finding"),        # G8.23
    ("assurance.issue_report", {"findings": 2}, "report issued with 2 findings"),
    ("assurance.issue_report", {"findings": 0}, "report issued with 0 findings"),
    ("assurance.issue_report", {}, "report issued"),
    ("assurance.submit_response", {"disputed": 0}, "response submitted, 0 findings disputed"),
    ("assurance.submit_response", {"disputed": 1}, "response submitted, 1 finding disputed"),
    ("assurance.plan_accepted", {"value": "1 steps"},                                   # G8.27(a)
     "steps and timetable accepted (1 step)"),
    ("assurance.plan_accepted", {"value": "3 steps"}, "steps and timetable accepted (3 steps)"),
    ("assurance.history_recorded", {"assessments": 1}, "1 past assessment recorded"),
    ("assurance.reminders.sent", {"recipients": ["a"]}, "reminders sent to 1 person"),
    ("assurance.reminders.sent", {"recipients": ["a", "b"]}, "reminders sent to 2 people"),
    ("anomaly.quarantine.loaded", {"loaded": 1}, "1 quarantined communication loaded"),
    ("assurance.report_progress", {"kind": "completion"}, "step completed"),   # G8.28(b)(ii)
    ("assurance.report_progress", {"kind": "failure"}, "step failure reported"),  # (iii)
    ("assurance.decide_remediation_plan", {"outcome": "sent_back"},
     "Remediation Plan sent back"),
    ("assurance.submit_response", None, "response submitted"),
])
def test_words_say_counts_with_the_right_plural(action, details, expected):
    assert describe(Entry(action, details)) == expected


def test_an_action_missing_from_the_table_is_said_as_well_as_its_name_allows():
    assert words_for("registry.signing_key.added") == "signing key added"


@pytest.mark.parametrize("value,expected", [(3, 3), ("3 steps", 3), (["a", "b"], 2),
                                            (True, None), ("steps", None), (None, None)])
def test_a_count_is_read_from_a_number_a_list_or_text_that_starts_with_one(value, expected):
    assert count_in(value) == expected
