"""Gunicorn, the production server: `make serve`, or `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be changed from the environment; the defaults suit one
machine behind a reverse proxy or load balancer.
"""

import multiprocessing
import os


def env(name: str, default: str) -> str:
    # An empty variable (as in .env.example) means the default.
    return os.environ.get(name) or default


bind = env("GUNICORN_BIND", f"{env('HOST', '127.0.0.1')}:{env('PORT', '8000')}")

# The work is bound by the processor (rendering, or answering from the page
# cache) with short waits on the database and Redis: one process per core plus
# one keeps every core busy. More processes only crowd each other: on 2 cores
# a kept release page was answered 30% slower with 8 processes than with 3.
workers = int(env("WEB_CONCURRENCY", str(multiprocessing.cpu_count() + 1)))
# Without Redis, the processes share the cache through files on this machine.
threads = int(env("GUNICORN_THREADS", "1"))

# A request that takes this long is stuck: the worker is replaced.
timeout = int(env("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Replaced now and then, so that no slow leak can grow for ever; rarely, since
# a new worker's first requests are slow (connections, templates).
max_requests = int(env("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
preload_app = True

accesslog = env("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = env("LOG_LEVEL", "info").lower()
# The client address as the proxy in front saw it, then the usual fields and the time taken.
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = env("FORWARDED_ALLOW_IPS", "127.0.0.1")
