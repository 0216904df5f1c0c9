"""Web front end."""
