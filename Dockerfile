# MiniTwit under granian (`minitwit serve`: migrate, then 2 workers; docs/servers.md).
# SIGTERM drains in-flight requests for up to 10 s: give the container a longer stop grace.
# The health check is liveness (/healthz): a database outage must not get replicas restarted.
# MALLOC_ARENA_MAX=2: granian runs each worker's requests on many threads, and glibc gives
# threads arenas of their own; over a 10-minute soak (tests/benchmarks/bench_soak.py) worker
# RSS kept creeping with the default (+8 %) and was flat for the last 4 minutes with 2.
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MINITWIT_INSTANCE_PATH=/var/lib/minitwit \
    PROMETHEUS_MULTIPROC_DIR=/tmp/minitwit-metrics \
    MALLOC_ARENA_MAX=2

WORKDIR /srv/minitwit
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /var/lib/minitwit --create-home minitwit

USER minitwit
EXPOSE 5000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:5000/healthz', timeout=2).status != 200)"]
STOPSIGNAL SIGTERM
CMD ["minitwit", "serve", "--host", "0.0.0.0", "--port", "5000", "--workers", "2", "--server", "granian"]
