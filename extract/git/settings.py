"""Constants for the local git source."""

DATASET_NAME = "git"
# unit and record separators never occur in the fields git prints for these placeholders
FIELD_SEPARATOR = "\x1f"
RECORD_SEPARATOR = "\x1e"
LOG_FORMAT = FIELD_SEPARATOR.join(["%H", "%P", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%s"]) + RECORD_SEPARATOR
BATCH_SIZE = 20_000
