"""PubMed: the E-utilities client (the only network code), PubMed XML and MEDLINE parsing, records."""
