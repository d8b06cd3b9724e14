"""Talking to Twilio's REST API: credentials, the client and its base-URL seam, a number's webhooks, and the
numbers `start` points at its public URL."""
