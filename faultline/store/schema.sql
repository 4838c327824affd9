-- faultline database schema. Loaded by faultline/store/connect.py when a new
-- database file is created; the version number lives in connect.py
-- (SCHEMA_VERSION) and is written to `meta`. Any change here that an older
-- faultline could not read must bump SCHEMA_VERSION.

-- Facts about the database itself: schema_version, faultline_version
-- (the faultline that created the file), created_at (UTC, ISO 8601).
CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- One row per distinct news item ever ingested. The text is stored so every
-- event can be traced back to the words that produced it.
CREATE TABLE documents (
    doc_hash VARCHAR PRIMARY KEY,   -- identity: 16 hex digits of SHA-256 of the normalised text
    doc_id VARCHAR NOT NULL,        -- the id users know (the record's own id, else doc_hash)
    title VARCHAR,
    date DATE,                      -- publication date; partial dates stored as their first day
    date_text VARCHAR,              -- the date exactly as given: YYYY, YYYY-MM or YYYY-MM-DD
    date_source VARCHAR,            -- where the date came from: record, text, metadata, option
    url VARCHAR,
    source VARCHAR,                 -- publisher or feed name
    byline VARCHAR,
    origin VARCHAR,                 -- where it was read from: path, path:line, or "-"
    text VARCHAR NOT NULL,
    n_chars INTEGER NOT NULL,       -- length of text in characters
    ingested_at TIMESTAMP NOT NULL, -- when the batch was committed (UTC)
    coder VARCHAR                   -- versions of the pipeline that read the document
);

-- One row per coded event, in PLOVER's record layout plus faultline's extras.
-- The first actor of each side is copied into flat columns so that dyad
-- queries need no UNNEST; the full actor lists are in `sources`/`targets`.
CREATE TABLE events (
    id VARCHAR PRIMARY KEY,
    doc_hash VARCHAR NOT NULL REFERENCES documents (doc_hash),
    doc_id VARCHAR NOT NULL,
    date DATE,                      -- event date; month/year precision stored as the first day
    date_text VARCHAR,              -- the date exactly as coded: YYYY, YYYY-MM or YYYY-MM-DD
    date_precision VARCHAR,         -- day, month, year (as the resolver set it)
    date_fallback BOOLEAN,          -- true when the text gave no date: the publication date
    event VARCHAR NOT NULL,         -- PLOVER event type, e.g. ACCUSE
    mode VARCHAR,                   -- PLOVER mode, e.g. arrest
    context VARCHAR[] NOT NULL,     -- PLOVER contexts, e.g. [diplomatic, human_rights]
    source_text VARCHAR,            -- first source actor: words in the text
    source_code VARCHAR,            -- first source actor: country/organisation code
    source_sector VARCHAR,          -- first source actor: sector (GOV, MIL, COP, ...)
    source_org VARCHAR,             -- first source actor: organisation (EU, CSTO, Hamas ...)
    target_text VARCHAR,            -- first target actor, as above
    target_code VARCHAR,
    target_sector VARCHAR,
    target_org VARCHAR,
    -- every source and target actor; org says which organisation an IGO, NGO ... is
    sources STRUCT(text VARCHAR, code VARCHAR, sector VARCHAR, org VARCHAR)[] NOT NULL,
    targets STRUCT(text VARCHAR, code VARCHAR, sector VARCHAR, org VARCHAR)[] NOT NULL,
    event_text VARCHAR,             -- the words that triggered the event (PLOVER eventText)
    sentence VARCHAR,               -- the sentence the event was coded from (PLOVER text)
    span_start INTEGER,             -- span [start, end) of the sentence in the document, as coded
    span_end INTEGER,
    cameo VARCHAR,                  -- CAMEO root code, 01-20
    quad_class TINYINT,             -- 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    intensity DOUBLE,               -- Goldstein-style scale, -10 (conflict) .. +10 (cooperation)
    confidence DOUBLE NOT NULL,     -- 0..1, how sure the coder is
    location_name VARCHAR,          -- where it happened, when the sentence says so
    location_country VARCHAR,       -- ISO3 of that place
    location_lat DOUBLE,            -- coordinates of the place (NULL for a whole country)
    location_lon DOUBLE,
    attribution VARCHAR,            -- who says so, for reported events
    rule VARCHAR,                   -- lexicon entry that produced the event, e.g. verbs.yaml:arrest
    coder VARCHAR,                  -- stage versions that produced the event
    extra JSON                      -- anything else a stage attached (Event.extra), or NULL
);

-- People named in each document (the actor registry): who, coded as what, in
-- which document and on its date. A later document that names only a surname
-- ("Melia said ...") is resolved from these rows; see faultline/resolve/registry.py.
-- Written with the document, so a document's people are stored exactly once.
CREATE TABLE person_sightings (
    doc_hash VARCHAR NOT NULL REFERENCES documents (doc_hash),
    name VARCHAR NOT NULL,          -- the person's name as the text (or people table) gives it
    code VARCHAR,                   -- country/organisation code
    sector VARCHAR,                 -- sector (GOV, OPP, JRN, ...)
    org VARCHAR,                    -- the organisation they act for (UN, NATO, ...), if any
    role VARCHAR,                   -- how the text described them ("Georgian opposition leader")
    date DATE,                      -- the document's publication date (first day if partial)
    date_text VARCHAR,              -- that date as given: YYYY, YYYY-MM or YYYY-MM-DD
    source VARCHAR NOT NULL,        -- "people table" or "text" (described in the document)
    PRIMARY KEY (doc_hash, name)
);

-- The registry, one row per person and coding (code, sector, org), with the dates
-- the coding was first and last seen, the roles the texts gave and how many
-- documents named them.
CREATE VIEW people AS
SELECT name, code, sector, org,
       min(date) AS first_seen, max(date) AS last_seen,
       count(*) AS documents,
       list(DISTINCT role ORDER BY role) FILTER (WHERE role IS NOT NULL) AS roles,
       list(DISTINCT source ORDER BY source) AS sources
FROM person_sightings
GROUP BY name, code, sector, org;

-- One row per statement of dependence or leverage ("Russia supplies 85% of
-- Armenia's gas"): an edge supplier -> dependent for a good, with the sentence
-- that states it. Written with the events of its document, in one transaction.
CREATE TABLE dependencies (
    id VARCHAR PRIMARY KEY,
    doc_hash VARCHAR NOT NULL REFERENCES documents (doc_hash),
    doc_id VARCHAR NOT NULL,
    date DATE,                      -- the document's publication date
    date_text VARCHAR,              -- that date as given: YYYY, YYYY-MM or YYYY-MM-DD
    kind VARCHAR NOT NULL,          -- supply, reliance, control, trade, debt, security
    good VARCHAR,                   -- gas, oil, electricity, wheat, arms, trade...; NULL: unnamed
    good_sector VARCHAR,            -- energy, food, security, finance, trade...
    supplier_text VARCHAR,          -- the side relied on: words in the text
    supplier_code VARCHAR NOT NULL, -- its country/organisation code
    supplier_sector VARCHAR,        -- its sector (BUS for Gazprom, GOV, ...)
    supplier_org VARCHAR,           -- its organisation (EU, World Bank, ...), if any
    dependent_text VARCHAR,         -- the side that depends, as above
    dependent_code VARCHAR NOT NULL,
    dependent_sector VARCHAR,
    dependent_org VARCHAR,
    share DOUBLE,                   -- 0..1, the share of the dependent's need, when stated
    qualifier VARCHAR,              -- words of degree: about, most, largely
    trigger VARCHAR,                -- the word that states it: supplies, reliant, owned
    sentence VARCHAR,               -- the sentence it was found in
    span_start INTEGER,             -- span [start, end) of the sentence in the document
    span_end INTEGER,
    rule VARCHAR,                   -- dependency lexicon entry, e.g. dependencies.yaml:84:supply
    coder VARCHAR                   -- extractor and lexicon versions
);

-- Every actor mention in long form, one row per actor per side, for
-- analyses that must count all co-actors ("Russia and Belarus accused ...").
-- `position` is 1 for the first actor of its side (the one copied into
-- events.source_code / target_code), 2 for the next, and so on.
-- A view rather than a table: it cannot drift from `events`, costs nothing to
-- write, and DuckDB unnests millions of rows in well under a second.
CREATE VIEW actors AS
SELECT e.id AS event_id, e.doc_hash, 'source' AS role, u.pos::INTEGER AS position,
       u.actor.text AS text, u.actor.code AS code, u.actor.sector AS sector,
       u.actor.org AS org
FROM events AS e, UNNEST(e.sources) WITH ORDINALITY AS u(actor, pos)
UNION ALL
SELECT e.id AS event_id, e.doc_hash, 'target' AS role, u.pos::INTEGER AS position,
       u.actor.text AS text, u.actor.code AS code, u.actor.sector AS sector,
       u.actor.org AS org
FROM events AS e, UNNEST(e.targets) WITH ORDINALITY AS u(actor, pos);

-- Events in exactly the layout of faultline.models.Event.as_record(): the
-- PLOVER JSON lines export and Store.iter_event_records() both read this.
CREATE VIEW event_records AS
SELECT
    id,
    doc_id,
    doc_hash,
    date_text AS date,
    date_precision,
    date_fallback,
    event,
    mode,
    context,
    list_transform(sources, lambda a: {'actorText': a.text, 'code': a.code, 'sector': a.sector,
                                       'org': a.org}) AS source,
    list_transform(targets, lambda a: {'actorText': a.text, 'code': a.code, 'sector': a.sector,
                                       'org': a.org}) AS target,
    event_text AS eventText,
    sentence AS text,
    [span_start, span_end] AS span,
    cameo,
    quad_class,
    intensity,
    confidence,
    CASE WHEN location_name IS NULL THEN NULL
         ELSE {'name': location_name, 'country': location_country,
               'lat': location_lat, 'lon': location_lon} END AS location,
    attribution,
    rule,
    coder
FROM events;

-- One flat row per event for spreadsheets (the CSV export): first actors
-- only, contexts joined with ';', actor counts so multi-actor events show.
CREATE VIEW events_flat AS
SELECT
    id,
    doc_id,
    doc_hash,
    date_text AS date,
    date_precision,
    date_fallback,
    event,
    mode,
    array_to_string(context, ';') AS context,
    source_text,
    source_code,
    source_sector,
    source_org,
    target_text,
    target_code,
    target_sector,
    target_org,
    len(sources) AS n_sources,
    len(targets) AS n_targets,
    event_text,
    sentence,
    span_start,
    span_end,
    cameo,
    quad_class,
    intensity,
    confidence,
    location_name,
    location_country,
    location_lat,
    location_lon,
    attribution,
    rule,
    coder
FROM events;

-- == event clusters ==
-- Everything from this marker on is also run, on its own, against a database
-- created before event clusters existed (see connect.py, _add_clusters), so every
-- statement here says IF NOT EXISTS / OR REPLACE.
--
-- One real-world event is often reported by several articles, or twice in one.
-- Store.write groups the reports of one event into a cluster as it stores them
-- (faultline/store/clusters.py says how reports are matched); the analyses
-- count each cluster once and keep every mention browsable.

-- The words of every stored event that matching compares.
CREATE TABLE IF NOT EXISTS event_words (
    event_id VARCHAR PRIMARY KEY,   -- events.id
    words VARCHAR[] NOT NULL,       -- the sentence's content-word stems
    names VARCHAR[] NOT NULL        -- stems of the surnames among its actors ("Pavel Sorokin")
);

-- The cluster of every event reported more than once. An event not listed
-- here is a cluster of its own, with its own id as cluster id; keeping only
-- the repeated ones keeps the table small and `event_units` fast.
CREATE TABLE IF NOT EXISTS event_clusters (
    event_id VARCHAR PRIMARY KEY,   -- events.id
    cluster_id VARCHAR NOT NULL     -- the smallest event id of the cluster
);

-- One row per cluster of two or more reports: the report that stands for it.
CREATE TABLE IF NOT EXISTS clusters (
    cluster_id VARCHAR NOT NULL,
    representative VARCHAR NOT NULL, -- events.id of the best-dated, most confident report
    n_mentions INTEGER NOT NULL,     -- events (reports) in the cluster
    n_documents INTEGER NOT NULL,    -- distinct documents among them
    first_date DATE,                 -- earliest and latest date the reports give
    last_date DATE
);

-- One row per real-world event: the row of `events` that stands for it, with
-- its cluster id and report counts. Every analysis reads this view, so a
-- repeated report is counted once.
CREATE OR REPLACE VIEW event_units AS
WITH repeated AS (  -- small: only events reported more than once
    SELECT c.event_id, c.cluster_id, k.n_mentions, k.n_documents,
           c.event_id = k.representative AS shown
    FROM event_clusters AS c JOIN clusters AS k ON k.cluster_id = c.cluster_id
)
SELECT e.*,
       coalesce(r.cluster_id, e.id) AS cluster_id,
       coalesce(r.n_mentions, 1) AS n_mentions,
       coalesce(r.n_documents, 1) AS n_documents
FROM events AS e LEFT JOIN repeated AS r ON r.event_id = e.id
WHERE coalesce(r.shown, true);

-- == feeds ==
-- What `faultline watch` remembers between rounds (faultline/feeds/). Everything
-- from this marker to the next is also run, on its own, against a database made
-- before feeds existed (store/feeds.py), so every statement here says IF NOT EXISTS.

-- One row per feed, sitemap or JSON endpoint watched: the validators of its last
-- answer, sent back as If-None-Match / If-Modified-Since so an unchanged source
-- answers 304 and costs nothing.
CREATE TABLE IF NOT EXISTS feed_sources (
    url VARCHAR PRIMARY KEY,        -- the source as the sources file gives it
    etag VARCHAR,                   -- its last ETag header
    last_modified VARCHAR,          -- its last Last-Modified header
    checked_at TIMESTAMP NOT NULL   -- when it last answered (UTC)
);

-- One row per article page a round fetched or tried to: stored (or already stored
-- under another address), refused for good (a 404, not HTML, no text), or failed
-- for a while (a timeout, a 5xx), which the next rounds try again a few times
-- (feeds/watch.py, MAX_TRIES) before they give it up.
CREATE TABLE IF NOT EXISTS feed_pages (
    url VARCHAR PRIMARY KEY,        -- the page's address as listed, and where it redirected to
    reason VARCHAR,                 -- why it was refused; NULL when its text was ingested
    failures INTEGER NOT NULL,      -- rounds in a row it failed for a while; 0: done with
    seen_at TIMESTAMP NOT NULL      -- when (UTC)
);
-- == end of feeds ==

-- == stored parses ==
-- Everything from this marker to the next is also run, on its own, against a
-- database made before parses were kept (see connect.py), so every statement here
-- says IF NOT EXISTS. Its documents have no parse, and `faultline recode` passes
-- over them.

-- Each document's parse as `ingest` made it (faultline/nlp/stored.py packs it),
-- so that `faultline recode` codes the document again without parsing it.
CREATE TABLE IF NOT EXISTS parses (
    doc_hash VARCHAR PRIMARY KEY,   -- documents.doc_hash
    model VARCHAR NOT NULL,         -- the spaCy pipeline that parsed it: name and version
    parse BLOB NOT NULL             -- tokens, tags, tree and lemmas, zlib-compressed
);
-- == end of stored parses ==
