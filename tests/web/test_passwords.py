"""Passwords are stored with Argon2id at OWASP's parameters, and older hashes are upgraded at
the next sign-in (secassure.accounts.hashers)."""
from django.contrib.auth.hashers import make_password

from secassure.accounts.models import Person


def test_a_new_password_is_stored_as_argon2id_at_owasps_parameters(db):
    person = Person.objects.create_user("hasher-new", password="a long pass phrase 1")
    assert person.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert person.check_password("a long pass phrase 1")
    assert not person.check_password("a long pass phrase 2")


def test_a_pbkdf2_password_still_signs_in_and_is_rehashed(client, db):
    old = make_password("a long pass phrase 1", hasher="pbkdf2_sha256")
    person = Person.objects.create(username="hasher-old", password=old)
    assert client.post("/accounts/login/", {"username": "hasher-old",
                                            "password": "a long pass phrase 1"}).status_code == 302
    person.refresh_from_db()
    assert person.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
