"""REST API of the thresholds register and the quarantine desk (views, serializers, urls),
mounted at /api/adt/."""
