"""Views of the web front end."""
