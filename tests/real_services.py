"""The machine's real services, for tests that need them outside the test database."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PG_HOST, PG_PORT = "127.0.0.1", 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def postgres_url(name: str, port: int = PG_PORT) -> str:
    return f"postgres://postgres@{PG_HOST}:{port}/{name}"


def manage(*args: str, database_url: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        **(env or {}),
        "DATABASE_URL": database_url,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
    )


@contextlib.contextmanager
def scratch_postgres(*, reference: bool = False) -> Iterator[str]:
    """A migrated PostgreSQL database of the caller's own, dropped afterwards."""
    if not answers(PG_HOST, PG_PORT):
        pytest.skip(f"PostgreSQL is not running on {PG_HOST}:{PG_PORT}")
    import psycopg

    name = f"newsroom_scratch_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, user="postgres", dbname="postgres", autocommit=True
    ) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        manage("migrate", "--noinput", "-v0", database_url=postgres_url(name))
        if reference:
            manage("loaddata", "reference", "-v0", database_url=postgres_url(name))
        yield name
    finally:
        with psycopg.connect(
            host=PG_HOST, port=PG_PORT, user="postgres", dbname="postgres", autocommit=True
        ) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class LoopbackProcess:
    """A program of the test's own in a process of its own, logging to a file; most answer HTTP on a loopback port."""

    port: int

    def launch(self, args: list[str], **popen) -> None:
        # A file, not a pipe: a program that logs a lot must never wait for a reader.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop())
        self.process = subprocess.Popen(args, stdout=popen.pop("stdout", self.log), stderr=self.log, **popen)

    def wait_until_it_answers(self, deadline: float) -> None:
        while not answers("127.0.0.1", self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(self.errors())
            time.sleep(0.2)

    def errors(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]

    def get(self, path: str, *, headers: dict | None = None, timeout: float = 15) -> tuple[int, dict, str]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class Server(LoopbackProcess):
    """The site served by gunicorn, as in production, in processes of its own.

    `env` is added to this process's environment, without its database and
    cache addresses: a server uses only the services it is given.
    """

    def __init__(self, env: dict[str, str], *, workers: int = 1, settings: str = "tests.settings"):
        self.port = free_port()
        environment = {
            k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL"}
        }
        environment.update({"DEBUG": "0", "CONN_MAX_AGE": "60", **env, "DJANGO_SETTINGS_MODULE": settings})
        self.launch(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(workers),
            ],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
        )
        self.wait_until_it_answers(time.monotonic() + 30)

    def kill(self):
        """Gone at once, as a crashed machine: its workers with it."""
        subprocess.run(["pkill", "-KILL", "-P", str(self.process.pid)], check=False)
        self.process.kill()
        self.process.wait()


@contextlib.contextmanager
def smtp_sink(handler) -> Iterator[int]:
    """A real SMTP server (aiosmtpd) on a free loopback port, answering with `handler`; yields the port."""
    from aiosmtpd.controller import Controller

    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


def varnish_with_xkey() -> bool:
    return bool(shutil.which("varnishd")) and any(Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so"))


class Varnish(LoopbackProcess):
    """Varnish with the project's VCL (deploy/varnish/) in front of `servers`, on a loopback port."""

    def __init__(self, servers: list["Server"], *, port: int | None = None):
        if not varnish_with_xkey():
            pytest.skip("Varnish with the xkey vmod (Debian: varnish, varnish-modules) is not installed")
        self.port = port or free_port()
        self.workdir = tempfile.TemporaryDirectory(prefix="newsroom-varnish-")
        vcl = Path(self.workdir.name) / "newsroom.vcl"
        render = subprocess.run(
            [sys.executable, str(ROOT / "deploy" / "varnish" / "render")]
            + [f"127.0.0.1:{server.port}" for server in servers],
            check=True,
            capture_output=True,
            text=True,
        )
        vcl.write_text(render.stdout)
        self.launch(
            [
                "varnishd",
                "-F",
                "-j",
                "none",
                "-n",
                str(Path(self.workdir.name) / "instance"),
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(vcl),
                "-s",
                "malloc,64m",
                "-T",
                "none",
            ],
        )
        deadline = time.monotonic() + 30
        self.wait_until_it_answers(deadline)
        # The probes say the app servers are healthy.
        while self.get("/healthz")[0] != 200:
            if time.monotonic() > deadline:
                raise RuntimeError(self.errors())
            time.sleep(0.2)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stop(self):
        super().stop()
        self.workdir.cleanup()


class Worker(LoopbackProcess):
    """`manage.py db_worker`, the task worker, in a process of its own (it answers on no port)."""

    def __init__(self, env: dict[str, str]):
        environment = {
            k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL"}
        }
        environment.update({"DJANGO_SETTINGS_MODULE": "tests.settings", **env})
        self.launch(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
            cwd=ROOT,
            env=environment,
        )
