"""The Payments pane: invoices, transactions and outstanding totals."""
