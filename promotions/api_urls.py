"""Open-data API URLs (mounted under /api/v1/)."""

urlpatterns = []
