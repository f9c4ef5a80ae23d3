"""The invoice editor and its dialogs: customer, items, options, totals, payments."""
