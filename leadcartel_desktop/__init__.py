"""Lead Cartel Desktop."""
