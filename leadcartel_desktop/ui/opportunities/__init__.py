"""The Opportunities pane: pipelines, the deal board, the deal list and the forecast."""
