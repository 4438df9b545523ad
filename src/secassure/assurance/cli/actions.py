"""The workflow's commands, made from the declarations of `secassure.code.workflow`: one
`secassure assessment <name>` per declared action, its arguments from the declared inputs.

The positional id names the record the API's route hangs on (an assessment, a finding, a
Remediation Plan; none for a booking). Each input is an option (`--reason`), or positional
where declared; a choice between two answers is two flags (`--approve`, `--send-back`); a file
is a path; several records or files may be named (`--finding 3 --finding 4`). The response's
answers and the SSC's other steps are read from a JSON file, the document the API takes
(`--file ANSWERS.json`). The input is then checked by the API's own serializer for the action
(`serializers.INPUTS`) and the one service performs it: the same refusals, in the same order.
"""
from __future__ import annotations

import argparse
from typing import Any

from secassure.code.workflow import ACTIONS, STRUCTURED, Declaration, Input, Kind

from .files import json_file, upload
from .runner import Command, Run, _fail

DATE = "YYYY-MM-DD"
METAVARS = {Kind.DATE: DATE, Kind.INT: "N", Kind.RECORD: "ID", Kind.RECORDS: "ID",
            Kind.FILE: "PATH", Kind.FILES: "PATH"}


def _dash(name: str) -> str:
    return name.replace("_", "-")


def _answers(spec: Input) -> list[str]:
    """The flags of a choice between two answers (`--approve`, `--send-back`)."""
    return [f"--{_dash(value)}" for value, _ in spec.options]


def _argument(spec: Input) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """The argparse arguments of one input."""
    help = spec.help or spec.label
    if spec.kind == Kind.BOOL:
        if spec.options:
            return [((flag,), {"action": "store_true", "dest": f"{spec.name}__{value}",
                               "help": label})
                    for flag, (value, label) in zip(_answers(spec), spec.options, strict=True)]
        return [((f"--{_dash(spec.name)}",), {"action": "store_true", "help": help})]
    if spec.positional:
        metavar = METAVARS.get(spec.kind, spec.name.upper())
        return [((spec.name,), {"metavar": metavar, "help": help})]
    names = (f"--{_dash(spec.name)}",) + ((spec.flag,) if spec.flag else ())
    options: dict[str, Any] = {"dest": spec.name, "help": help,
                               "metavar": METAVARS.get(spec.kind, spec.name.upper())}
    if spec.kind in (Kind.FILES, Kind.RECORDS):
        options.update(action="extend", nargs="+")
    else:
        options["required"] = spec.required
    return [(names, options)]


def arguments(declaration: Declaration) -> tuple[tuple[tuple[str, ...], dict[str, Any]], ...]:
    """The arguments of a declared action's command (after its positional id)."""
    kinds = [spec.kind for spec in declaration.inputs if spec.kind in STRUCTURED]
    if kinds:
        return ((("--file",), {"required": True, "metavar": f"{kinds[0].upper()}.json",
                               "help": "the document the API takes, as a JSON object"}),)
    return tuple(argument for spec in declaration.inputs for argument in _argument(spec))


def body(declaration: Declaration, args: argparse.Namespace) -> dict[str, Any]:
    """What the command was given, as the API's request body: absent inputs left out."""
    if any(spec.kind in STRUCTURED for spec in declaration.inputs):
        return json_file(args.file)
    given: dict[str, Any] = {}
    for spec in declaration.inputs:
        if spec.kind == Kind.BOOL and spec.options:
            said = [value for value, _ in spec.options if getattr(args, f"{spec.name}__{value}")]
            if len(said) != 1:
                _fail("say " + " or ".join(_answers(spec)))
            given[spec.name] = said[0] == spec.options[0][0]
            continue
        value = getattr(args, spec.name)
        if value is None:
            continue
        if spec.kind == Kind.FILE:
            value = upload(value)
        elif spec.kind == Kind.FILES:
            value = [upload(path) for path in value]
        given[spec.name] = value
    return given


def handler(declaration: Declaration) -> Any:
    """Take the action: the person and the stage first (403, 409), then the input (400),
    then the one service."""
    def handle(run: Run, on: Any, args: argparse.Namespace) -> Any:
        if on is not None:
            run.allow(declaration.act,
                      on if declaration.api_on == "assessment" else on.assessment)
        data = run.valid_input(declaration.act, body(declaration, args))
        return run.perform(declaration.act, on, data)
    return handle


def command(declaration: Declaration) -> Command:
    return Command(declaration.cli, f"{declaration.label} ({declaration.clause})",
                   handler(declaration), arguments(declaration), declaration.api_on or None)


#: One command per declared action, in the order of the declarations.
ACTION_COMMANDS: list[Command] = [command(d) for d in ACTIONS.values() if d.cli]
