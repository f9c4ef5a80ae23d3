"""Use cases: what the operator can do, each in one unit of work."""
