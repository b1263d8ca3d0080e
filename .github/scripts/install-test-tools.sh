#!/usr/bin/env bash
# Debian packages the test suite needs (as .ci/run installs them): PostgreSQL server
# binaries for the throwaway test database, Chromium and npm (axe-core) for tests/ui,
# Prometheus/promtool for tests/observability, nginx (the load balancer) for tests/deploy. Runs as root in a Debian container.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends postgresql chromium npm prometheus nginx
npm ci --no-audit --no-fund --silent
