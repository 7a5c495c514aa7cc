-- Remember whether a closed quiz's results reached the channel, so a failed post can be retried.

ALTER TABLE quiz_weeks ADD COLUMN results_message_id INTEGER;
