-- Double opt-in: a subscriber counts once the confirmation link was followed.
ALTER TABLE newsletter_subscribers
  ADD COLUMN confirmed_at TIMESTAMP NULL DEFAULT NULL AFTER subscribed_at;
CREATE INDEX newsletter_subscribers_confirmed ON newsletter_subscribers (confirmed_at);
