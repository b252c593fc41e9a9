"""The REST API (``/api/v1/``): per-company tokens, and endpoints that read and write through
the apps' own selectors and services, with the rights of a company manager."""
