"""Usage accounting: one row per model call, plan limits checked before each call."""
