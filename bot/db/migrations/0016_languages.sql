-- Languages: the group's language for its posts, and each member's Discord locale as last seen, for DMs.

-- NULL: the server's preferred locale, as Discord reports it.
ALTER TABLE guild_settings ADD COLUMN locale TEXT;

-- The Discord locale a member last used a slash command in, per server (never from an anonymous check-in or
-- feedback form: see docs/privacy.md). No time is kept; only the latest value.
CREATE TABLE member_locales (
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    locale    TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;
