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
from typing import NoReturn

from ..errors import CopkgError
from . import access, app, common, data, maps, network, query, timeplace
from .common import add_store_options

__all__ = ["build_parser", "main"]

_AREAS = (data, query, network, maps, access, timeplace, app)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line: what is wrong (the option and the
    values it takes) and where the options are listed; exit 2. Sub-commands inherit it."""

    def error(self, message: str) -> NoReturn:
        hint = common.say("cli.see_help", command=f"{self.prog} --help")
        self.exit(2, f"{self.prog}: {' '.join(message.split())} ({hint})\n")


def build_parser() -> argparse.ArgumentParser:
    """The full ``copkg`` argument parser."""
    parser = _Parser(
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
    argv = list(sys.argv[1:] if argv is None else argv)
    # The language first, so that usage errors are said in it too.
    common.LANGUAGE = common.language(argparse.Namespace(lang=_asked_language(argv)))
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit:  # a usage error (or --help): the language does not leak either
        common.LANGUAGE = "en"
        raise
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


def _asked_language(argv: list[str]) -> str | None:
    """The value of ``--lang`` in ``argv`` (``--lang fr`` or ``--lang=fr``), if any."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
