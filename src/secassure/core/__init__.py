"""What every app shares and nothing app-specific: the visibility rule applied in the query,
the permission check, the journal, the journaled admin base and the command-line plumbing.

It imports only `secassure.code` (and Django); every app imports it, it imports no app.
"""
