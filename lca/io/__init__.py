"""Files in and out: the result files of a run (JSON, HTML, PDF) and importers (CodeCarbon)."""
