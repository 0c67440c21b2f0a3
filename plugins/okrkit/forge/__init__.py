"""Adapters for code forges: what a check-in from an issue needs of GitHub."""
