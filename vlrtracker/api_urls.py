"""REST API routes (/api/v1/, /api/schema/, /api/docs/)."""
urlpatterns: list = []
