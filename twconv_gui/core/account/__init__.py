"""Who sends: sign-in profiles (secrets in the OS keyring), PIN sign-in, the connection test and
the ad account and event lookups. Uses api and the ground; knows nothing of spreadsheets."""
