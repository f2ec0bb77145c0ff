"""X Ads API access: signed requests, typed responses, credentials from the environment."""
