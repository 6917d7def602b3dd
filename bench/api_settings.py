"""Settings for bench/bench_api.py only: the project settings plus a urlconf with bare views."""

from vlrtracker.settings import *

ROOT_URLCONF = "bench.api_urls"
