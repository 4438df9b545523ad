"""Running one assessment command: the acting person, the refusals as one line, the output.

Django is loaded only when a command runs, so `secassure --help` stays fast."""
from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass
from typing import Any

from secassure.code.workflow import Act
from secassure.core.cli import fail, setup_django


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    handle: Callable  # (run: Run, target, args) -> result
    arguments: tuple = ()
    target: str | None = "assessment"  # what the positional id names, if anything


def arg(*names, **options) -> tuple:
    return names, options


class Run:
    """What a command works with: the acting person and the checks the API makes."""

    def __init__(self, user: Any):
        from secassure.assurance import services
        self.user, self.services = user, services

    def allow(self, act: Act, assessment: Any) -> Any:
        """403/409 as on the API: the wrong person, or the wrong stage, before the input."""
        self.services.allow(self.user, act, assessment)
        return assessment

    def valid(self, serializer_class: Any, **body: Any) -> dict:
        """`body` checked by an API input serializer."""
        serializer = serializer_class(data=body, context={"user": self.user})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def valid_input(self, act: Act, body: dict[str, Any]) -> dict[str, Any]:
        """`body` checked by the API's input serializer of the declared action, as the
        service's keywords."""
        from secassure.assurance.api.serializers import INPUTS
        serializer = INPUTS[act](data=body, context={"user": self.user})
        serializer.is_valid(raise_exception=True)
        return serializer.to_service()

    def perform(self, act: Act, on: Any, data: dict[str, Any]) -> Any:
        """The action's one service, on the record the command names."""
        return self.services.perform(act, self.user, on, data)


def _fail(message: str):
    fail(message)


def _actor(username: str):
    from secassure.accounts.backends import demo_login_allowed
    from secassure.accounts.models import Person
    person = Person.objects.select_related("party").filter(username=username,
                                                           is_active=True).first()
    if person is None:
        _fail(f"--as: no active person named {username!r}")
    if not demo_login_allowed(person):
        _fail(f"--as: {username} is a demo login; it acts only in demo mode")
    return person


def _target(command: Command, user, pk: int):
    from secassure.assurance import selectors
    records = {"assessment": selectors.assessments, "plan": selectors.remediation_plans,
               "finding": selectors.findings,
               "event": selectors.events_of_default}[command.target or "assessment"]
    found = records(user).filter(pk=pk).first()
    if found is None:
        _fail(f"no {command.target} {pk} that {user.get_username()} may see")
    return found


def run_command(command: Command):
    """The argparse handler of `command`: refusals become one line and exit status 2, and
    everything the command writes is one transaction (nothing written if it fails)."""
    def handler(args) -> int:
        setup_django()
        from django.core.exceptions import PermissionDenied
        from django.db import transaction
        from rest_framework.exceptions import ValidationError

        from secassure.assurance.api.base import first_error
        from secassure.assurance.services import AssuranceError
        from secassure.code.workflow import WorkflowError
        user = _actor(args.actor)
        try:
            # E-mails on the console backend go to standard error: stdout is the output.
            with redirect_stdout(sys.stderr), transaction.atomic():
                target = _target(command, user, args.id) if command.target else None
                result = command.handle(Run(user), target, args)
        except PermissionDenied as error:
            _fail(f"refused: {error}")
        except (WorkflowError, AssuranceError) as error:
            _fail(str(error))
        except ValidationError as error:
            field, message = first_error(error.detail)
            _fail(f"{field}: {message}" if field else message)
        from .output import show
        show(result, user, as_json=args.json)
        return 0
    return handler
