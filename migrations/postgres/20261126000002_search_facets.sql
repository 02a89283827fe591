-- The search index answers a dashboard's filter together with the term, so that a term found
-- in many texts but in few of the filtered ones reads only those: the question alone and with
-- the kind of organisation as "q<id>" and "q<id>:<kind>" (see search_facet in the tallies
-- module), and the municipalities served as an array.
ALTER TABLE response_text
    ADD COLUMN facets TEXT[] GENERATED ALWAYS AS (ARRAY['q' || question_id::text, 'q' || question_id::text || ':' || org_kind]) STORED,
    ADD COLUMN places TEXT[] GENERATED ALWAYS AS (string_to_array(btrim(municipalities, ','), ',')) STORED;

DROP INDEX response_text_search;
CREATE INDEX response_text_search ON response_text USING gin (facets, places, folded gin_trgm_ops);

-- Statistics of the new columns, so that searches are planned for them from the first request.
ANALYZE response_text;
