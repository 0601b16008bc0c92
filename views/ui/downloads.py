"""Download buttons for tables (the same bytes the CLI would write: formula cells neutralised
by graph.csv_writer)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.csv_writer import csv_bytes
from views.ui.lang import tr


def download_csv(df: pd.DataFrame, file_name: str, key: str, label: str | None = None) -> None:
    st.download_button(label or tr("app.download_csv"),
                       csv_bytes(df), file_name=file_name,
                       mime="text/csv", key=key, on_click="ignore")


def download_json(df: pd.DataFrame, file_name: str, key: str) -> None:
    text = df.to_json(orient="records", force_ascii=False, date_format="iso", indent=2) or "[]"
    st.download_button(tr("app.download_json"), text.encode("utf-8"),
                       file_name=file_name, mime="application/json", key=key, on_click="ignore")
