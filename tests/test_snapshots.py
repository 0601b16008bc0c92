"""Readers beside a writer (#10 item 5): the console's query worker, `copkg serve` and read-only
opens read checkpoints, never the folder being written, so every answer comes from one import
state; the endpoint serves the new state right after an import and names it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests

from graph import KnowledgeGraph
from graph.ingest import import_paths
from graph.store import snapshots
from graph.store.limited import run_limited

THEMES = ("SELECT ?name WHERE { ?t a skos:Concept ; skos:prefLabel ?name "
          "FILTER(STRSTARTS(STR(?t), \"https://w3id.org/copkg/id/\")) }")
SIZES = {0: 40, 1: 7, 2: 25}  # themes per generation: a mix would show in the count


def _write_generation(folder: Path, gen: int) -> None:
    rows = "".join(f"t{i},gen{gen} theme {i}\n" for i in range(SIZES[gen % 3]))
    (folder / "themes.csv").write_text("id,name\n" + rows, encoding="utf-8")


def _check(names: list[str]) -> int:
    """The generation of a consistent answer; fails on a mixed or partial one."""
    gens = Counter(name.split()[0] for name in names)
    assert len(gens) == 1, f"answer mixes states: {dict(gens)}"
    gen = int(next(iter(gens))[3:])
    assert len(names) == SIZES[gen % 3], f"generation {gen}: {len(names)} themes"
    return gen


def test_token_changes_on_every_write_and_old_checkpoints_go(tmp_path: Path) -> None:
    store = tmp_path / "store"
    kg = KnowledgeGraph.open(store)
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    tokens = [kg.state_token()]
    held = snapshots.lease(store)
    assert held is not None and held.name == snapshots.name_for(tokens[0])
    for gen in range(3):
        _write_generation(sheets, gen)
        import_paths(kg, [sheets], replace=True)
        tokens.append(kg.state_token())
    assert len(set(tokens)) == 4 and all(tokens)
    folder = snapshots.snapshots_dir(store)
    kept = sorted(p.name for p in folder.iterdir() if p.is_dir())
    # the leased first checkpoint stays until released; the others in between are gone
    assert kept == sorted({snapshots.name_for(tokens[0]), snapshots.name_for(tokens[-1])})
    ro = KnowledgeGraph.open(store, read_only=True)  # beside the writer: reads the checkpoint
    assert ro.state_token() == tokens[-1]
    assert _check(list(ro.query(THEMES)["name"])) == 2
    ro.close()
    held.release()
    _write_generation(sheets, 3)
    import_paths(kg, [sheets], replace=True)
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == [kg.state_token()]
    # a read-write open of an unchanged store keeps its checkpoint (and its token)
    kg.close()
    kg = KnowledgeGraph.open(store)
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == [kg.state_token()]
    kg.close()


@pytest.mark.slow
def test_imports_beside_console_and_endpoint_readers(tmp_path: Path) -> None:
    store = tmp_path / "store"
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    kg = KnowledgeGraph.open(store)  # this process is the writer
    _write_generation(sheets, 0)
    import_paths(kg, [sheets], replace=True)

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys; from graph.cli import main; sys.exit(main())",
         "--store", str(store), "serve", "--port", str(port), "--time-limit", "10"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    errors: list[str] = []
    seen: dict[str, set[int]] = {"console": set(), "endpoint": set(), "read-only": set()}
    done = threading.Event()

    def reader(kind: str) -> None:
        session = requests.Session()
        while not done.is_set():
            try:
                if kind == "console":
                    table = run_limited(kg, THEMES, time_limit_s=10).table
                    assert table is not None
                    names = list(table["name"])
                elif kind == "endpoint":
                    r = session.get(url, params={"query": THEMES}, timeout=10)
                    assert r.status_code == 200, r.text
                    names = [b["name"]["value"] for b in r.json()["results"]["bindings"]]
                else:
                    with KnowledgeGraph.open(store, read_only=True) as ro:
                        names = list(ro.query(THEMES)["name"])
                seen[kind].add(_check(names))
            except Exception as exc:  # noqa: BLE001 - every failure is collected and reported
                errors.append(f"{kind}: {type(exc).__name__}: {exc}")

    try:
        _wait_up(url, server)
        threads = [threading.Thread(target=reader, args=(k,)) for k in seen]
        for thread in threads:
            thread.start()
        for gen in range(1, 13):
            _write_generation(sheets, gen)
            import_paths(kg, [sheets], replace=True)
            # right after an import the endpoint serves it, and says which state it is
            r = requests.get(url, params={"query": THEMES}, timeout=10)
            names = [b["name"]["value"] for b in r.json()["results"]["bindings"]]
            assert _check(names) == gen
            assert r.headers["X-Copkg-Store-State"] == kg.state_token()
            time.sleep(0.3)
        done.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        done.set()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
        kg.close()
    assert errors == []
    for kind, gens in seen.items():
        assert len(gens) >= 3, f"{kind} saw only generations {sorted(gens)}"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "exited")
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError("copkg serve did not come up")
