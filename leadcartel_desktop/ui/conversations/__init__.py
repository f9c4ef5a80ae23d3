"""The Conversations pane: contact threads with compose, campaigns, and groups (smart lists)."""
