"""Web UI routes (server-rendered pages)."""
urlpatterns: list = []
