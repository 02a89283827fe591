-- Responses through the open link count in aggregated outputs only once the KI has accepted
-- them: otherwise anyone could submit made-up responses to lift a small group over the
-- minimum and learn the real members' answers by subtraction. Invitations are accepted from
-- the start (the KI registered the organisation); bulk loads (demo data) take the default.
ALTER TABLE response ADD COLUMN review TEXT NOT NULL DEFAULT 'accepted'
    CHECK (review IN ('pending', 'accepted', 'rejected'));
-- Open-link responses collected so far wait for the KI's review like new ones; the tallies
-- are rebuilt at start without them.
UPDATE response SET review = 'pending' WHERE channel = 'open';
DELETE FROM tally_built;
CREATE INDEX response_review ON response (questionnaire_id, review, status);
