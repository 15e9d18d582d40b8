"""Real local servers for the end-to-end tests: a fake Bot API and a feed server."""
