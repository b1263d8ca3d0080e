-- wrk: POST a simulator message (JSON body) on every request; the URL names the user and
-- `-H "Authorization: ..."` carries the simulator's credentials (tests/benchmarks/bench_servers.py).
wrk.method = "POST"
wrk.body = '{"content": "Benchmarked by wrk over a keep-alive connection."}'
wrk.headers["Content-Type"] = "application/json"
