"""Vercel: a person's token (encrypted), the account and team it deploys into."""
