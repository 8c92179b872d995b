"""Settings for benchmarks: the product's settings plus a minimal view to compare against."""

from gaoxin.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
