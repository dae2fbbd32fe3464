from rest_framework.throttling import AnonRateThrottle


class PublicRateThrottle(AnonRateThrottle):
    """Per client address, for everything the public reaches without an account."""

    scope = "public"
