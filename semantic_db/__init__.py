"""The PostgreSQL semantic layer: organizations, people, teams, credentials and sync records."""
