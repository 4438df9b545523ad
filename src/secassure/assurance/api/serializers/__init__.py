"""Serializers of the assurance API: what it returns (`records`) and what each action takes
(`inputs`). The command line validates its JSON files with the same input serializers, so the
API and the CLI accept exactly the same documents."""
from .inputs import *  # noqa: F401,F403
from .records import *  # noqa: F401,F403
