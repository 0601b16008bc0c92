"""``copkg`` sub-commands of the query area."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(commands: argparse._SubParsersAction) -> None:
    """Add this area's sub-commands to ``copkg``."""
