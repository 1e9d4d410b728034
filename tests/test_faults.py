"""Failing services: the site answers honestly while they are down and recovers by itself.

The database tests run a real server (gunicorn) in another process and point
it at 127.0.0.1 ports this test controls: closed, then forwarded to the real
PostgreSQL, then closed again. The shared PostgreSQL and Redis are never
stopped.
"""

import contextlib
import logging
import os
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.core.cache import caches
from django.test import override_settings

from core.cache_backends import cache_is_failing
from tests.real_services import (
    PG_HOST,
    PG_PORT,
    REDIS_HOST,
    REDIS_PORT,
    ROOT,
    answers,
    free_port,
    scratch_postgres,
)


class TCPForwarder:
    """A port that can be opened (forwarding to a real service) and closed at will."""

    def __init__(self, port: int, target: tuple[str, int]):
        self.port, self.target = port, target
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.stopping = threading.Event()

    def open(self):
        self.stopping.clear()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen()
        self.listener.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self.stopping.set()
        for sock in [self.listener, *self.sockets]:
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
        self.listener, self.sockets = None, []

    def _accept(self):
        listener = self.listener
        while not self.stopping.is_set():
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, a: socket.socket, b: socket.socket):
        try:
            while not self.stopping.is_set():
                readable, _w, _x = select.select([a, b], [], [], 0.2)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (b if sock is a else a).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for sock in (a, b):
                with contextlib.suppress(OSError):
                    sock.close()


class Server:
    """The site served by gunicorn, as in production, with its own environment."""

    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        environment = {
            k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL"}
        }
        environment.update(env, DJANGO_SETTINGS_MODULE="tests.settings", DEBUG="0", CONN_MAX_AGE="60")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                "1",
            ],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while not answers("127.0.0.1", self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(self.process.stderr.read().decode()[-3000:])
            time.sleep(0.2)

    def get(self, path: str) -> tuple[int, dict, str]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.process.stderr.close()


def assert_unavailable_page(status, headers, body):
    assert status == 503
    assert int(headers["Retry-After"]) > 0
    assert "Temporarily unavailable" in body
    assert "Temporairement indisponible" in body
    assert 'lang="fr"' in body
    for leak in ("Traceback", "OperationalError", "psycopg", "connection refused", str(PG_PORT)):
        assert leak.lower() not in body.lower()


def test_public_pages_answer_a_bilingual_503_while_the_database_is_unreachable():
    closed = free_port()
    server = Server({"DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed}/newsroom"})
    try:
        for path in ("/en/", "/fr/", "/en/newsroom/", "/fr/salle-de-presse/2005/"):
            assert_unavailable_page(*server.get(path))
        _status, headers, _body = server.get("/en/")
        assert "Content-Security-Policy" in headers
    finally:
        server.stop()


@pytest.fixture
def scratch_database():
    with scratch_postgres() as name:
        yield name


def test_site_recovers_by_itself_when_the_database_comes_back(scratch_database):
    forwarder = TCPForwarder(free_port(), (PG_HOST, PG_PORT))
    server = Server({"DATABASE_URL": f"postgres://postgres@127.0.0.1:{forwarder.port}/{scratch_database}"})
    try:
        assert_unavailable_page(*server.get("/en/"))
        forwarder.open()
        assert server.get("/en/")[0] == 200
        assert server.get("/fr/")[0] == 200
        # The database goes away under an open connection, then returns.
        forwarder.close()
        # A page already kept by the page cache is still served; one that must be read is not.
        assert server.get("/fr/")[0] == 200
        assert_unavailable_page(*server.get("/fr/salle-de-presse/"))
        forwarder.open()
        assert server.get("/fr/salle-de-presse/")[0] == 200
    finally:
        server.stop()
        forwarder.close()


def test_pages_are_served_by_a_real_server_while_redis_is_unreachable():
    with scratch_postgres(reference=True) as name:
        server = Server(
            {
                "DATABASE_URL": f"postgres://postgres@{PG_HOST}:{PG_PORT}/{name}",
                "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
            }
        )
        try:
            for _reader in range(2):
                status, _headers, body = server.get("/en/newsroom/")
                assert status == 200
                assert "Canada-U.S. cooperation to tackle cross-border crime" in body
        finally:
            server.stop()


def closed_redis_settings(port: int) -> dict:
    options = {"LOCATION": f"redis://127.0.0.1:{port}/0", "OPTIONS": {"socket_connect_timeout": 0.5}}
    return {
        "default": {"BACKEND": "core.cache_backends.FailOpenRedisCache", **options},
        "strict": {"BACKEND": "django.core.cache.backends.redis.RedisCache", **options},
    }


def test_cache_fails_open_when_redis_is_down_and_says_so_once(caplog):
    with override_settings(CACHES=closed_redis_settings(free_port())):
        cache = caches["default"]
        with caplog.at_level(logging.WARNING, logger="core.cache_backends"):
            for _request in range(20):
                assert cache.get("page") is None
                assert cache.get("page", "fallback") == "fallback"
                cache.set("page", "value")
                assert cache.get_many(["a", "b"]) == {}
                assert cache.add("lock", 1) is False
                assert cache.get_or_set("computed", lambda: 42) == 42
        assert cache_is_failing("default")
        messages = [record.getMessage() for record in caplog.records]
        assert messages == ["cache unavailable, serving without it"]


def test_callers_that_need_the_cache_learn_that_it_is_down():
    with override_settings(CACHES=closed_redis_settings(free_port())):
        from redis.exceptions import ConnectionError as RedisConnectionError

        with pytest.raises(RedisConnectionError):
            caches["strict"].incr("send-limit")
        with pytest.raises(RedisConnectionError):
            caches["default"].incr("send-limit")


def test_pages_are_served_while_redis_is_down(client, reference):
    with override_settings(CACHES=closed_redis_settings(free_port())):
        for path in ("/en/", "/fr/", "/en/newsroom/"):
            assert client.get(path).status_code == 200


def test_cache_logs_once_more_when_redis_comes_back(caplog):
    if not answers(REDIS_HOST, REDIS_PORT):
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    forwarder = TCPForwarder(free_port(), (REDIS_HOST, REDIS_PORT))
    settings = closed_redis_settings(forwarder.port)
    for alias in settings.values():
        alias["LOCATION"] = f"redis://127.0.0.1:{forwarder.port}/7"
        alias["KEY_PREFIX"] = "newsroom-fault-test"
    try:
        with override_settings(CACHES=settings), caplog.at_level(logging.INFO, logger="core.cache_backends"):
            cache = caches["default"]
            assert cache.get("key", "miss") == "miss"
            forwarder.open()
            cache.set("key", "stored")
            assert cache.get("key") == "stored"
            assert not cache_is_failing("default")
            cache.delete("key")
            assert [record.getMessage() for record in caplog.records] == [
                "cache unavailable, serving without it",
                "cache available again",
            ]
    finally:
        forwarder.close()
