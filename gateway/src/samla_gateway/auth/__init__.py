"""Sign-in at the gateway: OpenID Connect (or dev sign-in), server-side sessions, CSRF and access rules."""
