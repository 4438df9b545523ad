"""Authentication: Django's own, with demo logins refused outside demo mode."""
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from .services import token_expired


def demo_login_allowed(user) -> bool:
    return settings.SECASSURE_DEMO or not getattr(user, "is_demo", False)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout (first of the backends): a username or address with too many
    recent failures is refused before any password is checked. A call without a request (a
    test client's login, a script) has no address to throttle and is let through to the
    password check, which every door of the platform (the sign-in form, the admin's,
    /api/token/) makes with its request."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class PersonBackend(ModelBackend):
    """A demo login (password `demo`) works only while the platform runs with --demo, so a
    production database that once held demo data never accepts those passwords."""

    def user_can_authenticate(self, user) -> bool:
        return demo_login_allowed(user) and super().user_can_authenticate(user)

    def get_user(self, user_id):
        """The signed-in person with their party, which every page names (one query, not
        two, on every request)."""
        person = (get_user_model()._default_manager.select_related("party")
                  .filter(pk=user_id).first())
        return person if person is not None and self.user_can_authenticate(person) else None


class PersonTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, refused (401) for a demo login outside demo mode and for
    a token older than SECASSURE_TOKEN_DAYS ("token expired": ask for a fresh one)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if not demo_login_allowed(user):
            raise AuthenticationFailed("Demo logins work only in demo mode.")
        if token_expired(token):
            raise AuthenticationFailed("token expired")
        return user, token
