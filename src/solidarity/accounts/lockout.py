"""Failed sign-ins: who may try again, and when.

A wrong password counts against three things, all kept in Django's cache (so
every server process sees the same counts once the cache is shared, e.g. Redis):

1. **The username from this address.** Five tries in a row; the fifth failure
   locks the pair for 1 minute, and each further failure doubles it (2, 4, 8 ...
   minutes, at most an hour). The count is forgotten a day after the last
   failure, or at once when the right password comes from that address. A
   stranger guessing from one address thus never stands in the way of the
   account's owner signing in from hers.
2. **The address, whatever the username.** 20 failures within 15 minutes block
   the address for 15 minutes, doubling for each further block within a day (at
   most 4 hours): one address spraying many usernames gets nowhere.
3. **The username, from many addresses.** 50 failures from at least 10
   different addresses within an hour pause signing in with that username for
   an hour, for every address except those its owner signed in from in the
   last 30 days. The owner is told by email, the audit log records it, and she
   sees it at her next sign-in. One address cannot cause this: rule 1 lets it
   fail at most 10 times in an hour on one username (5, then after 1, 2, 4, 8
   and 16 minutes), and once an hour after that.

A refused attempt is not checked (the password is not even compared) and does
not count. Messages speak of "this address" or "this username" and are the same
whether or not the username exists; the counters are kept for any name typed.
Names and addresses are keyed with SECRET_KEY before they reach the cache.

The address is ``REMOTE_ADDR``, or, when that is one of
``SOLIDARITY_TRUSTED_PROXIES``, the nearest untrusted address in
``X-Forwarded-For`` (see :func:`client_address`). IPv6 addresses count by /64.
"""

from __future__ import annotations

import contextlib
import ipaddress
import math
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# 1. the username from one address
PAIR_FREE_FAILURES = 5
PAIR_BACKOFF = MINUTE  # after the 5th failure; doubled for each further one
PAIR_BACKOFF_MAX = HOUR
PAIR_MEMORY = DAY  # since the last failure

# 2. one address, whatever the username
ADDRESS_FAILURES = 20
ADDRESS_WINDOW = 15 * MINUTE
ADDRESS_BLOCK = 15 * MINUTE  # doubled for each further block within ADDRESS_MEMORY
ADDRESS_BLOCK_MAX = 4 * HOUR
ADDRESS_MEMORY = DAY

# 3. one username, from many addresses
ACCOUNT_FAILURES = 50
ACCOUNT_ADDRESSES = 10
ACCOUNT_WINDOW = HOUR
ACCOUNT_LOCK = HOUR
KNOWN_ADDRESS_MEMORY = 30 * DAY  # addresses the owner signed in from: not paused

PREFIX = "solidarity:login"
IPV6_PREFIX = 64


class Refused(Exception):
    """This attempt is not even checked; ``message`` says for how long."""

    def __init__(self, *, per_account: bool, seconds: float) -> None:
        self.per_account = per_account
        self.minutes = max(1, math.ceil(seconds / MINUTE))
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.per_account:
            return ngettext(
                "Too many failed attempts for this username from many places: signing in "
                "with it is paused; try again in %(minutes)d minute.",
                "Too many failed attempts for this username from many places: signing in "
                "with it is paused; try again in %(minutes)d minutes.",
                self.minutes,
            ) % {"minutes": self.minutes}
        return ngettext(
            "Too many failed attempts from this address; try again in %(minutes)d minute.",
            "Too many failed attempts from this address; try again in %(minutes)d minutes.",
            self.minutes,
        ) % {"minutes": self.minutes}


@dataclass(frozen=True)
class AccountLock:
    """A username just paused by rule 3 (the caller tells the owner)."""

    username: str
    failures: int
    addresses: int
    seconds: int


@dataclass
class Attempt:
    """One sign-in attempt let through to the password check."""

    username: str
    user_key: str
    address_key: str
    pair_number: int  # this attempt's number among the pair's remembered failures
    address_number: int  # and among the address's failures in its window
    settled: bool = False


# ------------------------------------------------------------------ addresses


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries if entry)


def trusted_proxies() -> tuple[Network, ...]:
    """``SOLIDARITY_TRUSTED_PROXIES``: addresses or networks (checked when settings load)."""
    entries = getattr(settings, "SOLIDARITY_TRUSTED_PROXIES", ()) or ()
    if isinstance(entries, str):
        entries = entries.split(",")
    return _networks(tuple(str(entry).strip() for entry in entries))


def parse_address(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address as a proxy or server writes it (with or without a port), else None."""
    if not value:
        return None
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 192.0.2.1:443
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address, proxies) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_address(request) -> str:
    """The address a request comes from, never taken blindly from a header.

    ``REMOTE_ADDR``, unless it is one of ``SOLIDARITY_TRUSTED_PROXIES`` (the
    reverse proxies in front of the application): then ``X-Forwarded-For`` is
    read from the right, skipping trusted proxies, and the first other address
    is the client. An entry that is not an address stops the walk (a trusted
    proxy writes addresses), leaving the last trusted hop.
    """
    remote = parse_address(request.META.get("REMOTE_ADDR"))
    if remote is None:
        return "unknown"
    proxies = trusted_proxies()
    if not proxies or not _is_trusted(remote, proxies):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = remote
    for entry in reversed(forwarded.split(",")):
        address = parse_address(entry)
        if address is None:
            break
        client = address
        if not _is_trusted(address, proxies):
            break
    return str(client)


def address_group(address: str) -> str:
    """The unit counted as one address: IPv4 as is, IPv6 by /64 (one subscriber's prefix)."""
    parsed = parse_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    return str(parsed) if parsed is not None else address


# ------------------------------------------------------------------ keys


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def _digest(kind: str, value: str) -> str:
    # Keyed: the cache never holds a typed name (sometimes a password) or an address.
    return salted_hmac(f"solidarity.accounts.lockout.{kind}", value).hexdigest()[:32]


def user_key(username: str) -> str:
    return _digest("username", normalise_username(username))


def address_key(address: str) -> str:
    return _digest("address", address_group(address))


def _incr(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


def _decr(key: str) -> None:
    with contextlib.suppress(ValueError):  # gone already
        cache.decr(key)


def _remaining(key: str, now: float) -> float:
    until = cache.get(key)
    return until - now if isinstance(until, int | float) and until > now else 0.0


def _keys(user: str, address: str) -> dict[str, str]:
    return {
        "pair_count": f"{PREFIX}:pair:{user}:{address}:n",
        "pair_until": f"{PREFIX}:pair:{user}:{address}:until",
        "address_count": f"{PREFIX}:address:{address}:n",
        "address_until": f"{PREFIX}:address:{address}:until",
        "address_strikes": f"{PREFIX}:address:{address}:strikes",
        "account_window": f"{PREFIX}:account:{user}:window",
        "account_until": f"{PREFIX}:account:{user}:until",
        "known": f"{PREFIX}:known:{user}:{address}",
    }


# ------------------------------------------------------------------ the three rules


def begin(request, username: str) -> Attempt:
    """Let an attempt through to the password check, or raise :class:`Refused`."""
    now = time.time()
    user, address = user_key(username), address_key(client_address(request))
    keys = _keys(user, address)
    for key in ("address_until", "pair_until"):
        if seconds := _remaining(keys[key], now):
            raise Refused(per_account=False, seconds=seconds)
    seconds = _remaining(keys["account_until"], now)
    if seconds and not cache.get(keys["known"]):
        raise Refused(per_account=True, seconds=seconds)
    # Count the attempt before checking it, so that parallel requests cannot
    # all slip under a limit; a right password gives its place back.
    address_number = _incr(keys["address_count"], ADDRESS_WINDOW)
    if address_number > ADDRESS_FAILURES:  # only when requests race
        _decr(keys["address_count"])
        raise Refused(per_account=False, seconds=ADDRESS_BLOCK)
    pair_number = _incr(keys["pair_count"], PAIR_MEMORY)
    return Attempt(username, user, address, pair_number, address_number)


def failed(attempt: Attempt) -> AccountLock | None:
    """Count a wrong password; returns the lock if this failure paused the username."""
    if attempt.settled:
        return None
    attempt.settled = True
    now = time.time()
    keys = _keys(attempt.user_key, attempt.address_key)

    cache.touch(keys["pair_count"], PAIR_MEMORY)
    if attempt.pair_number >= PAIR_FREE_FAILURES:
        exponent = min(attempt.pair_number - PAIR_FREE_FAILURES, 16)
        backoff = min(PAIR_BACKOFF * 2**exponent, PAIR_BACKOFF_MAX)
        until = max(now + backoff, cache.get(keys["pair_until"]) or 0)
        cache.set(keys["pair_until"], until, math.ceil(until - now))

    if attempt.address_number >= ADDRESS_FAILURES:
        strikes = _incr(keys["address_strikes"], ADDRESS_MEMORY)
        block = min(ADDRESS_BLOCK * 2 ** min(strikes - 1, 16), ADDRESS_BLOCK_MAX)
        cache.set(keys["address_until"], now + block, block)
        cache.delete(keys["address_count"])  # a new window after the block

    return _count_for_account(attempt, keys, now)


def _count_for_account(attempt: Attempt, keys: dict[str, str], now: float) -> AccountLock | None:
    cache.add(keys["account_window"], now, ACCOUNT_WINDOW)
    start = cache.get(keys["account_window"], now)
    window = f"{PREFIX}:account:{attempt.user_key}:{int(start * 1000)}"
    failures = _incr(f"{window}:n", ACCOUNT_WINDOW)
    if cache.add(f"{window}:seen:{attempt.address_key}", True, ACCOUNT_WINDOW):
        addresses = _incr(f"{window}:addresses", ACCOUNT_WINDOW)
    else:
        addresses = cache.get(f"{window}:addresses", 1)
    if failures < ACCOUNT_FAILURES or addresses < ACCOUNT_ADDRESSES:
        return None
    # add(): of two racing failures, one alone reports the lock.
    if not cache.add(keys["account_until"], now + ACCOUNT_LOCK, ACCOUNT_LOCK):
        return None
    for suffix in ("n", "addresses"):
        cache.delete(f"{window}:{suffix}")
    cache.delete(keys["account_window"])
    return AccountLock(attempt.username, failures, addresses, ACCOUNT_LOCK)


def succeeded(attempt: Attempt) -> None:
    """The right password: the pair starts afresh, and the address gets its place back."""
    if attempt.settled:
        return
    attempt.settled = True
    keys = _keys(attempt.user_key, attempt.address_key)
    cache.delete_many([keys["pair_count"], keys["pair_until"]])
    _decr(keys["address_count"])


def remember_address(request, username: str) -> None:
    """The owner signed in from here: a pause of her username (rule 3) will not apply here."""
    user, address = user_key(username), address_key(client_address(request))
    cache.set(_keys(user, address)["known"], True, KNOWN_ADDRESS_MEMORY)
