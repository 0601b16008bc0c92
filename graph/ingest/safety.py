"""Checks made before a parser sees a file: zip bombs and XML entity declarations.

An ``.xlsx`` is a zip of XML parts. Before openpyxl opens one, every part is checked against
size and compression-ratio limits while it is decompressed in a stream (a header that lies about
the size does not help: reading stops at the limit), and refused if it declares a DTD or XML
entities, which a spreadsheet never needs (billion laughs, external entities). RDF/XML files are
refused for the same reason before Oxigraph's parser runs: an entity bomb made it panic and
abort the whole process.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..i18n import Message

__all__ = [
    "MAX_PART_BYTES",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "UnsafeFile",
    "check_workbook",
    "check_xml_declarations",
]

#: Largest uncompressed size of one part of a workbook (a 20,000-expert sheet is ~10 MB).
MAX_PART_BYTES = 256 * 1024 * 1024
#: Largest uncompressed size of all the parts of a workbook together.
MAX_TOTAL_BYTES = 512 * 1024 * 1024
#: Largest compression ratio of a part bigger than 1 MB (real sheets compress 5–20×).
MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024
_CHUNK = 1024 * 1024
# "<!DOCTYPE" or "<!ENTITY", in any case, with spaces allowed after "<!".
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_OVERLAP = 32


class UnsafeFile(ValueError):
    """A file refused before parsing; :attr:`message` says why and is shown to the user (in
    any language: a :class:`~graph.i18n.Message`)."""

    def __init__(self, key: str, /, **values: object) -> None:
        self.message = Message(key, **values)
        super().__init__(str(self.message))


def check_workbook(path: Path) -> None:
    """Raise :class:`UnsafeFile` if the workbook at ``path`` is a zip bomb or declares XML
    entities; return quietly otherwise (also for a file that is not a zip: openpyxl says so).

    >>> import io, tempfile
    >>> bomb = Path(tempfile.mkdtemp()) / "bomb.xlsx"
    >>> with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("xl/worksheets/sheet1.xml", b"0" * (4 * 1024 * 1024))
    >>> check_workbook(bomb)
    Traceback (most recent call last):
    ...
    graph.ingest.safety.UnsafeFile: xl/worksheets/sheet1.xml is compressed ...× (the limit ...
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with archive:
        infos = archive.infolist()
        declared = sum(i.file_size for i in infos)
        if declared > MAX_TOTAL_BYTES:
            raise UnsafeFile("unsafe.too_big", mb=declared // 2**20,
                             limit=MAX_TOTAL_BYTES // 2**20)
        total = 0
        for info in infos:
            _check_size(info.filename, info.file_size, info.compress_size)
            try:
                with archive.open(info) as part:
                    total += _scan_part(info, part, total)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                raise UnsafeFile("unsafe.unpack", part=info.filename, detail=str(exc)) from None


def check_xml_declarations(path: Path) -> None:
    """Raise :class:`UnsafeFile` if the XML file at ``path`` declares a DTD or entities.

    >>> import tempfile
    >>> xml = Path(tempfile.mkdtemp()) / "a.rdf"
    >>> _ = xml.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "x">]><r/>')
    >>> check_xml_declarations(xml)
    Traceback (most recent call last):
    ...
    graph.ingest.safety.UnsafeFile: it declares a DTD or XML entities (<!DOCTYPE>, ...
    """
    tail = b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            if _DECLARATION.search(tail + block):
                raise UnsafeFile("unsafe.rdf_dtd")
            tail = block[-_OVERLAP:]


def _check_size(name: str, size: int, compressed: int) -> None:
    if size > MAX_PART_BYTES:
        raise UnsafeFile("unsafe.part_too_big", part=name, mb=size // 2**20,
                         limit=MAX_PART_BYTES // 2**20)
    if size > _RATIO_FLOOR and size > MAX_RATIO * max(compressed, 1):
        raise UnsafeFile("unsafe.ratio", part=name, ratio=size // max(compressed, 1),
                         limit=MAX_RATIO)


def _scan_part(info: zipfile.ZipInfo, part: object, before: int) -> int:
    """Read one part in chunks (never more than the limits), looking for declarations."""
    read = 0
    tail = b""
    is_xml = info.filename.lower().endswith((".xml", ".rels", ".vml"))
    while True:
        block = part.read(_CHUNK)  # type: ignore[attr-defined]
        if not block:
            return read
        read += len(block)
        if read > info.file_size:  # the header lied about the size
            _check_size(info.filename, read, info.compress_size)
            if read > info.file_size + _CHUNK:
                raise UnsafeFile("unsafe.header_lies", part=info.filename)
        if before + read > MAX_TOTAL_BYTES:
            raise UnsafeFile("unsafe.unpacks_more", limit=MAX_TOTAL_BYTES // 2**20)
        if is_xml and _DECLARATION.search(tail + block):
            raise UnsafeFile("unsafe.workbook_dtd", part=info.filename)
        tail = block[-_OVERLAP:]
