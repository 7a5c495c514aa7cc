"""UserFacingError, kept free of discord imports so pure logic modules can raise it."""


class UserFacingError(Exception):
    """An error whose message is written for the person who hit it; shown ephemerally."""
