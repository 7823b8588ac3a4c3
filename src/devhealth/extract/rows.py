"""Small pure conversions every source needs to meet the raw contract: UTC times, repo ids, JSON text, and
field readers that turn a provider item the contract cannot hold into one error line naming it."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

from devhealth.errors import ProviderError
from devhealth.extract.git.helpers import normalise_remote_url, repo_identity

P = ParamSpec("P")
R = TypeVar("R")
# the fields that name a provider item in an error, most telling first
_ITEM_NAMES = ("key", "number", "iid", "id", "sha")


class MalformedItem(ValueError):
    """A provider item lacks a field the raw contract needs, or holds one of a type no API version sends.

    Raised by the field readers below; `provider_item` turns it into a `ProviderError` naming the item.
    """


def utc(value: str | None) -> datetime | None:
    """An ISO 8601 / RFC 3339 time (`Z`, `+02:00`, Jira's `+0200`) as an aware UTC datetime.

    A time no calendar has (`2024-02-30`, year 0, `+99:00`) or one that is not text is a `MalformedItem`.
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise MalformedItem(f"expected a time as text, got {_type_name(value)}")
    text = value.strip().replace("Z", "+00:00")
    # Jira writes offsets without a colon (`+0200`), which fromisoformat before 3.11 rejected and some builds still do
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise MalformedItem(f"no such time {_preview(value)}") from None


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)


def _preview(value: Any) -> str:
    # repr escapes newlines and other unprintable characters, so the preview keeps the error on one line
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def text_field(item: dict[str, Any], name: str) -> str | None:
    """`item[name]` as text, None when absent or null."""
    value = item.get(name)
    if value is None or isinstance(value, str):
        return value
    raise MalformedItem(f"field {name!r}: expected text, got {_type_name(value)}")


def required_text(item: dict[str, Any], name: str) -> str:
    """`item[name]` as text the row cannot go without (a name, a URL): missing, null or empty is malformed."""
    value = text_field(item, name)
    if not value:
        raise MalformedItem(f"field {name!r} is missing")
    return value


def int_field(item: dict[str, Any], name: str) -> int | None:
    """`item[name]` as a whole number, None when absent or null."""
    value = item.get(name)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise MalformedItem(f"field {name!r}: expected a whole number, got {_type_name(value)}")


def bool_field(item: dict[str, Any], name: str) -> bool:
    value = item.get(name)
    if value is None or isinstance(value, bool):
        return bool(value)
    raise MalformedItem(f"field {name!r}: expected true or false, got {_type_name(value)}")


def id_field(item: dict[str, Any], name: str) -> str:
    """A key the row cannot go without: a number or non-blank text, as text."""
    value = item.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    if value is None:
        raise MalformedItem(f"field {name!r} is missing")
    raise MalformedItem(f"field {name!r}: expected an id, got {_preview(value)}")


def number_field(item: dict[str, Any], name: str) -> int:
    """A required whole number that keys the row (a pull request's number, a merge request's iid)."""
    value = int_field(item, name)
    if value is None:
        raise MalformedItem(f"field {name!r} is missing")
    return value


def time_field(item: dict[str, Any], name: str) -> datetime | None:
    try:
        return utc(item.get(name))
    except MalformedItem as error:
        raise MalformedItem(f"field {name!r}: {error}") from None


def required_time(item: dict[str, Any], name: str) -> datetime:
    """A time the row cannot go without (a cursor, a transition's moment): missing or null is malformed."""
    moment = time_field(item, name)
    if moment is None:
        raise MalformedItem(f"field {name!r} is missing")
    return moment


def object_field(item: dict[str, Any], name: str) -> dict[str, Any]:
    """A nested object; absent or null reads as an empty one."""
    value = item.get(name)
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    raise MalformedItem(f"field {name!r}: expected an object, got {_type_name(value)}")


def nested_text(item: dict[str, Any], name: str, field: str) -> str | None:
    """`item[name][field]` as text (a user's login, a branch's ref); an absent `item[name]` reads as None."""
    return text_field(object_field(item, name), field)


def _list_field(item: dict[str, Any], name: str, entry_type: type, entries: str) -> list[Any]:
    """`item[name]` as a list whose every entry is an `entry_type` (`entries` names them in the error)."""
    value = item.get(name)
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(entry, entry_type) for entry in value):
        return value
    raise MalformedItem(f"field {name!r}: expected a list of {entries}, got {_preview(value)}")


def objects_field(item: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """A list of nested objects; absent or null reads as an empty list."""
    return _list_field(item, name, dict, "objects")


def texts_field(item: dict[str, Any], name: str) -> list[str]:
    """A list of strings (labels); absent or null reads as an empty list."""
    return _list_field(item, name, str, "text")


def item_name(item: Any) -> str:
    """How an error names an item: its key, number or id, else its shape."""
    if isinstance(item, dict):
        for name in _ITEM_NAMES:
            if isinstance(item.get(name), (str, int)) and not isinstance(item[name], bool):
                return f"{name} {_preview(item[name])}"
        return "without an id"
    return _preview(item)


def check_item(item: Any, what: str = "") -> dict[str, Any]:
    """`item` when it is a JSON object, else a `MalformedItem` naming `what` it is (the item itself if blank)."""
    if isinstance(item, dict):
        return item
    raise MalformedItem(f"{what}{': ' if what else ''}expected an object, got {_type_name(item)}")


@contextmanager
def naming_item(provider: str, resource: str, item: Any) -> Iterator[None]:
    """A `MalformedItem` inside becomes one `ProviderError` line naming the provider, resource and item."""
    try:
        yield
    except MalformedItem as error:
        raise ProviderError(f"{provider} {resource}: item {item_name(item)}: {error}") from None


def provider_item(provider: str, resource: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorates a parser whose first argument is one item of a provider page: the item must be a JSON
    object, and any field it holds that the parser cannot read is a `ProviderError` naming the item."""
    def decorate(parse: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(parse)
        def parse_item(*args: P.args, **kwargs: P.kwargs) -> R:
            item = args[0]
            with naming_item(provider, resource, item):
                check_item(item)
                return parse(*args, **kwargs)
        return parse_item
    return decorate


def owned_by(org_id: str, provider: str, **ids: Any) -> dict[str, Any]:
    """The columns that say whose row it is (organization, provider, and `ids` such as its repo): the source
    knows them, not the item, and every row of every entity carries them."""
    return {"org_id": org_id, "provider": provider, **ids}


def same_named(item: dict[str, Any], read: Callable[[dict[str, Any], str], Any], *names: str) -> dict[str, Any]:
    """The fields an API names as the contract does, each read with `read` (`time_field`, `text_field`):
    a parser then spells out only the columns whose reading differs."""
    return {name: read(item, name) for name in names}


def repo_id_of(web_url: str) -> str:
    """The same UUID5 the git source gives a clone of `web_url`, so both share one repo id."""
    repo_id, _ = repo_identity(web_url, None)  # type: ignore[arg-type]
    return repo_id


def repo_key(web_url: str) -> str:
    """`https://github.com/Acme/API` -> `github.com/acme/api`."""
    return normalise_remote_url(web_url)


def json_text(value: Any) -> str:
    """Nested values as JSON text, with stable key order, as the contract stores arrays and objects."""
    return json.dumps(value, sort_keys=True)


def labels_json(item: dict[str, Any]) -> str:
    """An item's label names as the contract stores them: sorted, so that a reordering is no change."""
    return json_text(sorted(texts_field(item, "labels")))


def resolved_if_closed(issue: dict[str, Any]) -> datetime | None:
    """`closed_at` of an issue whose `state` is closed: the state, not the field, says it is resolved."""
    return time_field(issue, "closed_at") if text_field(issue, "state") == "closed" else None


def open_or_done(closed: bool, assigned: bool) -> str:
    """`status_category` where a tracker has only open and closed (GitHub and GitLab issues): an assigned open
    issue is the best sign someone is on it."""
    return "done" if closed else ("in_progress" if assigned else "todo")


def lower_or_none(value: str | None) -> str | None:
    if value is not None and not isinstance(value, str):
        raise MalformedItem(f"expected an email as text, got {_type_name(value)}")
    return value.strip().lower() if value else None


def message_subject(message: str | None) -> str | None:
    """The subject as `git log %s` prints it: the first paragraph, its lines joined by spaces."""
    if message is None:
        return None
    paragraph = message.strip("\n").split("\n\n", 1)[0]
    return " ".join(line.strip() for line in paragraph.splitlines())


def message_length(message: str | None) -> int | None:
    """Characters of the whole message without trailing newlines, as the git source counts them."""
    return None if message is None else len(message.rstrip("\n"))


def signature(who: str, name: str | None, email: str | None, when: str, at: datetime | None) -> dict[str, Any]:
    """A commit's author or committer (`who`) as the contract stores one: name, lower-cased email, and the
    time column `when` (authored_at, committed_at)."""
    return {f"{who}_name": name, f"{who}_email": lower_or_none(email), when: at}


def commit_columns(sha: str, parents: list[str], message: str | None) -> dict[str, Any]:
    """The columns of a commit that every provider derives alike from its sha, parents and message."""
    return {"sha": sha.lower(), "parent_shas": json_text(parents), "is_merge": len(parents) > 1,
            "message_subject": message_subject(message), "message_length": message_length(message)}
