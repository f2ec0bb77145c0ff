"""X Ads API access: signed requests, typed responses, credentials from the environment."""

# Here rather than in .client, so command-line options can name them without loading HTTP code.
DEFAULT_API_BASE = "https://ads-api.x.com"
DEFAULT_API_VERSION = "12"
