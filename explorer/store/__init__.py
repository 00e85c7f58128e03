"""The one columnar home of a data folder: DuckDB over Parquet, shared by the curated cache and the event layer."""
