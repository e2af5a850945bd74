"""Staff accounts: users with roles, argon2 password hashes, and login throttling."""
