"""Files in and out: the result files of a run (JSON, HTML, PDF), the long table (CSV, XLSX,
Parquet: ``lca.io.tables``) and importers (CodeCarbon)."""
