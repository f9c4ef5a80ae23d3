"""Small widgets and model helpers shared by the panes."""
