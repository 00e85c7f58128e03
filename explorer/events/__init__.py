"""Machine-coded event data (GDELT, ICEWS, POLECAT): ingest, map to actors, aggregate into signed dyad-months."""
