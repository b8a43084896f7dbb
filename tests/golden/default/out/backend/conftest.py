"""Fixtures shared by every test of the backend."""

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from celery.exceptions import TimeoutError as CeleryTimeout
from celery.result import AsyncResult

PACKAGE = "demo"


@dataclass
class Worker:
    """A real `celery worker` process, consuming a queue of its own."""

    process: subprocess.Popen
    queue: str

    def result(self, async_result: AsyncResult, timeout: float = 30.0):
        """Wait for the worker's result, failing fast if the worker has died."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the Celery worker exited with {self.process.returncode}")
            try:
                return async_result.get(timeout=1)
            except CeleryTimeout:
                continue
        pytest.fail(f"no result from the Celery worker within {timeout} s")


@pytest.fixture(scope="session")
def worker_process():
    """Start `celery worker` on REDIS_URL, for the whole test session."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "--app", PACKAGE, "worker"),
            *("--pool", "solo", "--queues", queue, "--loglevel", "WARNING"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ],
        cwd=Path(__file__).resolve().parent,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": f"{PACKAGE}.settings"},
        start_new_session=True,  # its own process group, so nothing it starts outlives it
    )
    try:
        yield Worker(process, queue)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
