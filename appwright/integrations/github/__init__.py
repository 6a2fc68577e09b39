"""GitHub: a person's token, a repository per project, push/pull over git, push webhooks."""
