"""gunicorn's settings for production: `gunicorn -c gunicorn.conf.py portal.wsgi`.

Threaded workers (`gthread`), because a download must arrive whole or visibly fail. A
sync worker tells the arbiter it is alive only between requests, so a response that
streams for longer than `timeout` (the full register as CSV: about a minute at 1,000,000
documents) was killed part-way, after the client had its `200 OK` (issue 19). A gthread
worker's main thread reports every second while other threads serve, so `timeout` now
only catches a worker process that is stuck as a whole, and a download lasts as long as
the client reads. A stream that does fail (the database drops, the worker dies) ends
without HTTP/1.1's final empty chunk, which every client reports as an error
(docs/benchmarks.md, "Full downloads"; portal/tests/test_gunicorn_downloads.py).

The whole register is also written every night to files (`manage.py export_register`,
served at /documents/open-data/): most open-data users should take those.

Any setting here can be overridden on the command line (`--workers 5`).
"""

bind = "0.0.0.0:8000"
wsgi_app = "portal.wsgi"
worker_class = "gthread"
workers = 3
# Requests served at once per worker. Each thread holds its own database connection
# (DJANGO_CONN_MAX_AGE): PostgreSQL's max_connections must exceed workers × threads on
# every machine together.
threads = 4
# Seconds a worker may go without reporting before the arbiter kills it: its main thread
# reports every second however long any response takes.
timeout = 30
# On a restart (a deploy, SIGHUP), the seconds a download in progress is given to finish
# before it is cut (visibly, as above).
graceful_timeout = 120
# Behind the reverse proxy, which keeps connections open to reuse them.
keepalive = 5
# gunicorn's runtime control socket (`gunicornc`) is not used: without it, two instances
# on one machine (a deploy beside the running one, tests) share no path.
control_socket_disable = True
