"""`secassure adt propose|proposal-opinion|proposal-set|proposal-withdraw|review-period|notices`:
consultation, notification and review of thresholds (G6.7(b)-G6.10) on the command line, as
`register-key` and `revoke-key` do: the person acting is named by `--as`, and each command is
one service call. A refusal (bad input, the wrong person, or a state that does not allow it,
e.g. setting before the SSC's opinion) is one line on standard error and exit status 2."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from secassure.core.cli import CommandError, setup_django, username


def add_commands(sub: Any) -> None:
    """Add the commands to `secassure adt`'s subparsers."""
    acting = "the person acting (the DCC for a proposal, an SSC member for an opinion)"
    propose = sub.add_parser("propose", help="the DCC proposes a threshold to the SSC "
                                             "(G6.7(b))")
    target = propose.add_mutually_exclusive_group(required=True)
    target.add_argument("--srv", help="a Service Reference Variant (G6.6(a))")
    target.add_argument("--command", dest="critical_command",
                        help="a Critical Command not related to an SRV (G6.6(c))")
    propose.add_argument("--counter", choices=["critical", "encrypted"])
    propose.add_argument("--quarantine", type=int)
    propose.add_argument("--value-min", type=Decimal, help="an SRV's lower limit (G6.6(b))")
    propose.add_argument("--value-max", type=Decimal, help="an SRV's upper limit (G6.6(b))")
    propose.add_argument("--warning", type=int)
    propose.add_argument("--reason", default="")
    propose.add_argument("--as", dest="acting", type=username, required=True, help=acting)
    opinion = sub.add_parser("proposal-opinion", help="the SSC's opinion on a proposal "
                                                      "(G6.7(b))")
    opinion.add_argument("proposal", type=int)
    opinion.add_argument("--text", required=True)
    opinion.add_argument("--level", type=int, help="the level the SSC finds appropriate")
    opinion.add_argument("--as", dest="acting", type=username, required=True, help=acting)
    set_ = sub.add_parser("proposal-set", help="the DCC sets a proposal after the SSC's "
                                               "opinion (G6.7(b))")
    set_.add_argument("proposal", type=int)
    set_.add_argument("--account", default="",
                      help="how the SSC's opinion was taken into account (required where the "
                           "level departs from the SSC's)")
    set_.add_argument("--as", dest="acting", type=username, required=True, help=acting)
    withdraw = sub.add_parser("proposal-withdraw", help="the DCC withdraws a proposal")
    withdraw.add_argument("proposal", type=int)
    withdraw.add_argument("--reason", default="")
    withdraw.add_argument("--as", dest="acting", type=username, required=True, help=acting)
    period = sub.add_parser("review-period", help="SECAS sets the review period (G6.10)")
    period.add_argument("months", type=int)
    period.add_argument("--as", dest="acting", type=username, required=True,
                        help="a SECAS person")
    notices = sub.add_parser("notices", help="thresholds notified to the SSC (G6.8), newest "
                                             "first, tab-separated, without User IDs")
    notices.add_argument("--as", dest="acting", type=username, required=True,
                         help="an SSC member, the DCC or SECAS")


def _acting(name: str) -> Any:
    from secassure.accounts.models import Person
    person = Person.objects.filter(username=name, is_active=True).select_related(
        "party").first()
    if person is None:
        raise CommandError(f"--as: no active person {name!r}")
    return person


def _run(call: Callable[[], Any]) -> Any:
    """One service call; its refusals as one line (exit 2), nothing changed."""
    from django.core.exceptions import PermissionDenied

    from secassure.anomaly.services import REFUSALS, ThresholdConflict
    try:
        return call()
    except (*REFUSALS, ThresholdConflict, PermissionDenied) as error:
        raise CommandError(str(error)) from None


def _proposal(user: Any, pk: int) -> Any:
    from secassure.anomaly.consultations import proposals
    found = proposals(user).filter(pk=pk).first()
    if found is None:
        raise CommandError(f"proposal: no proposal {pk} you may see")
    return found


def _propose(args: argparse.Namespace) -> int:
    setup_django()
    from secassure.anomaly import services
    user = _acting(args.acting)
    if args.value_min is not None or args.value_max is not None:
        made = _run(lambda: services.propose_dcc_limits(user, args.srv or "", args.value_min,
                                                        args.value_max, args.reason))
    else:
        made = _run(lambda: services.propose_dcc_threshold(
            user, args.counter or "", args.quarantine, args.warning, srv=args.srv or "",
            command=args.critical_command or "", reason=args.reason))
    print(f"proposal {made.pk}: awaiting the SSC's opinion (G6.7(b))", file=sys.stderr)
    print(made.pk)
    return 0


def _opinion(args: argparse.Namespace) -> int:
    setup_django()
    from secassure.anomaly import services
    user = _acting(args.acting)
    proposal = _proposal(user, args.proposal)
    _run(lambda: services.give_ssc_opinion_on_proposal(user, proposal, args.text, args.level))
    print(f"proposal {proposal.pk}: the SSC's opinion recorded", file=sys.stderr)
    return 0


def _set(args: argparse.Namespace) -> int:
    setup_django()
    from secassure.anomaly import services
    user = _acting(args.acting)
    proposal = _proposal(user, args.proposal)
    _run(lambda: services.set_proposed_threshold(user, proposal, args.account))
    print(f"proposal {proposal.pk}: set; the SSC is notified (G6.8(a))", file=sys.stderr)
    return 0


def _withdraw(args: argparse.Namespace) -> int:
    setup_django()
    from secassure.anomaly import services
    user = _acting(args.acting)
    proposal = _proposal(user, args.proposal)
    _run(lambda: services.withdraw_proposal(user, proposal, args.reason))
    print(f"proposal {proposal.pk}: withdrawn", file=sys.stderr)
    return 0


def _period(args: argparse.Namespace) -> int:
    setup_django()
    from secassure.anomaly import services
    user = _acting(args.acting)
    period = _run(lambda: services.set_review_period(user, args.months))
    print(f"review period: {period.months} months (G6.10)", file=sys.stderr)
    return 0


def _notices(args: argparse.Namespace) -> int:
    setup_django()
    from secassure.anomaly.consultations import notices
    from secassure.code.permissions import Action
    from secassure.core.permissions import require
    user = _acting(args.acting)
    _run(lambda: require(user, Action.VIEW_THRESHOLD_NOTICES))
    for n in notices(user):
        print("\t".join([n.at.isoformat(), n.kind, n.party, n.role, n.target, n.counter,
                         "" if n.warning is None else str(n.warning), str(n.quarantine),
                         n.source]))
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "propose": _propose, "proposal-opinion": _opinion, "proposal-set": _set,
    "proposal-withdraw": _withdraw, "review-period": _period, "notices": _notices}
