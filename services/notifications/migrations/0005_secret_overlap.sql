-- a rotated secret keeps signing beside the new one for an overlap window (24 h by
-- default): until previous_secret_expires_at every delivery carries both signatures
ALTER TABLE webhook_endpoints
    ADD COLUMN previous_secret            text,
    ADD COLUMN previous_secret_expires_at timestamptz;
