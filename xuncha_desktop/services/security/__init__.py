"""Keys and sign-in, user slots, the audit log, backups, the integrity check and wiping a laptop."""
