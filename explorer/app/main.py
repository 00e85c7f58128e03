"""Streamlit entry point (`streamlit run explorer/app/main.py`)."""

import streamlit as st

from explorer.tables import load_dataset

st.set_page_config(page_title="Axis Explorer", layout="wide")
result = load_dataset()
st.title("Axis Explorer")
st.caption(f"{len(result.dataset.actors)} actors · {len(result.dataset.relations)} relations")
