"""Where copkg finds its store, its bundled data and its limits (flags, then environment)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = [
    "DATA_DIR",
    "ONTOLOGY_DIR",
    "PROJECT_ROOT",
    "QUERY_ROW_CAP",
    "QUERY_TIME_LIMIT_S",
    "bundled_data_paths",
    "default_endpoint",
    "default_store_path",
    "default_users_path",
    "ontology_files",
]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
DATA_DIR = Path(os.environ.get("COPKG_DATA", PROJECT_ROOT / "data"))

#: Limits for user-written queries (console, CLI, endpoint); overridden by COPKG_QUERY_TIME_LIMIT
#: (seconds) and COPKG_QUERY_ROW_CAP.
QUERY_TIME_LIMIT_S = float(os.environ.get("COPKG_QUERY_TIME_LIMIT", "30"))
QUERY_ROW_CAP = int(os.environ.get("COPKG_QUERY_ROW_CAP", "10000"))


def default_store_path() -> Path:
    """``$COPKG_STORE``, else the user data folder (``~/.local/share/copkg/store`` on Linux)."""
    env = os.environ.get("COPKG_STORE")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("copkg")) / "store"


def default_users_path(store: str | Path | None = None) -> Path:
    """The app's users file: ``$COPKG_USERS``, else ``users.json`` beside the store folder
    (``~/.local/share/copkg/users.json`` by default).

    >>> default_users_path("/srv/copkg/store").as_posix()  # doctest: +SKIP
    '/srv/copkg/users.json'
    """
    env = os.environ.get("COPKG_USERS")
    if env:
        return Path(env).expanduser()
    folder = Path(store).expanduser() if store is not None else default_store_path()
    return folder.parent / "users.json"


def default_endpoint() -> str | None:
    """``$COPKG_ENDPOINT``: a SPARQL endpoint URL that replaces the embedded store."""
    return os.environ.get("COPKG_ENDPOINT") or None


def ontology_files() -> list[Path]:
    """The ontology's Turtle files loaded into the ontology graph: ``cop.ttl`` and the
    declarations of partners' vocabularies beside it (``shapes.ttl`` is not data)."""
    return sorted(p for p in ONTOLOGY_DIR.glob("*.ttl") if p.name != "shapes.ttl")


def bundled_data_paths() -> list[Path]:
    """The bundled data, in import order: sourced facts first, then the illustrative sheets."""
    return [DATA_DIR / "cmi.ttl", DATA_DIR / "illustrative"]
