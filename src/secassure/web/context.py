"""Template context shared by every page."""
from django.conf import settings

from secassure.code.permissions import Action
from secassure.core.permissions import can
from secassure.core.visibility import person_kind


def platform(request):
    return {"demo_mode": settings.SECASSURE_DEMO, "person_kind": person_kind(request.user),
            "can_view_journal": can(request.user, Action.VIEW_REGISTER_WIDE),
            "can_view_attention": can(request.user, Action.VIEW_ATTENTION)}
