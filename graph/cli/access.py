"""``copkg`` sub-commands of the access area: users, forget, audit."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import pandas as pd

from ..access.audit import (
    Activity,
    audit_log,
    cli_actor,
    flush_pending,
    readable_log,
    record_or_queue,
)
from ..access.erasure import forget
from ..access.roles import ROLES
from ..access.users import UsersFile
from ..config import default_users_path
from ..errors import CopkgError
from . import common
from .common import add_store_options, open_graph, say, write_table

__all__ = ["register"]

_FORMATTER = argparse.RawDescriptionHelpFormatter


def register(commands: argparse._SubParsersAction) -> None:
    """Add this area's sub-commands to ``copkg``."""
    users = commands.add_parser(
        "users", help="who may sign in to the app, with which role",
        formatter_class=_FORMATTER,
        description="The app asks people to sign in when it is bound to another address than "
        "127.0.0.1. Roles: viewer (browse, maps, saved queries), editor (+ import, stories, "
        "personal data), admin (+ users, erasure). The users file is $COPKG_USERS, else "
        "users.json beside the store folder.\n\nexamples:\n"
        "  copkg users add amina --role admin          # asks for the password twice\n"
        "  printf 'secret-pass\\n' | copkg users add bob --role viewer --password-stdin\n"
        "  copkg users list\n  copkg users remove bob",
    )
    add_store_options(users)
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    sub = actions.add_parser("add", help="add a user (or change one with --replace)")
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("--role", required=True, choices=ROLES)
    sub.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input (scripts)")
    sub.add_argument("--replace", action="store_true",
                     help="change the role and password of an existing user")
    _users_file_option(sub)
    sub.set_defaults(handler=_users_add)
    sub = actions.add_parser("remove", help="remove a user")
    sub.add_argument("name", metavar="NAME")
    _users_file_option(sub)
    sub.set_defaults(handler=_users_remove)
    sub = actions.add_parser("list", help="list the users and their roles")
    sub.add_argument("--format", default="table", choices=("table", "csv", "json"))
    _users_file_option(sub)
    sub.set_defaults(handler=_users_list)

    sub = commands.add_parser(
        "forget", help="erase a person from every graph (GDPR erasure)",
        formatter_class=_FORMATTER,
        description="Removes the person (by id, name or IRI) from every graph: names, "
        "affiliations, memberships, authorship and participation links, and the provenance "
        "records of these; prints what was removed. The audit keeps the date and a salted "
        "hash, not the person. Re-importing a file that still names them is refused until the "
        "file is fixed.\n\nexample:\n  copkg forget p0019 --dry-run\n  copkg forget p0019",
    )
    sub.add_argument("person", metavar="PERSON", help="id (p0019), name or IRI")
    sub.add_argument("--dry-run", action="store_true", help="say what would go; change nothing")
    add_store_options(sub)
    sub.set_defaults(handler=_forget)

    sub = commands.add_parser(
        "audit", help="list imports, erasures and user changes (who, when, what)",
        formatter_class=_FORMATTER,
        description="The audit trail kept in the graph (PROV activities in graph "
        "https://w3id.org/copkg/audit), newest first.\n\nexample:\n  copkg audit --limit 20",
    )
    sub.add_argument("--limit", type=int, default=None, metavar="N")
    sub.add_argument("--format", default="table", choices=("table", "csv", "json"))
    _users_file_option(sub)
    sub.set_defaults(handler=_audit)


def _users_file_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--users", type=Path, metavar="FILE", default=None,
                        help="the users file (default: $COPKG_USERS, else users.json beside "
                        "the store folder)")
    add_store_options(parser)


def _users_file(args: argparse.Namespace) -> UsersFile:
    return UsersFile(args.users or default_users_path(getattr(args, "store", None)))


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin or not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise CopkgError("error.no_password_stdin")
        return line.rstrip("\r\n")
    first = getpass.getpass(f"Password for {args.name}: ")
    if getpass.getpass("Once more: ") != first:
        raise CopkgError("error.passwords_differ")
    return first


def _audit_user_change(args: argparse.Namespace, users: UsersFile, what: str) -> None:
    written = record_or_queue(lambda: open_graph(args, read_only=False),
                              Activity("users", cli_actor(), what), users.path)
    if not written:
        print(say("cli.audit_pending"), file=sys.stderr)


def _users_add(args: argparse.Namespace) -> int:
    users = _users_file(args)
    existed = users.get(args.name) is not None
    record = users.add(args.name, args.role, _read_password(args), replace=args.replace)
    verb = "changed" if existed else "added"
    print(say(f"cli.user_{verb}", name=record.name, role=record.role, path=users.path))
    _audit_user_change(args, users, f"user {record.name} {verb} ({record.role})")
    return 0


def _users_remove(args: argparse.Namespace) -> int:
    users = _users_file(args)
    record = users.remove(args.name)
    print(say("cli.user_removed", name=record.name, role=record.role, path=users.path))
    _audit_user_change(args, users, f"user {record.name} removed (was {record.role})")
    return 0


def _users_list(args: argparse.Namespace) -> int:
    users = _users_file(args)
    records = users.records()
    if not records and args.format == "table":
        print(say("cli.no_users", path=users.path))
        return 0
    df = pd.DataFrame([{"name": r.name, "role": r.role, "created": r.created}
                       for r in records], columns=["name", "role", "created"])
    write_table(df, args.format)
    return 0


def _forget(args: argparse.Namespace) -> int:
    with open_graph(args, read_only=args.dry_run) as kg:
        report = forget(kg, args.person, who=cli_actor(), dry_run=args.dry_run)
    lines = report.lines()
    if args.dry_run:
        lines[0] = "would have " + lines[0] + " (dry run: nothing changed)"
    elif not report.removed:
        lines[0] = f"nothing to remove about {report.label}"
    print("\n".join(lines))
    return 0


def _audit(args: argparse.Namespace) -> int:
    users_path = args.users or default_users_path(getattr(args, "store", None))
    try:
        kg = open_graph(args, read_only=False)
    except CopkgError:  # the app holds the store: read it as it is
        kg = open_graph(args, read_only=True)
    with kg:
        flush_pending(kg, users_path)
        df = audit_log(kg, args.limit, users_path)
    if not len(df) and args.format == "table":
        print(say("cli.audit_empty"))
        return 0
    if args.format == "table":  # full hashes in csv/json; their first 12 digits to read
        df["file_hash"] = df["file_hash"].map(lambda h: " ".join(x[:12] for x in h.split()))
        df = readable_log(df, common.LANGUAGE)  # the records stay English in csv/json
    write_table(df, args.format)
    return 0
