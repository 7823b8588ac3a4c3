"""devhealth: a dbt-centred analytics warehouse for software delivery health."""

__version__ = "0.1.0"
