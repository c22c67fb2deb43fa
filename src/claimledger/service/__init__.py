"""One function per command: orchestration between the library, PubMed, the ledger and the assessors."""
