"""The claims library (claims.yaml): load, validate, append; PubMed query syntax checks."""
