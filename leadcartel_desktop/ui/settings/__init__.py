"""Business settings: company details, invoice defaults, tax rates and logo."""
