"""Account › Credentials: the sign-in profiles dialog, its form and its background jobs."""
