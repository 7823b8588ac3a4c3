"""The PostgreSQL semantic layer."""
