"""Shared by the REST source tests: the token that must never leak, a search for it on disk, and the GitLab
commit pages more than one module replays."""

from pathlib import Path

from rest_replay import ReplayServer, fixture

TOKEN = "ghp_SECRETtoken0123456789abcdefABCDEF"


def files_containing(root: Path, secret: str) -> list[Path]:
    """Every file under `root` whose bytes contain `secret`."""
    needle = secret.encode()
    return [path for path in root.rglob("*") if path.is_file() and needle in path.read_bytes()]


def gitlab_commit_pages(server: ReplayServer, project: str) -> None:
    """`GET <project>/repository/commits` in two pages (tests/fixtures/gitlab/README.md), paged only by
    X-Next-Page, as a proxy that strips Link leaves it."""
    server.add(f"{project}/repository/commits", fixture("gitlab/repository_commits_page1.json"),
               headers={"X-Next-Page": "2"})
    server.add(f"{project}/repository/commits", fixture("gitlab/repository_commits_page2.json"), query={"page": "2"},
               headers={"X-Next-Page": ""})
