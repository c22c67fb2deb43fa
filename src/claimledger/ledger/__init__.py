"""The evidence ledger (SQLite via sqlite-utils): the only SQL, and the audit hash chain."""
