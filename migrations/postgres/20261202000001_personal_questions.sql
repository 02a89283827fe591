-- Personal data (the contact person of the default questionnaire) is marked, so that no
-- dashboard, report or aggregated export ever shows it.
UPDATE question SET reference = 'personal' WHERE code = 'mit_kontakt' AND reference IS NULL;
