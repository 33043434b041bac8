"""The demo workspace a newcomer sees: deterministic rounds, groups and records of every state."""
