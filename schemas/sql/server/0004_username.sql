-- One vocabulary for both stores: `user` is a reserved word in PostgreSQL (where `user = ?`
-- compares with current_user), so the column is `username` everywhere. Attachment files move
-- out of the database into the store's folder (the server moves the bytes when it opens).
ALTER TABLE memberships RENAME COLUMN user TO username;
ALTER TABLE tokens RENAME COLUMN user TO username;
ALTER TABLE versions RENAME COLUMN user TO username;
ALTER TABLE review_events RENAME COLUMN user TO username;
ALTER TABLE review_attachments RENAME COLUMN user TO username;
