"""REST API v10 handlers of the sandbox."""
