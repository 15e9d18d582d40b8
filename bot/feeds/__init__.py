"""Feeds: fetch over HTTP, parse with feedparser, refresh one feed into storage."""
