"""The Streamlit app: the only layer that imports streamlit; pages read widgets and call pure functions."""
