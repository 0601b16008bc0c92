"""Options and helpers shared by every ``copkg`` sub-command."""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..csv_writer import write_csv
from ..errors import CopkgError
from ..ingest.bootstrap import open_graph as _open_graph
from ..network.filters import Filters, parse_filters
from ..store import KnowledgeGraph
from ..text import neutralise_bidi
from ..vocab import PREFIXES

__all__ = [
    "LANGUAGE",
    "add_filter_options",
    "add_store_options",
    "language",
    "say",
    "compact_iri",
    "count",
    "filters_from_args",
    "open_graph",
    "prepare_output",
    "write_table",
]

# Longest namespace first, so ``id:`` wins over a shorter prefix of the same IRI.
_NAMESPACES = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def compact_iri(value: object) -> object:
    """``id:org/afd`` for ``https://w3id.org/copkg/id/org/afd``; anything else unchanged.

    >>> compact_iri("https://w3id.org/copkg/id/org/afd"), compact_iri("AFD")
    ('id:org/afd', 'AFD')
    """
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        for name, namespace in _NAMESPACES:
            if value.startswith(namespace) and len(value) > len(namespace):
                return f"{name}:{value[len(namespace):]}"
    return value


def _shown(value: object) -> object:
    """A table cell as printed: IRIs shortened, bidirectional controls made visible."""
    value = compact_iri(value)
    return neutralise_bidi(value) if isinstance(value, str) else value


#: The language of the CLI's human output for this run (``--lang`` or ``$COPKG_LANG``), set by
#: :func:`graph.cli.main`: messages, names, reasons, definitions and a saved query's ``lang``
#: parameter follow it; CSV and JSON keep their column names and codes.
LANGUAGE = "en"


def language(args: argparse.Namespace) -> str:
    """The language asked with ``--lang`` (else ``$COPKG_LANG``, else English).

    >>> language(argparse.Namespace(lang="ar")), language(argparse.Namespace())
    ('ar', 'en')
    """
    from ..i18n import LANGUAGES, normalize_language

    wanted = getattr(args, "lang", None) or os.environ.get("COPKG_LANG") or "en"
    lang = normalize_language(wanted)
    return lang if lang in LANGUAGES else "en"


def say(key: str, /, **values: object) -> str:
    """The CLI message ``key`` of the catalogue in this run's language (numbers per locale).

    >>> say("cli.wrote", path="out.csv")
    'wrote out.csv'
    """
    from ..i18n import t

    return t(key, LANGUAGE, **values)


def count(least: int) -> Callable[[str], int]:
    """An argparse ``type`` for a whole number of at least ``least`` (``--top``, ``-k``...):
    anything else is a usage error naming the option and the range (exit 2).

    >>> count(1)("3")
    3
    >>> count(1)("-3")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a whole number of at least 1, not -3
    """

    def whole(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            value = None
        if value is None or value < least:
            raise argparse.ArgumentTypeError(say("cli.count_range", least=least, value=text))
        return value

    whole.__name__ = "count"  # argparse names the type in its own messages
    return whole


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """``--store DIR`` and ``--endpoint URL`` (each also read from the environment), and
    ``--lang`` for the human output."""
    group = parser.add_argument_group("where the graph is")
    group.add_argument(
        "--store",
        metavar="DIR",
        type=Path,
        default=argparse.SUPPRESS,
        help="folder of the embedded store (default: $COPKG_STORE or ~/.local/share/copkg/store)",
    )
    group.add_argument(
        "--endpoint",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="read from this SPARQL 1.1 endpoint instead (default: $COPKG_ENDPOINT); "
        "credentials come from $COPKG_ENDPOINT_USER / $COPKG_ENDPOINT_PASSWORD",
    )
    parser.add_argument(
        "--lang", choices=("en", "fr", "ar"), default=argparse.SUPPRESS,
        help="language of messages, names, reasons and saved-query titles (default: "
        "$COPKG_LANG or en); CSV and JSON keep their column names and codes",
    )


def add_filter_options(parser: argparse.ArgumentParser, *, ties: bool = True) -> None:
    """The filters every network command (``metrics`` ... ``communities``, ``gaps``, ``map``)
    takes (``ties=False``: all but ``--ties``, for answers that draw no tie).

    Parsed by :func:`filters_from_args` through :func:`graph.network.parse_filters`, the one
    parser the app and stories use too: comma lists or repeated options, ``all``.
    """
    group = parser.add_argument_group("filters (comma lists or repeated options; ids, IRIs or "
                                      "names; 'all' = no restriction)")
    group.add_argument("--community", action="append", default=[], metavar="ID",
                       help="only this community's products, events and members "
                            "(e.g. urban-transport or a,b)")
    group.add_argument("--country", action="append", default=[], metavar="CC",
                       help="only actors of this country (ISO code or name, e.g. TN,MA)")
    group.add_argument("--org-type", action="append", default=[], metavar="TYPE",
                       help="only organisations of this type, e.g. bank,city")
    group.add_argument("--from", dest="year_from", metavar="YEAR",
                       help="products and events from this year")
    group.add_argument("--to", dest="year_to", metavar="YEAR",
                       help="products and events up to this year")
    if ties:
        group.add_argument("--ties", action="append", default=[], metavar="KINDS",
                           help="kinds of tie: coauthorship,event,community or all "
                                "(default coauthorship,event)")


def filters_from_args(args: argparse.Namespace) -> Filters:
    """:class:`~graph.network.Filters` from the options of :func:`add_filter_options`."""
    return parse_filters(
        communities=args.community, countries=args.country, org_types=args.org_type,
        year_from=args.year_from, year_to=args.year_to, ties=getattr(args, "ties", None),
    )


def open_graph(args: argparse.Namespace, *, read_only: bool = True) -> KnowledgeGraph:
    """Open the graph the command line (or the environment) names (a new store gets the
    bundled data)."""
    return _open_graph(
        getattr(args, "store", None),
        endpoint=getattr(args, "endpoint", None),
        read_only=read_only,
    )


def prepare_output(path: Path, *, folder: bool = False) -> Path:
    """Check, before any work, that ``path`` (a file, or a ``folder``) can be written there;
    creates the folders it needs. Raises :class:`CopkgError` with a one-line reason.

    >>> import tempfile
    >>> prepare_output(Path(tempfile.mkdtemp()) / ("x" * 300 + ".html"))
    Traceback (most recent call last):
    ...
    graph.errors.CopkgError: cannot write .../xxx...x.html: the file name is longer than 255 bytes.
    """
    where = path if folder else path.parent
    shown = str(path) if len(str(path)) <= 80 else f"{str(path)[:20]}...{str(path)[-20:]}"
    if any(len(part.encode("utf-8", "surrogateescape")) > 255 for part in path.parts):
        raise CopkgError("error.write_name_too_long", path=shown)
    existing = _existing_ancestor(where)
    if not existing.is_dir():
        raise CopkgError("error.write_not_folder", path=shown, existing=str(existing))
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CopkgError("error.write_failed", path=shown, detail=str(exc.strerror or exc)) \
            from None
    if not folder and path.is_dir():
        raise CopkgError("error.write_is_folder", path=shown)
    if not os.access(where, os.W_OK):
        raise CopkgError("error.write_not_writable", path=shown, folder=str(where))
    return path


def _existing_ancestor(folder: Path) -> Path:
    """``folder`` or its deepest ancestor that exists."""
    for parent in [folder, *folder.parents]:
        try:
            if parent.exists():
                return parent
        except OSError:  # a component too long: its parent decides
            continue
    return folder


def write_table(df: pd.DataFrame, fmt: str, out: Path | None = None, *,
                empty: str | None = None) -> None:
    """Print (or write to ``out``) a table as ``table``, ``csv`` or ``json``.

    The ``table`` format is for reading: IRIs are shortened with the project prefixes and
    numbers shown with 6 significant digits. CSV and JSON keep full IRIs and full precision
    (every float as Python writes it back exactly; NaN as empty / null). An empty result is
    ``(no rows)`` in a table, a header line in CSV, ``[]`` in JSON, and ``empty`` (why it is
    empty; by default ``df.attrs["empty_reason"]``) goes to stderr as one line.
    """
    if empty is None:
        empty = df.attrs.get("empty_reason")
    if fmt == "csv":
        text = write_csv(df)
    elif fmt == "json":
        text = json.dumps(_records(df), ensure_ascii=False, indent=2)
    else:
        df = df.apply(
            lambda column: column.map(_shown)
            if column.dtype == object or pd.api.types.is_string_dtype(column) else column
        )
        with pd.option_context(
            "display.max_rows", None, "display.max_columns", None, "display.width", 200,
            "display.max_colwidth", 60, "display.float_format", "{:.6g}".format,
        ):
            text = df.to_string(index=False) if len(df) else f"({say('cli.no_rows')})"
        text += "\n"
    if len(df) == 0 and empty:
        print(" ".join(str(empty).split()), file=sys.stderr)  # one line
    if out is not None:
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _records(df: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as plain Python values: floats exactly (repr round-trips), NaN/NA as None."""
    rows = []
    for record in df.to_dict("records"):
        row: dict[str, object] = {}
        for key, value in record.items():
            if hasattr(value, "item") and not isinstance(value, str | bytes):
                value = value.item()
            if (isinstance(value, float) and not math.isfinite(value)) \
                    or value is pd.NA or value is pd.NaT:
                value = None
            elif isinstance(value, pd.Timestamp | datetime.date):
                value = value.isoformat()
            elif isinstance(value, list | tuple | set):
                value = list(value)
            row[str(key)] = value
        rows.append(row)
    return rows
