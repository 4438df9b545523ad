"""Downloads of an assessment's full record (views in `export_views.py`)."""
urlpatterns: list = []
