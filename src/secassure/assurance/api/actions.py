"""The workflow's actions over the API, made from the declarations of `secassure.code.workflow`:
one POST route per declared action, on the record it hangs on (`Declaration.api_on`: an
assessment, a finding, a Remediation Plan, or the collection of assessments for a booking).

Every route answers in the same order (see `base`): 404 for a record the caller may not see,
403 for the wrong person, 409 for the wrong stage, then 400 for bad input; then it calls the
action's one service (`services.performer`) with the declared inputs and answers with what the
action made or changed, re-read through the visibility rule. Each route is documented in the
OpenAPI schema with its input serializer (`serializers.INPUTS`, with the optional stage the
caller saw, `seen_stage`), its answer and its refusals, and described by its service's
docstring.

Where an action makes records of the assessment (findings, progress reports, Remediation Plans,
appeals), a GET on the same path lists those the caller may see.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from secassure.code.workflow import ACTIONS, Act, Declaration, Kind, Stage

from .. import selectors, services
from . import serializers as s
from .base import outcomes

#: What an action makes or changes, by `Declaration.result`: how to re-read it through the
#: visibility rule, its serializer, and how it reaches its assessment (for the GET listing).
RESULTS: dict[str, tuple[Callable[[Any], Any], Any, str, str]] = {
    "finding": (selectors.findings, s.FindingSerializer, "assessment", "number"),
    "evidence": (selectors.evidence, s.EvidenceFileSerializer, "finding__assessment", "id"),
    "progress_report": (selectors.progress_reports, s.ProgressReportSerializer, "assessment",
                        "id"),
    "plan": (selectors.remediation_plans, s.RemediationPlanSerializer, "assessment", "id"),
    "appeal": (selectors.appeals, s.AppealSerializer, "decision__assessment", "id"),
}
FILES = frozenset({Kind.FILE, Kind.FILES})


def _with_seen_stage(declaration: Declaration) -> Any:
    """The action's input serializer (`serializers.INPUTS`) and, for an action on a record,
    the optional stage the caller saw (`seen_stage`): if the assessment has moved on since,
    the action is refused (409) rather than taken on a stale view."""
    given = s.INPUTS[declaration.act]
    if not declaration.api_on:
        return given
    seen = serializers.ChoiceField(
        choices=[stage.value for stage in Stage], required=False, help_text=(
            "Optional: the stage of the assessment you saw when you decided. If it has moved "
            "on since, the action is refused (409) instead of being taken on a stale view."))
    return type(given.__name__, (given,), {"seen_stage": seen, "__doc__": given.__doc__,
                                           "__module__": given.__module__})


#: What each action's route takes: its declared inputs, and the stage the caller saw.
BODIES: dict[Act, Any] = {act: _with_seen_stage(d) for act, d in ACTIONS.items()}


def answer_serializer(declaration: Declaration) -> Any:
    if declaration.result == "assessment":
        return s.AssessmentDetailSerializer
    return RESULTS[declaration.result][1]


def answer(view: Any, declaration: Declaration, result: Any) -> Response:
    """The action's answer: what it made or changed, as the caller may now see it."""
    user = view.request.user
    code = 201 if declaration.created else 200
    if declaration.result == "assessment":
        return view.show(s.AssessmentDetailSerializer,
                         selectors.assessment_with_record(user, result.pk), code)
    read, serializer, _, _ = RESULTS[declaration.result]
    return view.show(serializer, read(user).get(pk=result.pk), code)


def perform(view: Any, declaration: Declaration, on: Any = None) -> Response:
    """Take the declared action on `on` (the record of the address, None for a booking): the
    person and the stage, then the input, then the one service call; with `seen_stage` (the
    stage the caller saw, optional), refused (409) if the assessment has moved on since."""
    if on is not None:
        view.acting(declaration.act, on if declaration.api_on == "assessment" else on.assessment)
    given = BODIES[declaration.act](data=view.request.data,
                                    context=view.get_serializer_context())
    given.is_valid(raise_exception=True)
    result = services.perform(declaration.act, view.request.user, on, given.to_service(),
                              seen_stage=given.validated_data.get("seen_stage"))
    return answer(view, declaration, result)


def _request(declaration: Declaration) -> Any:
    serializer = BODIES[declaration.act]
    if not declaration.inputs:
        return None
    if any(spec.kind in FILES for spec in declaration.inputs):
        if declaration.api_on == "assessment" or not declaration.api_on:
            return {"application/json": serializer, "multipart/form-data": serializer}
        return {"multipart/form-data": serializer}
    return serializer


def parsers(declaration: Declaration) -> list[type]:
    if not any(spec.kind in FILES for spec in declaration.inputs):
        return [JSONParser, MultiPartParser, FormParser]
    if declaration.api_on == "assessment" or not declaration.api_on:
        return [JSONParser, MultiPartParser, FormParser]
    return [MultiPartParser, FormParser]


def _documented(declaration: Declaration, routed: Callable) -> Callable:
    """The route in the schema: its input, its answer and its refusals (after `@action`,
    which would otherwise replace the annotation)."""
    return extend_schema(
        methods=["POST"], request=_request(declaration), summary=declaration.label,
        responses=outcomes(answer_serializer(declaration),
                           201 if declaration.created else 200))(routed)


def handler(declaration: Declaration) -> Callable:
    """The POST handler of a declared action on the record of the address."""
    def handle(self: Any, request: Request, pk: Any = None) -> Response:
        return perform(self, declaration, self.get_object())
    handle.__name__ = declaration.act.value
    handle.__doc__ = services.performer(declaration.act).__doc__
    return handle


def listed_routes(declaration: Declaration) -> tuple[Callable, Callable]:
    """GET: the records of the kind the action makes, on the assessment of the address, that
    the caller may see; POST (on the same path): the action."""
    read, serializer, path, order = RESULTS[declaration.result]
    noun = serializer.Meta.model._meta.verbose_name_plural

    def listing(self: Any, request: Request, pk: Any = None) -> Response:
        found = read(request.user).filter(**{path: self.get_object()}).order_by(order)
        return self.show(serializer, found, many=True)
    listing.__name__ = declaration.api.replace("-", "_")
    listing.__doc__ = f"The {noun} of the assessment that you may see."
    routed = action(detail=True, methods=["get"], url_path=declaration.api,
                    parser_classes=parsers(declaration), pagination_class=None)(listing)
    routed = extend_schema(methods=["GET"], responses=serializer(many=True))(routed)
    post = _documented(declaration, routed.mapping.post(handler(declaration)))
    return routed, post


def routes(on: str) -> dict[str, Callable]:
    """The routes of every action declared on records of kind `on` ('assessment', 'finding',
    'plan'), by method name, for a viewset's namespace."""
    made: dict[str, Callable] = {}
    for declaration in ACTIONS.values():
        if declaration.api_on != on:
            continue
        if on == "assessment" and declaration.result in RESULTS:
            for method in listed_routes(declaration):
                made[method.__name__] = method
            continue
        made[declaration.act.value] = _documented(declaration, action(
            detail=True, methods=["post"], url_path=declaration.api,
            parser_classes=parsers(declaration))(handler(declaration)))
    return made


def actions_on(on: str) -> type:
    """A mixin with the routes of every action declared on records of kind `on`."""
    return type(f"{on.capitalize()}Actions", (), routes(on))


def create_route(declaration: Declaration) -> Callable:
    """The collection's POST, for the action that makes an assessment (a booking)."""
    def create(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        return perform(self, declaration)
    create.__doc__ = services.performer(declaration.act).__doc__
    return _documented(declaration, create)
