"""The family map engine: plain Python on Ibis, DuckDB and Parquet, with no Django imports."""
