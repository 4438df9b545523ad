"""`secassure assessment ...` and `secassure remind`: the assurance workflow on the command line."""


def add_commands(sub) -> None:
    """Add the assurance subcommands to the `secassure` parser (`sub` from add_subparsers)."""
