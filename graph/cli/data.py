"""``copkg`` sub-commands of the data area: import, validate, stats, export, templates."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ..errors import DataError
from . import common
from .common import add_store_options, open_graph, prepare_output, say

__all__ = ["register"]

_FORMATTER = argparse.RawDescriptionHelpFormatter


def register(commands: argparse._SubParsersAction) -> None:
    """Add this area's sub-commands to ``copkg``."""
    sub = commands.add_parser(
        "import", help="import spreadsheets or RDF files into the store",
        formatter_class=_FORMATTER,
        description="Check every file, then write them all in one transaction (one named "
        "graph per file). Nothing is written if any problem is found; every problem is "
        "listed.\n\nexample:\n  copkg import members.xlsx data/sessions/ partners.ttl",
    )
    sub.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                     help="a CSV file named after its sheet, a folder of them, an .xlsx "
                     "workbook, or an RDF file (.ttl .nt .jsonld .rdf .trig .nq)")
    sub.add_argument("--replace", action="store_true",
                     help="confirm an import that removes more resources than it adds, empties "
                     "a sheet, or changes resources another file defines (without it, such "
                     "an import stops with the list and exit code 1)")
    add_store_options(sub)
    sub.set_defaults(handler=_import)

    sub = commands.add_parser(
        "validate", help="check files without importing them", formatter_class=_FORMATTER,
        description="Run every check of `copkg import` and write nothing.\n\nexample:\n"
        "  copkg validate people.csv organizations.csv",
    )
    sub.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    add_store_options(sub)
    sub.set_defaults(handler=_validate)

    sub = commands.add_parser(
        "stats", help="how many resources of each kind the store holds",
        formatter_class=_FORMATTER, description="Counts by class, and how many resources cite "
        "their source, are your own imports, or are illustrative.\n\nexample:\n"
        "  copkg stats --store ./store",
    )
    add_store_options(sub)
    sub.set_defaults(handler=_stats)

    sub = commands.add_parser(
        "export", help="write the imported data to a file", formatter_class=_FORMATTER,
        description="ttl/nt/jsonld: all data as one graph; trig/nq: one named graph per "
        "imported file; csv: one CSV per sheet (folder, or .zip), re-importable.\n\n"
        "example:\n  copkg export --format trig --out backup.trig\n"
        "  copkg export --format csv --out sheets.zip",
    )
    sub.add_argument("--format", required=True,
                     choices=("ttl", "nt", "jsonld", "trig", "nq", "csv"))
    sub.add_argument("--out", required=True, type=Path, metavar="PATH")
    sub.add_argument("--include-personal", action="store_true",
                     help="keep personal data (e-mail, phone, a person's homepage: properties "
                     "marked cop:personalData in ontology/cop.ttl); left out by default")
    add_store_options(sub)
    sub.set_defaults(handler=_export)

    sub = commands.add_parser(
        "templates", help="write empty spreadsheets with the expected columns",
        formatter_class=_FORMATTER, description="One example row per sheet.\n\nexample:\n"
        "  copkg templates --format xlsx --out templates/",
    )
    sub.add_argument("--format", default="xlsx", choices=("xlsx", "csv"))
    sub.add_argument("--out", required=True, type=Path, metavar="DIR")
    sub.set_defaults(handler=_templates)


def _import(args: argparse.Namespace) -> int:
    from ..errors import ConfirmationNeeded
    from ..ingest import import_paths

    with open_graph(args, read_only=False) as kg, _progress() as progress:
        try:
            report = import_paths(kg, args.paths, replace=args.replace, progress=progress)
        except ConfirmationNeeded as exc:
            progress.close()
            _print_effects(exc.effects, file=sys.stderr)
            print(f"copkg {args.command}: {exc.text(common.LANGUAGE)}", file=sys.stderr)
            return 1
    _print_effects(report.effects)
    for f in report.files:
        print(f"{say(f'status.{f.status}'):<10} "
              + say("cli.file_counts", file=f.file, resources=f.resources, triples=f.triples))
    print(say("cli.done", s=report.elapsed_s))
    return 0


class _progress:
    """A progress bar on stderr for imports that take more than 2 s (tqdm's ``delay``)."""

    def __enter__(self) -> _progress:
        from tqdm import tqdm

        self.bar = tqdm(total=100, delay=2, unit="%", leave=False, file=sys.stderr,
                        bar_format="{desc:<26}{bar} {elapsed}")
        return self

    def __call__(self, stage: str, done: float) -> None:
        self.bar.set_description_str(say(f"ingest.stage_{stage}"), refresh=False)
        self.bar.update(max(0, round(done * 100) - self.bar.n))

    def close(self) -> None:
        self.bar.close()

    def __exit__(self, *exc: object) -> None:
        self.close()


def _print_effects(effects: Sequence[object], file: TextIO | None = None) -> None:
    """What an import does (or would do: validate, and an import stopped for a confirmation),
    per file and kind, and the first changes, old → new values (one function for all three)."""
    from ..ingest.effects import FileEffect, change_lines

    for effect in effects:
        assert isinstance(effect, FileEffect)
        print(effect.summary(common.LANGUAGE), file=file)
        for line in change_lines(effect, common.LANGUAGE):
            print("    " + line, file=file)


def _validate(args: argparse.Namespace) -> int:
    from ..ingest import validate_paths

    with open_graph(args, read_only=True) as kg:
        try:
            plan = validate_paths(kg, args.paths)
        except DataError as exc:
            print(say("error.problems_invalid", n=len(exc.problems)), file=sys.stderr)
            for problem in exc.problems:
                print(problem.text(common.LANGUAGE), file=sys.stderr)
            return 1
    print(say("cli.valid", files=len(plan.files), resources=plan.resources))
    _print_effects(plan.effects)
    if plan.confirmations:
        from ..errors import ConfirmationNeeded

        print(say("cli.needs_confirmation"))
        print(ConfirmationNeeded(plan.confirmations, plan.effects, plan.advice)
              .details(common.LANGUAGE))
    return 0


def _stats(args: argparse.Namespace) -> int:
    from ..vocab import PREFIXES

    with open_graph(args) as kg:
        df = kg.count_by_class()
        provenance = kg.count_by_provenance()
    for cls, count in zip(df["class"], df["count"], strict=True):
        name = next((f"{k}:{cls[len(v):]}" for k, v in PREFIXES.items()
                     if str(cls).startswith(v)), cls)
        print(f"{count:>8}  {name}")
    # Where the facts come from: the Overview's rule (KnowledgeGraph.count_by_provenance).
    for key, n in provenance.items():
        print(f"{n:>8}  {say(f'cli.{key}_resources')}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from ..ingest import export_graph

    csv_folder = args.format == "csv" and args.out.suffix.lower() != ".zip"
    prepare_output(args.out, folder=csv_folder)
    with open_graph(args) as kg:
        out = export_graph(kg, args.format, args.out, include_personal=args.include_personal)
    print(say("cli.wrote", path=out) + ("" if args.include_personal else
                                        " " + say("cli.personal_left_out")))
    return 0


def _templates(args: argparse.Namespace) -> int:
    from ..ingest import write_templates

    prepare_output(args.out, folder=True)
    for path in write_templates(args.out, args.format):
        print(say("cli.wrote", path=path))
    return 0
