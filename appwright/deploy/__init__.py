"""Publishing projects: deployments, their targets and serving them."""
