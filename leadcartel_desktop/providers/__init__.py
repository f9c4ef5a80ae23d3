"""The outside world: provider APIs, SMTP and the OS keychain (built by later issues)."""
