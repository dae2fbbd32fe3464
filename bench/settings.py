"""The site's settings, serving also the benchmark's floor (bench.urls); for benchmarks only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
