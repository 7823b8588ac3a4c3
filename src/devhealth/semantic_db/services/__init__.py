"""Operations on the semantic database; each takes an open `Session` from `admin_session` or `org_session`."""
