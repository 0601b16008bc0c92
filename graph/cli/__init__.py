"""The ``copkg`` command: one sub-command per question, errors as messages, not tracebacks.

Exit codes: 0 success, 1 a data, query or file error (one line on stderr, no traceback), 2
misuse (bad arguments), 130 interrupted.
Each area registers its sub-commands from its own module (``data``, ``query``, ``network``,
``maps``, ``access``, ``timeplace``, ``app``), so this file stays a router.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import CopkgError
from . import access, app, common, data, maps, network, query, timeplace
from .common import add_store_options

__all__ = ["build_parser", "main"]

_AREAS = (data, query, network, maps, access, timeplace, app)


def build_parser() -> argparse.ArgumentParser:
    """The full ``copkg`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="copkg",
        description="Knowledge-graph explorer for communities of practice.",
    )
    add_store_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for area in _AREAS:
        area.register(commands)
    # Global options are accepted after the sub-command too (`copkg query X.rq --store DIR`).
    for sub in commands.choices.values():
        if "--store" not in sub._option_string_actions:
            add_store_options(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``copkg`` with ``argv``; returns the exit code (also used by the console script)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    common.LANGUAGE = common.language(args)
    try:
        code = args.handler(args)
    except CopkgError as exc:
        print(f"copkg {args.command}: {exc.text(common.LANGUAGE)}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # A file or folder the user named cannot be read or written: one line, no traceback.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"copkg {args.command}: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"copkg {args.command}: {common.say('cli.interrupted')}", file=sys.stderr)
        return 130
    finally:  # one run's --lang does not leak into the next caller in this process
        common.LANGUAGE = "en"
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
