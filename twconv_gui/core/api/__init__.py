"""X Ads API access: signed requests, typed responses, the rate governor, credentials from the
environment. Uses only the ground (payload for request bodies)."""

# Here rather than in .client, so command-line options can name them without loading HTTP code.
DEFAULT_API_BASE = "https://ads-api.x.com"
DEFAULT_API_VERSION = "12"
