"""Views that are not record pages: the audit log, conflicts, the recycle bin and the lock screen."""
