"""Pages of the thresholds register and the quarantine desk (views in `views.py`)."""
urlpatterns: list = []
