"""How passwords are stored: Argon2id at the parameters OWASP's Password Storage Cheat Sheet
gives first (19 MiB of memory, two passes, one lane).

Django's own Argon2 hasher asks for 100 MiB and eight lanes: about 0.2 s of CPU per sign-in
here, as much as its PBKDF2 default (1,000,000 iterations, 0.29 s). At these parameters a
sign-in costs about 28 ms of one core (`benchmarks/mix_profile.py` measures the pages around
it), while each guess still costs an attacker 19 MiB of memory, the resource GPUs lack.
argon2-cffi runs the hash outside the GIL, so a sign-in does not stall its process's other
requests. Hashes made with other parameters or hashers still verify, and are rehashed with
these on the person's next sign-in (Django's `must_update`)."""
from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id, m=19456 KiB, t=2, p=1 (OWASP's first recommended configuration)."""

    time_cost = 2
    memory_cost = 19456
    parallelism = 1
