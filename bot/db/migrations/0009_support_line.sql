-- A server's own support contact (a crisis line, the training programme's contact), set with /setup and
-- shown beside the fixed "not therapy" notice. About the group, never about a member.
ALTER TABLE guild_settings ADD COLUMN support_line TEXT;
