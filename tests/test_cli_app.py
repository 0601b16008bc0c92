"""``copkg app``: starts the explorer on this machine, refuses a network address without users."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser import free_port

from graph.access.users import UsersFile
from graph.cli import main

ROOT = Path(__file__).resolve().parents[1]
COPKG = [sys.executable, "-c",
         "import sys; from graph.cli import main; sys.exit(main(sys.argv[1:]))"]




def test_network_address_without_users_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    users = tmp_path / "users.json"
    code = main(["app", "--host", "0.0.0.0", "--users", str(users), "--check"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("copkg app: The app would listen on 0.0.0.0, where everyone signs in")
    assert f"the users file {users} has no users" in err
    assert "copkg users add NAME --role admin" in err


def test_network_address_with_a_user_may_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    users = UsersFile(tmp_path / "users.json")
    users.add("amina", "admin", "a long enough password")
    code = main(["app", "--host", "192.168.1.20", "--users", str(users.path), "--check"])
    assert code == 0
    assert f"sign-in on, users from {users.path}" in capsys.readouterr().err


def test_this_machine_needs_no_users(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["app", "--users", str(tmp_path / "none.json"), "--check"])
    assert code == 0
    assert "http://127.0.0.1:8501 — this machine only, no sign-in" in capsys.readouterr().err


def test_refused_start_leaves_no_server(tmp_path: Path) -> None:
    """Without --check too: exit 1 at once, nothing listens on the port."""
    port = free_port()
    env = dict(os.environ, COPKG_USERS=str(tmp_path / "users.json"),
               COPKG_STORE=str(tmp_path / "store"))
    done = subprocess.run(
        [*COPKG, "app", "--host", "0.0.0.0", "--port", str(port)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1
    assert "has no users" in done.stderr
    assert "Traceback" not in done.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # still free


@pytest.mark.slow
def test_app_starts_on_loopback_and_stops(tmp_path: Path, bundled_store_dir: Path) -> None:
    """The real thing: `copkg app` serves the app on 127.0.0.1 and stops on SIGTERM."""
    port = free_port()
    env = dict(os.environ, COPKG_STORE=str(bundled_store_dir), COPKG_READ_ONLY="1",
               COPKG_USERS=str(tmp_path / "users.json"))
    proc = subprocess.Popen(
        [*COPKG, "app", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=5) as answer:
                    assert answer.read() == b"ok"
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
                assert time.monotonic() < deadline, "the app did not start within 120 s"
                time.sleep(0.5)
        # Bound to this machine only: the configured address, not every interface.
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True,
                                   text=True, check=True).stdout.split()
        assert listening[3] == f"127.0.0.1:{port}", listening
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode is not None
    with socket.socket() as s, pytest.raises(ConnectionRefusedError):
        s.connect(("127.0.0.1", port))  # nobody listens any more

