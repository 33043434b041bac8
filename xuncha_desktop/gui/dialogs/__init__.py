"""Modal dialogs: passphrases, backups, recovery, imports, evidence, previews, wiping."""
