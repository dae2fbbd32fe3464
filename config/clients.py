"""Who sent a request: the client's address, as every per-address limit counts it.

REMOTE_ADDR, or behind NUM_PROXIES trusted proxies the address the outermost of them saw (the
Nth address from the right of X-Forwarded-For). Without proxies (0) the header is ignored: a
client could write any address in it, and so escape every limit.
"""

from collections.abc import Mapping
from typing import Any

from rest_framework.settings import api_settings


def client_address(meta: Mapping[str, Any]) -> str:
    remote_addr = str(meta.get("REMOTE_ADDR", ""))
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    proxies = api_settings.NUM_PROXIES
    if not proxies or forwarded is None:
        return remote_addr
    addresses = str(forwarded).split(",")
    return addresses[-min(proxies, len(addresses))].strip()
