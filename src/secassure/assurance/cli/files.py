"""What the assessment commands read from files: a JSON document as the API takes it, and a
file to upload (evidence, a Director's Letter)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from secassure.core.cli import fail, read_json


def json_file(path: str) -> dict[str, Any]:
    """A JSON object from `path`; one line naming the file if it cannot be read or is not
    one."""
    document = read_json(Path(path))
    if not isinstance(document, dict):
        fail(f"{path}: expected a JSON object, as the API takes")
    return document


def upload(path: str) -> Any:
    """The file at `path`, as the API would receive it."""
    from django.core.files.uploadedfile import SimpleUploadedFile  # Django loads on demand
    try:
        return SimpleUploadedFile(Path(path).name, Path(path).read_bytes())
    except OSError as error:
        fail(f"{path}: cannot read: {error.strerror}")
