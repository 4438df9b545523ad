"""REST API of the thresholds register and the quarantine desk (viewsets in `api.py`)."""
urlpatterns: list = []
