"""Load testing for MiniTwit: replay the course simulator's scenario with Locust, and more."""
