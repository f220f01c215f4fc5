"""People: accounts that sign in with an email address and a password (Argon2-hashed)."""
