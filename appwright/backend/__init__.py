"""A project's database: providers (``provider.BackendProvider``), the local PostgreSQL
(``local.LocalPostgres``), and the API that provisions, queries and migrates it."""
