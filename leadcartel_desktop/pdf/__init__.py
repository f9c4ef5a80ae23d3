"""PDF output with fpdf2; importing this package does not import fpdf."""
