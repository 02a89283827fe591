-- The SHA-256 of each imported response file: the same file imported twice into one
-- questionnaire would count its responses twice, so a second import of it is refused.
ALTER TABLE response_import ADD COLUMN digest TEXT;
CREATE UNIQUE INDEX response_import_digest ON response_import (questionnaire_id, digest);
