-- A chat's own choice of link previews under the messages the bot pushes to it (cards,
-- digests): 1 on, 0 off, NULL follows the configuration's [delivery] link_previews.
ALTER TABLE chats ADD COLUMN link_previews INTEGER;
