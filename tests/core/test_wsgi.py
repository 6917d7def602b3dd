"""The WSGI module a production server imports: application plus garbage-collector tuning."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import gc, json, sys
before = gc.get_freeze_count()
import vlrtracker.wsgi as wsgi
print(json.dumps({
    "threshold": gc.get_threshold(),
    "frozen_before": before,
    "frozen": gc.get_freeze_count(),
    "api_views_loaded": "apps.initiatives.api.views" in sys.modules,
    "callable": callable(wsgi.application),
}))
"""


def test_importing_the_wsgi_module_loads_the_urlconf_then_freezes_and_raises_the_gc_threshold():
    # A fresh interpreter, as gunicorn's worker is: the test process's own GC state is not touched.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vlrtracker.settings"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    state = json.loads(out.stdout.strip().splitlines()[-1])

    assert state["callable"]
    assert state["api_views_loaded"], "the URLconf's views were not imported before the freeze"
    assert state["frozen_before"] == 0
    # Django, DRF and every app module: tens of thousands of objects out of the collector's sight.
    assert state["frozen"] > 50_000
    assert tuple(state["threshold"]) == (10_000, 20, 10)


def test_with_the_fast_paths_off_the_collector_keeps_cpython_s_defaults():
    import gc

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vlrtracker.settings", "API_FAST_PATHS": "0"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    state = json.loads(out.stdout.strip().splitlines()[-1])
    assert state["callable"] and state["api_views_loaded"]
    assert state["frozen"] == 0
    assert tuple(state["threshold"]) == gc.get_threshold() == (700, 10, 10)
