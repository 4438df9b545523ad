"""`secassure serve` uses the machine's cores: several waitress processes share one socket
(issue 8, "Throughput"), and none of them outlives the server."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

SECASSURE = Path(sys.executable).with_name("secassure")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/code/", timeout=5) as page:
            return page.status == 200
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table in /proc")
def test_two_workers_share_the_port_and_leave_with_the_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECASSURE_DEMO"}}
    env["SECASSURE_DATA_DIR"] = str(tmp_path / "data")
    port = free_port()
    server = subprocess.Popen([str(SECASSURE), "serve", "--port", str(port), "--workers", "2",
                               "--threads", "4"], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not answers(port):
            assert server.poll() is None, server.communicate()[0]
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.25)
        workers = children_of(server.pid)
        assert len(workers) == 2
        with ThreadPoolExecutor(8) as pool:
            assert all(pool.map(lambda _: answers(port), range(40)))
        server.kill()  # the parent dies without a chance to stop its workers
        server.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid)
                  for pid in workers):
            assert time.monotonic() < deadline, "a worker outlived the server"
            time.sleep(0.2)
        assert not answers(port)
    finally:
        if server.poll() is None:
            server.kill()
        server.communicate(timeout=10)


def _state(pid: int) -> str:
    try:
        return "zombie" if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] \
            == "Z" else "running"
    except OSError:
        return "zombie"
