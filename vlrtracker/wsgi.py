"""WSGI entry point: `gunicorn vlrtracker.wsgi` (see README, Running in production).

Besides building the application, it tunes the garbage collector of the serving process. A DRF
request leaves reference cycles behind (view, request, response, serializer context, FilterSet),
and they keep each response's rows alive until a collection; with CPython's default thresholds a
worker under load collects the young generation every few requests and, now and then, walks
every object it holds for tens of milliseconds, which is what the slowest requests wait for
(`bench/bench_api.py`, README Benchmarks). So, once the URLconf and everything it imports are
loaded, the long-lived objects are moved out of the collector's sight (`gc.freeze`) and the
young generation is collected after 10,000 allocations instead of 700: the cycles are still
freed, only in fewer, cheaper passes. It is one of the API's speed shortcuts
(``apps.core.api.fast``, part ``gc``): ``API_FAST_PATHS=0`` leaves CPython's defaults.
"""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from apps.core.api.fast import fast_path

GC_THRESHOLD = (10_000, 20, 10)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vlrtracker.settings")
application = get_wsgi_application()

import_module(settings.ROOT_URLCONF)  # every view, serializer and filterset now, not in a request
if fast_path("gc"):
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
