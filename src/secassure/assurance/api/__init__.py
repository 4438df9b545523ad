"""REST API of the assurance workflow (mounted at /api/assurance/ by `api_urls`).

One endpoint per business action, each calling the one service that performs it; reads go
through `secassure.assurance.selectors`, the app's one read layer, which applies the
visibility rule inside the query.
"""
