"""The audit log: who did what kind of thing, and when; hash-chained, never private content."""
