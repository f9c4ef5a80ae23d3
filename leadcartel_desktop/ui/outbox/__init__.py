"""The operator's outbox view: every message, its state, and what can be done about it."""
