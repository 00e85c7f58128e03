"""Curated tables: schema as data, loading, validation that reports every problem, atomic saves."""

from explorer.tables.load import Dataset, LoadResult, Problem, data_folder, load_dataset, load_tables

__all__ = ["Dataset", "LoadResult", "Problem", "data_folder", "load_dataset", "load_tables"]
