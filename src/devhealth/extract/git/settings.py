"""Constants for the local git source."""

DATASET_NAME = "git"
PIPELINE_NAME = "git"
# Every field ends in NUL, the one byte no name, message or path can hold, so no content can collide with
# the structure. Each record opens with a mark token: `--raw` tokens start with `:`, `--numstat` tokens with a
# digit or `-`, and a path never starts with `/`, so a token `/c` can only be the start of a commit.
RECORD_MARK = "/c"
LOG_FIELDS = ["%H", "%P", "%an", "%ae", "%at", "%ai", "%cn", "%ce", "%ct", "%s", "%B"]
LOG_FORMAT = RECORD_MARK + "%x00" + "%x00".join(LOG_FIELDS)
# one process for the whole history: the header, then `--raw` (change type) and `--numstat` (lines), NUL-separated.
# Merges get no diff, which is what keeps them out of line counts; -M is git's default rename detection.
LOG_OPTIONS = ["-z", "--raw", "--numstat", "-M", "--root", "--diff-merges=off", "--no-textconv", "--no-ext-diff",
               "--no-color", f"--format={LOG_FORMAT}"]
GIT_CONFIG = ["-c", "log.showSignature=false", "-c", "core.quotepath=off"]
BATCH_SIZE = 20_000
READ_CHUNK_BYTES = 1 << 18
# a history this long per process is read by several `git log` processes at once, one per core up to the
# maximum; below it, starting another process and counting the commits costs more than it saves
MIN_COMMITS_PER_LOG_PROCESS = 5_000
MAX_LOG_PROCESSES = 4
# how far each pipe reader may run ahead of parsing: bounds memory to about this many MiB
READ_AHEAD_CHUNKS = 256
# git's empty tree: diffing HEAD against it lists every file at HEAD with its line count
EMPTY_TREE_SHA = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
DEFAULT_BRANCH = "HEAD"
