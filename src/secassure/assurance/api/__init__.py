"""REST API of the assurance workflow (mounted at /api/assurance/ by `api_urls`).

One endpoint per business action, each calling the one service that performs it; reads go
through `querysets`, which apply the visibility rule inside the query.
"""
