"""My account and its safety: password, reset links, API tokens, my data, leaving Kizuki."""
