"""gunicorn settings for MAM behind a TLS proxy (docs/deployment.md): `gunicorn -c gunicorn.conf.py wsgi:app`.

Options given on the command line win over these, e.g. `--bind unix:/run/mam/gunicorn.sock`.
"""

import os

# Only the TLS proxy on this machine talks to gunicorn: loopback (or a unix socket), never 0.0.0.0.
bind = "127.0.0.1:8000"

# Threads, not one request per process: a client that sends its request slowly holds one thread (gunicorn
# hands a connection with no data yet back to its poller), not a whole worker. Every worker counts rate limits
# on its own unless RATELIMIT_STORAGE_URI points at Redis.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))  # gunicorn's usual variable; 2-4 per core
threads = 8

# A request running longer than this gets its worker restarted; stopping waits as long for requests in flight.
timeout = 30
graceful_timeout = 30
# Idle kept-alive connections from the proxy are closed after this many seconds.
keepalive = 5

# Request line and headers: gunicorn's limits, stated here so that nobody raises them by accident.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# X-Forwarded-Proto is believed only from the proxy on this machine (a unix socket's peer always is); the
# client's address comes from X-Forwarded-For through the app's PROXY_FIX_HOPS.
forwarded_allow_ips = "127.0.0.1,::1"

# Restart each worker now and then (at different times), so that slow leaks never add up.
max_requests = 2000
max_requests_jitter = 200

accesslog = "-"
errorlog = "-"
