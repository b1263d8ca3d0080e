"""Run MiniTwit as a cluster of real parts: PostgreSQL, N replicas, nginx as the load balancer.

``python -m deploy`` (or ``nox -s cluster``) starts one on this machine; ``deploy.cluster``
is the same thing as a context manager for tests and fault drills; ``deploy/nginx/`` holds the
load balancer's configuration, shared with docker-compose.yml.
"""
