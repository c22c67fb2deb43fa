"""Renderings for people and tools: citations, dossiers, the HTML report, copy-check output, reference exports."""
