"""Authentication: Django's own, with demo logins refused outside demo mode."""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


def demo_login_allowed(user) -> bool:
    return settings.SECASSURE_DEMO or not getattr(user, "is_demo", False)


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
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if not demo_login_allowed(user):
            raise AuthenticationFailed("Demo logins work only in demo mode.")
        return user, token
