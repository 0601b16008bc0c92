"""``copkg app``: start the Streamlit explorer, refusing to share it on a network without users.

Streamlit runs ``app.py`` only when a browser opens a page, so the app itself can only refuse
page by page. This launcher checks before the server starts: bound to another address than this
machine, it needs at least one user in the users file (``copkg users add NAME --role admin``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path

from ..access.users import UsersFile, sign_in_required
from ..config import default_users_path
from ..errors import CopkgError
from .common import add_store_options

__all__ = ["app_script", "check_can_start", "register", "streamlit_command"]

_FORMATTER = argparse.RawDescriptionHelpFormatter


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``copkg app`` to ``copkg``."""
    sub = commands.add_parser(
        "app", help="start the explorer app (Streamlit) on the store",
        formatter_class=_FORMATTER,
        description="Starts the Streamlit app on this machine only (127.0.0.1) unless --host "
        "names another address. On any other address everyone signs in, so the app refuses "
        "to start until the users file has a user.\n\nexamples:\n"
        "  copkg app                                  # http://127.0.0.1:8501, no sign-in\n"
        "  copkg users add amina --role admin\n"
        "  copkg app --host 0.0.0.0 --port 8501       # shared on the network, sign-in",
    )
    sub.add_argument("--host", default=None, metavar="ADDRESS",
                     help="address to listen on (default: server.address of "
                     ".streamlit/config.toml, i.e. 127.0.0.1)")
    sub.add_argument("--port", type=int, default=None, metavar="N",
                     help="port (default: Streamlit's, 8501)")
    sub.add_argument("--users", type=Path, default=None, metavar="FILE",
                     help="the users file (default: $COPKG_USERS, else users.json beside the "
                     "store folder)")
    sub.add_argument("--check", action="store_true",
                     help="only check that the app may start with these settings; start nothing")
    add_store_options(sub)
    sub.set_defaults(handler=_app)


def app_script() -> Path:
    """The ``app.py`` of this copkg checkout (the app is not part of the installed package)."""
    script = Path(__file__).resolve().parents[2] / "app.py"
    if not script.is_file():
        raise CopkgError("error.no_app_script", path=str(script))
    return script


def configured_address(app_folder: Path) -> str:
    """``server.address`` from ``.streamlit/config.toml`` beside ``app.py`` (127.0.0.1 if unset).

    >>> import tempfile
    >>> configured_address(Path(tempfile.mkdtemp()))
    '127.0.0.1'
    """
    config = app_folder / ".streamlit" / "config.toml"
    try:
        settings = tomllib.loads(config.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "127.0.0.1"
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CopkgError("error.config_unreadable", path=str(config), detail=str(exc)) from exc
    address = settings.get("server", {}).get("address")
    return str(address) if address else "127.0.0.1"


def check_can_start(host: str, users: UsersFile) -> bool:
    """Whether sign-in will be asked; raises :class:`CopkgError` when it would be needed and
    nobody could sign in.

    >>> import tempfile
    >>> empty = UsersFile(Path(tempfile.mkdtemp()) / "users.json")
    >>> check_can_start("127.0.0.1", empty)
    False
    >>> check_can_start("0.0.0.0", empty)
    Traceback (most recent call last):
    ...
    graph.errors.CopkgError: The app would listen on 0.0.0.0, where everyone signs in, but ...
    """
    needed = sign_in_required(host)
    if needed and len(users) == 0:
        raise CopkgError("error.app_needs_users", host=host, path=str(users.path))
    return needed


def streamlit_command(script: Path, host: str, port: int | None) -> list[str]:
    """The ``streamlit run`` command line for ``script`` on ``host`` (and ``port``).

    >>> " ".join(streamlit_command(Path("/x/app.py"), "127.0.0.1", 8600)[1:])
    '-m streamlit run /x/app.py --server.address 127.0.0.1 --server.port 8600'
    """
    command = [sys.executable, "-m", "streamlit", "run", str(script),
               "--server.address", host]
    if port is not None:
        command += ["--server.port", str(port)]
    return command


def _app(args: argparse.Namespace) -> int:
    script = app_script()
    host = args.host or configured_address(script.parent)
    store = getattr(args, "store", None)
    users_path = args.users or default_users_path(store)
    needed = check_can_start(host, UsersFile(users_path))
    print(f"copkg app: http://{host}:{args.port or 8501} — "
          + (f"sign-in on, users from {users_path}" if needed else "this machine only, no sign-in"),
          file=sys.stderr)
    if args.check:
        return 0
    env = dict(os.environ, COPKG_USERS=str(users_path))
    if store is not None:
        env["COPKG_STORE"] = str(store)
    if getattr(args, "endpoint", None):
        env["COPKG_ENDPOINT"] = str(args.endpoint)
    # Streamlit reads .streamlit/config.toml from the working folder: start beside app.py.
    os.chdir(script.parent)
    os.execve(sys.executable, streamlit_command(script, host, args.port), env)
    return 0  # pragma: no cover (execve does not return)
