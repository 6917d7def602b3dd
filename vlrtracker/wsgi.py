"""WSGI entry point: `gunicorn vlrtracker.wsgi` (see README, Running in production)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vlrtracker.settings")
application = get_wsgi_application()
