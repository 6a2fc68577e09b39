"""PostgreSQL for project databases: the owned cluster, provisioning, the owner's SQL."""
