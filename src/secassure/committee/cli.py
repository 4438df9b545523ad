"""`secassure publish headlines --meeting ID` and `secassure publish monthly-report --month
YYYY-MM [--appendix]`: the publications of a recorded meeting or month, from the database,
rendered by the same code as from a file (`code.publications`)."""
from __future__ import annotations

from secassure.core.cli import CommandError, setup_django


def publication_lines(publication: str, *, meeting: int | None = None,
                      month: str | None = None, appendix: bool = False) -> list[str]:
    """The Markdown lines; CommandError (exit 2, one line) naming what is wrong."""
    setup_django()
    # Django's models load only once it is set up (above): these imports must follow it.
    from secassure.code.publications import PublicationError

    from . import publications
    from .models import Meeting
    try:
        if publication == "headlines":
            found = Meeting.objects.filter(pk=meeting).first()
            if found is None:
                raise CommandError(f"--meeting: no meeting {meeting} is recorded")
            return publications.headlines(found)
        return publications.monthly_report(month or "", appendix=appendix)
    except PublicationError as error:
        where = f"meeting {meeting}" if publication == "headlines" else f"month {month}"
        raise CommandError(f"{where}: {error}") from None
