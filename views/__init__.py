"""The Streamlit pages (one module per page) and :mod:`views.ui`, what they share."""
