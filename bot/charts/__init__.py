"""Chart rendering with the matplotlib Figure API to PNG bytes; no pyplot, no Discord."""
