"""Gunicorn, the production server: `make serve`, or `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be changed from the environment; the defaults suit one
machine behind a reverse proxy or load balancer.
"""

import multiprocessing
import os

bind = os.environ.get(
    "GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)

# Pages are rendered by Python, so the work is bound by the processor: about
# two processes per core keep every core busy while others wait on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
if not (os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL")):
    # Without Redis the cache lives in each process: an edit seen by one
    # process would leave stale copies in the others. One process, several
    # threads, keeps the cache exact.
    threads = max(threads, workers)
    workers = 1

# A request that takes this long is stuck: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Replaced now and then, so that no slow leak can grow for ever.
max_requests = 5000
max_requests_jitter = 500
preload_app = True

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The client address as the proxy in front saw it, then the usual fields and the time taken.
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
