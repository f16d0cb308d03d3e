-- The tracker: what a job seeker keeps about each application beyond its status.
-- Interviews (with a calendar feed), follow-ups, contacts, what was sent, outcomes,
-- source and salary, tags, insights and an export with the stage history, and the
-- proposals the ai function's email action makes. Every table follows the house rules:
-- RLS with one policy per command named as a sentence, explicit grants, size CHECKs,
-- a per-user row cap (private.row_quotas), comments for the generated types, and rows
-- that cascade from auth.users (so export_my_data finds them and deletion removes them).
-- Columns and triggers on jobs itself live with jobs (20_jobs.sql).

-- Shared checks ------------------------------------------------------------------------

-- An IANA zone Postgres knows (America/Los_Angeles, Europe/Berlin, UTC), not a POSIX
-- offset such as 'UTC+3' whose sign reads backwards. 22023 otherwise.
create function private.assert_time_zone(zone text, what text) returns void language plpgsql stable set search_path = '' as $$
begin
  if zone is null or pg_catalog.char_length(zone) > 64
     or zone !~ '^[A-Za-z][A-Za-z0-9_]*(/[A-Za-z0-9_+-]+){0,2}$' then
    raise exception '% must be an IANA time zone name such as America/Los_Angeles', what
      using errcode = '22023';
  end if;
  perform pg_catalog.timezone(zone, pg_catalog.now());
exception when invalid_parameter_value then
  raise exception '% must be an IANA time zone name such as America/Los_Angeles', what
    using errcode = '22023', detail = pg_catalog.format('time zone %s is not known', zone);
end
$$;
grant execute on function private.assert_time_zone(text, text) to authenticated, service_role;
comment on function private.assert_time_zone(text, text) is
  $$Raises 22023 unless zone is an IANA time zone name Postgres knows; what names the argument in the message.$$;

-- Salary --------------------------------------------------------------------------------

-- One amount as written: 120,000 / 120.000 / 120'000 / 120000 / 25.50 / 25,50.
-- Null when the separators could mean two things (12,00,000; 1,2345).
create function private.salary_amount(token text) returns numeric language sql immutable set search_path = '' as $$
  select case
    when token ~ '^\d{1,3}(,\d{3})+(\.\d{1,2})?$' then pg_catalog.replace(token, ',', '')::numeric
    when token ~ '^\d{1,3}(\.\d{3})+(,\d{1,2})?$' then pg_catalog.replace(pg_catalog.replace(token, '.', ''), ',', '.')::numeric
    when token ~ '^\d{1,3}(''\d{3})+(\.\d{1,2})?$' then pg_catalog.replace(token, '''', '')::numeric
    when token ~ '^\d{1,9}([.,]\d{1,2})?$' then pg_catalog.replace(token, ',', '.')::numeric
  end
$$;
comment on function private.salary_amount(text) is
  $$One salary figure as written (thousands separators , . or ', decimals . or ,), or null when it is ambiguous.$$;

-- The structured salary in a free-text one, when it can be read one way only: one
-- currency (a symbol or an ISO code; a bare $ is USD, ¥ alone is JPY or CNY and so
-- unreadable), one figure or a range of two, and one period (said, or a year when the
-- figures are 10,000 or more). Anything else (no currency, a bonus beside the base,
-- a percentage, two periods, min over max) gives four nulls: better empty than wrong.
-- Few distinct regular expressions per call (plain string tests guard the optional
-- steps, alternatives share one pattern): Postgres caches only 32 compiled ones per
-- backend, and a job insert that cycles through more recompiles every one of them on
-- every row (6 ms a row in a 5,000-job import; scripts/bench/parts/bulk-import.mjs).
create function private.read_salary(salary_text text,
  out salary_min numeric, out salary_max numeric, out salary_currency text, out salary_period text) language plpgsql immutable set search_path = '' as $$
declare
  s text := pg_catalog.lower(pg_catalog.left(coalesce(salary_text, ''), 255));
  number_re constant text := '(\d(?:[\d.,'']*\d)?)\s*(k(?![a-z])|lakhs?|lacs?|l(?=pa)|l(?![a-z]))?';
  currency_re constant text :=
    '\m(aed|aud|brl|cad|chf|cny|czk|dkk|eur|gbp|hkd|huf|inr|jpy|krw|mxn|nok|nzd|pln|ron|sek|sgd|usd|zar)\M';
  currency_count integer;
  currencies text[];
  periods text[];
  m text[];
  low numeric;
  high numeric;
  bound text;
begin
  -- No figure, no salary (nothing below adds or removes a digit): most such texts
  -- ("competitive", "DOE") end here, before any currency or period is looked for.
  if pg_catalog.strpos(s, '%') > 0 or s !~ '\d' then
    return;
  end if;
  s := pg_catalog.translate(s, E'–—‒−―\u00a0\u202f\u2009\t', '-----    ');
  -- 60 000 and 1 200 000: thousands separated by spaces.
  if pg_catalog.strpos(s, ' ') > 0 then
    s := pg_catalog.regexp_replace(s, '(\d) (\d{3})(?!\d)', '\1\2', 'g');
    s := pg_catalog.regexp_replace(s, '(\d) (\d{3})(?!\d)', '\1\2', 'g');
  end if;
  -- Currency symbols and names become ISO codes (prefixed dollars before the bare $).
  if s ~ '[a-z.]\s?\$' then
    s := pg_catalog.regexp_replace(s, '(^|[^a-z])(us|u\.s\.)\s?\$', '\1 usd ', 'g');
    s := pg_catalog.regexp_replace(s, '(^|[^a-z])(ca|c|can)\s?\$', '\1 cad ', 'g');
    s := pg_catalog.regexp_replace(s, '(^|[^a-z])(au|a)\s?\$', '\1 aud ', 'g');
    s := pg_catalog.regexp_replace(s, '(^|[^a-z])nz\s?\$', '\1 nzd ', 'g');
    s := pg_catalog.regexp_replace(s, '(^|[^a-z])s\s?\$', '\1 sgd ', 'g');
    s := pg_catalog.regexp_replace(s, '(^|[^a-z])hk\s?\$', '\1 hkd ', 'g');
    s := pg_catalog.regexp_replace(s, '(^|[^a-z])r\s?\$', '\1 brl ', 'g');
    s := pg_catalog.regexp_replace(s, '(^|[^a-z])mx\s?\$', '\1 mxn ', 'g');
  end if;
  s := pg_catalog.replace(s, '$', ' usd ');
  s := pg_catalog.replace(s, '€', ' eur ');
  s := pg_catalog.replace(s, '£', ' gbp ');
  s := pg_catalog.replace(s, '₹', ' inr ');
  s := pg_catalog.replace(s, 'zł', ' pln ');
  -- Currency names, behind one test of the words they start with (most texts name none).
  if s ~ '\m(euro|rs|rupee|yen|rmb|yuan)' then
    s := pg_catalog.regexp_replace(s, '\m(euros?)\M', ' eur ', 'g');
    s := pg_catalog.regexp_replace(s, '\m(rs\.?|rupees?)(?![a-z])', ' inr ', 'g');
    s := pg_catalog.regexp_replace(s, '\m(yen)\M', ' jpy ', 'g');
    s := pg_catalog.regexp_replace(s, '\m(rmb|yuan)\M', ' cny ', 'g');
  end if;
  -- One currency written once (the usual case) is read by an expression; only a text
  -- naming currencies more than once runs the query that collects the distinct ones.
  currency_count := pg_catalog.regexp_count(s, currency_re);
  if currency_count = 1 then
    currencies := array[pg_catalog.upper((pg_catalog.regexp_match(s, currency_re))[1])];
  elsif currency_count > 1 then
    select pg_catalog.array_agg(distinct pg_catalog.upper(c[1])) into currencies
      from pg_catalog.regexp_matches(s, currency_re, 'g') c;
  end if;
  if pg_catalog.strpos(s, '¥') > 0 and not (currencies && array['JPY', 'CNY']) then
    return;
  end if;
  if coalesce(pg_catalog.array_length(currencies, 1), 0) <> 1 then
    return;
  end if;

  -- Periods: said with /, per, a(n), or a word of its own. One expression, not a query
  -- (a query's executor start-up cost more per row than its five tests).
  periods := pg_catalog.array_remove(array[
    case when s ~ '(/\s*|\mper\s+|\man?\s+)(h|hr|hrs|hour|std|stunde)\M|\m(hourly|ph|p/h)\M' then 'hour' end,
    case when s ~ '(/\s*|\mper\s+|\ma\s+)(d|day|tag)\M|\m(daily|pd|per diem|day rate)\M' then 'day' end,
    case when s ~ '(/\s*|\mper\s+|\ma\s+)(wk|week|woche)\M|\m(weekly|pw)\M' then 'week' end,
    case when s ~ '(/\s*|\mper\s+|\ma\s+)(mo|mth|month|monat)\M|\m(monthly|pcm|monatlich)\M' then 'month' end,
    case when s ~ '(/\s*|\mper\s+|\ma\s+)(y|yr|year|annum|jahr)\M|\m(yearly|annual|annually|pa|lpa|ctc|jährlich)\M|\mp\.a\.?' then 'year' end],
    null);
  if periods = '{}' then
    periods := null;
  end if;

  -- Open ranges: "up to X" has a top only; "from X" / "X+" a bottom only.
  if s ~ '\m(up to|upto|max|maximum|bis zu)\M' then
    bound := 'max';
    s := pg_catalog.regexp_replace(s, '\m(up to|upto|maximum|max|bis zu)\M', ' ', 'g');
  elsif s ~ '\m(from|starting at|starting from|min|minimum|ab)\M|\d\s*(k|l)?\+' then
    bound := 'min';
    s := pg_catalog.regexp_replace(s, '\m(from|starting at|starting from|minimum|min|ab)\M', ' ', 'g');
  end if;
  if pg_catalog.strpos(s, 'to') > 0 or pg_catalog.strpos(s, 'bis') > 0 or pg_catalog.strpos(s, 'and') > 0 then
    s := pg_catalog.regexp_replace(s, '\s(to|bis|and)\s', ' - ', 'g');
  end if;
  if pg_catalog.strpos(s, 'thousand') > 0 then
    s := pg_catalog.regexp_replace(s, '\mthousand\M', 'k', 'g');
  end if;

  m := pg_catalog.regexp_match(s, '^\D*' || number_re || '\s*(?:[a-z]{3}\s*)?-\s*(?:[a-z]{3}\s*)?' || number_re || '\D*$');
  if m is not null then
    low := private.salary_amount(m[1]);
    high := private.salary_amount(m[3]);
    -- "120-150k": the unit written once, after the second figure, counts for both.
    if m[2] is null and m[4] is not null and low < 1000 then
      m[2] := m[4];
    end if;
    low := low * case when m[2] = 'k' then 1000 when m[2] is not null then 100000 else 1 end;
    high := high * case when m[4] = 'k' then 1000 when m[4] is not null then 100000 else 1 end;
    bound := null;
  else
    m := pg_catalog.regexp_match(s, '^\D*' || number_re || '\D*$');
    if m is null then
      return;
    end if;
    low := private.salary_amount(m[1]) * case when m[2] = 'k' then 1000 when m[2] is not null then 100000 else 1 end;
    high := low;
  end if;
  if low is null or high is null or low <= 0 or low > high or high >= 10000000000 then
    return;
  end if;

  if coalesce(pg_catalog.array_length(periods, 1), 0) > 1 then
    return;
  elsif periods is null then
    if high < 10000 then
      return;
    end if;
    periods := array['year'];
  end if;

  salary_min := case when bound = 'max' then null else low end;
  salary_max := case when bound = 'min' then null else high end;
  salary_currency := currencies[1];
  salary_period := periods[1];
end
$$;
comment on function private.read_salary(text) is
  $$Reads salary_min, salary_max, salary_currency (ISO 4217) and salary_period from a salary text when it can be read one way only; four nulls otherwise.$$;

-- Settings ------------------------------------------------------------------------------

create table public.tracker_settings (
  user_id uuid primary key default auth.uid() references auth.users (id) on delete cascade,
  follow_up_days integer not null default 7,
  ghosted_after_days integer not null default 30,
  time_zone text not null default 'UTC',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint tracker_settings_follow_up_days_range check (follow_up_days between 1 and 365),
  constraint tracker_settings_ghosted_after_days_range check (ghosted_after_days between 1 and 365),
  constraint tracker_settings_time_zone_size check (char_length(time_zone) <= 64)
);
alter table public.tracker_settings enable row level security;
comment on table public.tracker_settings is $$Per-user tracker settings; without a row the defaults apply.$$;
comment on column public.tracker_settings.follow_up_days is $$Days after a job moves to applied that its follow-up is set (1-365, default 7).$$;
comment on column public.tracker_settings.ghosted_after_days is $$Days an applied job may go without a status change before it is listed as possibly ghosted (1-365, default 30).$$;
comment on column public.tracker_settings.time_zone is $$IANA time zone the calendar feed dates follow-ups in (default UTC).$$;
comment on column public.tracker_settings.created_at is $$When the settings were first saved.$$;
comment on column public.tracker_settings.updated_at is $$When the settings last changed (set by trigger).$$;

-- Contacts -------------------------------------------------------------------------------

create table public.contacts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  name text not null,
  email text,
  phone text,
  company text,
  role text,
  profile_url text,
  notes text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint contacts_name_size check (btrim(name) <> '' and char_length(name) <= 200),
  constraint contacts_email_size check (octet_length(email) <= 320),
  constraint contacts_email_format check (email ~ '^[^[:space:]@]+@[^[:space:]@]+$'),
  constraint contacts_phone_size check (char_length(phone) <= 50),
  constraint contacts_company_size check (char_length(company) <= 255),
  constraint contacts_role_size check (char_length(role) <= 200),
  constraint contacts_profile_url_size check (octet_length(profile_url) <= 2048),
  constraint contacts_profile_url_format check (profile_url ~* '^https?://[^[:space:]/?#]+[^[:space:]]*$'),
  constraint contacts_notes_size check (octet_length(notes) <= 20000)
);
alter table public.contacts enable row level security;
comment on table public.contacts is $$People the user deals with in their job search (recruiters, hiring managers, interviewers, referrers).$$;
comment on column public.contacts.name is $$Full name (1-200 characters).$$;
comment on column public.contacts.email is $$Email address, if known (never shown in the calendar feed).$$;
comment on column public.contacts.phone is $$Phone number, if known (at most 50 characters).$$;
comment on column public.contacts.company is $$Where the contact works.$$;
comment on column public.contacts.role is $$Their job title or role.$$;
comment on column public.contacts.profile_url is $$A profile link (http or https), e.g. LinkedIn.$$;
comment on column public.contacts.notes is $$Free notes (at most 20 KB).$$;
comment on column public.contacts.created_at is $$When the contact was added.$$;
comment on column public.contacts.updated_at is $$When the contact last changed (set by trigger).$$;

create table public.job_contacts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  job_id uuid not null references public.jobs (id) on delete cascade,
  contact_id uuid not null references public.contacts (id) on delete cascade,
  part text not null,
  created_at timestamptz not null default now(),
  constraint job_contacts_part_check check (part in ('recruiter', 'hiring_manager', 'interviewer', 'referrer')),
  constraint job_contacts_one_part_per_contact unique (job_id, contact_id, part)
);
alter table public.job_contacts enable row level security;
comment on table public.job_contacts is $$Which of the user’s contacts take which part in which of their jobs.$$;
comment on column public.job_contacts.job_id is $$One of the owner’s jobs.$$;
comment on column public.job_contacts.contact_id is $$One of the owner’s contacts.$$;
comment on column public.job_contacts.part is $$The contact’s part in this job: recruiter, hiring_manager, interviewer or referrer.$$;
comment on column public.job_contacts.created_at is $$When the link was made.$$;

-- Interviews -----------------------------------------------------------------------------

create table public.interviews (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  job_id uuid not null references public.jobs (id) on delete cascade,
  round integer not null default 1,
  kind text not null default 'other',
  starts_at timestamptz not null,
  time_zone text not null,
  duration_minutes integer not null default 60,
  location text,
  meeting_url text,
  notes text,
  outcome text not null default 'scheduled',
  sequence integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint interviews_round_range check (round between 1 and 50),
  constraint interviews_kind_check check (kind in
    ('phone_screen', 'technical', 'take_home', 'on_site', 'panel', 'hiring_manager', 'hr', 'final', 'other')),
  constraint interviews_time_zone_size check (char_length(time_zone) <= 64),
  constraint interviews_duration_minutes_range check (duration_minutes between 1 and 1440),
  constraint interviews_location_size check (char_length(location) <= 500),
  constraint interviews_meeting_url_size check (octet_length(meeting_url) <= 2048),
  constraint interviews_meeting_url_format check (meeting_url ~* '^https?://[^[:space:]/?#]+[^[:space:]]*$'),
  constraint interviews_notes_size check (octet_length(notes) <= 20000),
  constraint interviews_outcome_check check (outcome in ('scheduled', 'passed', 'not_passed', 'cancelled', 'no_show')),
  constraint interviews_sequence_not_negative check (sequence >= 0)
);
alter table public.interviews enable row level security;
comment on table public.interviews is $$Interviews per job. The first one moves a job that is not yet interviewing there; each shows in the calendar feed.$$;
comment on column public.interviews.id is $$Primary key; the calendar UID is interview-<id>@jobstalker.$$;
comment on column public.interviews.job_id is $$One of the owner’s jobs.$$;
comment on column public.interviews.round is $$Which round (1-50).$$;
comment on column public.interviews.kind is $$phone_screen, technical, take_home, on_site, panel, hiring_manager, hr, final or other.$$;
comment on column public.interviews.starts_at is $$When it starts (an instant; send it with its offset, e.g. 2027-03-15T10:00:00-07:00).$$;
comment on column public.interviews.time_zone is $$The IANA time zone it was arranged in (America/Los_Angeles, Europe/Berlin, ...).$$;
comment on column public.interviews.duration_minutes is $$How long it lasts (1-1440 minutes, default 60).$$;
comment on column public.interviews.location is $$Where it takes place (at most 500 characters).$$;
comment on column public.interviews.meeting_url is $$The meeting link (http or https).$$;
comment on column public.interviews.notes is $$Private notes (at most 20 KB; never shown in the calendar feed).$$;
comment on column public.interviews.outcome is $$scheduled, passed, not_passed, cancelled (STATUS:CANCELLED in the feed) or no_show.$$;
comment on column public.interviews.sequence is $$How often a calendar-visible field changed (RFC 5545 SEQUENCE); kept by the database.$$;
comment on column public.interviews.created_at is $$When the interview was added.$$;
comment on column public.interviews.updated_at is $$When it last changed (LAST-MODIFIED in the feed; set by trigger).$$;

create table public.interview_participants (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  interview_id uuid not null references public.interviews (id) on delete cascade,
  contact_id uuid not null references public.contacts (id) on delete cascade,
  created_at timestamptz not null default now(),
  constraint interview_participants_once unique (interview_id, contact_id)
);
alter table public.interview_participants enable row level security;
comment on table public.interview_participants is $$Which of the user’s contacts take part in which of their interviews.$$;
comment on column public.interview_participants.interview_id is $$One of the owner’s interviews.$$;
comment on column public.interview_participants.contact_id is $$One of the owner’s contacts.$$;
comment on column public.interview_participants.created_at is $$When the participant was added.$$;

-- Tags -------------------------------------------------------------------------------------

create table public.tags (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  name text not null,
  created_at timestamptz not null default now(),
  constraint tags_name_size check (btrim(name) <> '' and char_length(name) <= 50)
);
alter table public.tags enable row level security;
comment on table public.tags is $$The user’s own labels for jobs; names unique per user in any case.$$;
comment on column public.tags.name is $$The label (1-50 characters).$$;
comment on column public.tags.created_at is $$When the tag was made.$$;

create table public.job_tags (
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  job_id uuid not null references public.jobs (id) on delete cascade,
  tag_id uuid not null references public.tags (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (job_id, tag_id)
);
alter table public.job_tags enable row level security;
comment on table public.job_tags is $$Which of the user’s tags are on which of their jobs.$$;
comment on column public.job_tags.job_id is $$One of the owner’s jobs.$$;
comment on column public.job_tags.tag_id is $$One of the owner’s tags.$$;
comment on column public.job_tags.created_at is $$When the tag was put on the job.$$;

-- What was sent ----------------------------------------------------------------------------

create table public.job_materials (
  job_id uuid primary key references public.jobs (id) on delete cascade,
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  generated_resume_id uuid references public.generated_resumes (id) on delete set null,
  resume_version integer,
  cover_letter_id uuid references public.cover_letters (id) on delete set null,
  resume_id uuid references public.resumes (id) on delete set null,
  frozen_at timestamptz, -- once set, the sent_* columns hold copies of what was sent
  sent_resume_title text,
  sent_cover_letter text,
  sent_resume_file_name text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint job_materials_resume_version_exists foreign key (generated_resume_id, resume_version)
    references public.generated_resume_versions (generated_resume_id, version_number) on delete set null (generated_resume_id),
  constraint job_materials_resume_version_positive check (resume_version >= 1),
  constraint job_materials_sent_resume_title_size check (octet_length(sent_resume_title) <= 1024),
  constraint job_materials_sent_cover_letter_size check (char_length(sent_cover_letter) <= 20000),
  constraint job_materials_sent_resume_file_name_size check (char_length(sent_resume_file_name) <= 255)
);
alter table public.job_materials enable row level security;
comment on table public.job_materials is
  $$What was sent with an application: a generated resume version, a cover letter and/or an uploaded resume file. Frozen when the job moves to applied (or at once when recorded later): the version is pinned and the letter text, resume title and file name copied.$$;
comment on column public.job_materials.job_id is $$One of the owner’s jobs (one record per job).$$;
comment on column public.job_materials.generated_resume_id is $$The generated resume sent, one of the owner’s; null once that resume is deleted.$$;
comment on column public.job_materials.resume_version is $$Which version of it; the newest at the moment of freezing when left empty.$$;
comment on column public.job_materials.cover_letter_id is $$The cover letter sent, one of the owner’s; null once deleted.$$;
comment on column public.job_materials.resume_id is $$The uploaded resume file sent, one of the owner’s; null once deleted.$$;
comment on column public.job_materials.frozen_at is $$When the record was frozen (the job was applied); null while it may change.$$;
comment on column public.job_materials.sent_resume_title is $$The generated resume’s title when frozen.$$;
comment on column public.job_materials.sent_cover_letter is $$The cover letter’s text when frozen.$$;
comment on column public.job_materials.sent_resume_file_name is $$The uploaded file’s name when frozen.$$;
comment on column public.job_materials.created_at is $$When the record was made.$$;
comment on column public.job_materials.updated_at is $$When it last changed (set by trigger).$$;

-- Proposals from company emails --------------------------------------------------------------

create table public.email_proposals (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  email_kind text not null,
  summary text not null,
  job_id uuid references public.jobs (id) on delete cascade,
  new_job_title text,
  new_job_company text,
  proposed_status text,
  closing_reason text,
  interview_starts_at timestamptz,
  interview_time_zone text,
  interview_kind text,
  interview_duration_minutes integer,
  interview_location text,
  interview_meeting_url text,
  contact_name text,
  contact_email text,
  contact_part text,
  state text not null default 'pending',
  decided_at timestamptz,
  result jsonb,
  model text,
  created_at timestamptz not null default now(),
  constraint email_proposals_email_kind_check check (email_kind in
    ('confirmation', 'rejection', 'interview_invitation', 'offer', 'other')),
  constraint email_proposals_summary_size check (btrim(summary) <> '' and char_length(summary) <= 500),
  -- Either one of the user's jobs or a new one, never both.
  constraint email_proposals_one_job check (
    (job_id is not null and new_job_title is null and new_job_company is null)
    or (job_id is null and new_job_title is not null and new_job_company is not null
        and btrim(new_job_title) <> '' and btrim(new_job_company) <> '')),
  constraint email_proposals_new_job_title_size check (char_length(new_job_title) <= 255),
  constraint email_proposals_new_job_company_size check (char_length(new_job_company) <= 255),
  constraint email_proposals_proposed_status_check check (proposed_status in
    ('bookmarked', 'applying', 'applied', 'interviewing', 'negotiating', 'accepted', 'rejected', 'withdrawn')),
  constraint email_proposals_closing_reason_check check (closing_reason in
    ('rejected_after_application', 'rejected_after_screen', 'rejected_after_interview', 'rejected_after_offer',
     'withdrawn_by_me', 'position_closed', 'no_response')),
  constraint email_proposals_interview_complete check (
    (interview_starts_at is null) = (interview_time_zone is null)),
  constraint email_proposals_interview_time_zone_size check (char_length(interview_time_zone) <= 64),
  constraint email_proposals_interview_kind_check check (interview_kind in
    ('phone_screen', 'technical', 'take_home', 'on_site', 'panel', 'hiring_manager', 'hr', 'final', 'other')),
  constraint email_proposals_interview_duration_range check (interview_duration_minutes between 1 and 1440),
  constraint email_proposals_interview_location_size check (char_length(interview_location) <= 500),
  constraint email_proposals_interview_meeting_url_size check (octet_length(interview_meeting_url) <= 2048),
  constraint email_proposals_interview_meeting_url_format check (interview_meeting_url ~* '^https?://[^[:space:]/?#]+[^[:space:]]*$'),
  constraint email_proposals_contact_name_size check (btrim(contact_name) <> '' and char_length(contact_name) <= 200),
  constraint email_proposals_contact_email_size check (octet_length(contact_email) <= 320),
  constraint email_proposals_contact_email_format check (contact_email ~ '^[^[:space:]@]+@[^[:space:]@]+$'),
  constraint email_proposals_contact_part_check check (contact_part in ('recruiter', 'hiring_manager', 'interviewer', 'referrer')),
  constraint email_proposals_state_check check (state in ('pending', 'confirmed', 'dismissed')),
  constraint email_proposals_decided check ((state = 'pending') = (decided_at is null)),
  constraint email_proposals_result_size check (octet_length(result::text) <= 4096),
  constraint email_proposals_model_size check (char_length(model) <= 200)
);
alter table public.email_proposals enable row level security;
comment on table public.email_proposals is
  $$Changes the ai function's read-email action proposes from a company's email; nothing changes until confirm_email_proposal.$$;
comment on column public.email_proposals.email_kind is $$What the email is: confirmation, rejection, interview_invitation, offer or other.$$;
comment on column public.email_proposals.summary is $$One sentence saying what the email says and what is proposed.$$;
comment on column public.email_proposals.job_id is $$The owner’s job the email is about; null when a new job is proposed.$$;
comment on column public.email_proposals.new_job_title is $$The position of the proposed new job (with new_job_company).$$;
comment on column public.email_proposals.new_job_company is $$The company of the proposed new job.$$;
comment on column public.email_proposals.proposed_status is $$The status the job should move to, if any.$$;
comment on column public.email_proposals.closing_reason is $$The closing reason with a rejected or withdrawn status.$$;
comment on column public.email_proposals.interview_starts_at is $$When the proposed interview starts.$$;
comment on column public.email_proposals.interview_time_zone is $$The IANA time zone the email gave for it.$$;
comment on column public.email_proposals.interview_kind is $$The kind of interview (as interviews.kind).$$;
comment on column public.email_proposals.interview_duration_minutes is $$Its length in minutes, if the email said.$$;
comment on column public.email_proposals.interview_location is $$Where, if the email said.$$;
comment on column public.email_proposals.interview_meeting_url is $$The meeting link, if the email gave one.$$;
comment on column public.email_proposals.contact_name is $$The sender or person to add as a contact.$$;
comment on column public.email_proposals.contact_email is $$Their email address.$$;
comment on column public.email_proposals.contact_part is $$Their part in the job (recruiter, hiring_manager, interviewer, referrer).$$;
comment on column public.email_proposals.state is $$pending until confirmed or dismissed by RPC.$$;
comment on column public.email_proposals.decided_at is $$When it was confirmed or dismissed.$$;
comment on column public.email_proposals.result is $$What confirming did: {job_id, interview_id, contact_id, status}.$$;
comment on column public.email_proposals.model is $$The AI model that made the proposal.$$;
comment on column public.email_proposals.created_at is $$When the proposal was made.$$;

-- The calendar feed's secret: only its SHA-256 is kept, so a copy of the database does
-- not hand out working feed URLs. One live feed per user; rotating replaces the row.
create table private.calendar_feeds (
  user_id uuid primary key references auth.users (id) on delete cascade,
  token_hash bytea not null,
  created_at timestamptz not null default now(),
  constraint calendar_feeds_token_hash_size check (octet_length(token_hash) = 32)
);
comment on table private.calendar_feeds is
  $$One calendar feed per user: the SHA-256 of its secret token (the token itself is shown once, by create_calendar_feed).$$;

-- Indexes ----------------------------------------------------------------------------------

create index idx_contacts_user_name on public.contacts (user_id, name);

create index idx_job_contacts_user on public.job_contacts (user_id);
create index idx_job_contacts_contact on public.job_contacts (contact_id);

create index idx_interviews_user_starts on public.interviews (user_id, starts_at);
create index idx_interviews_job on public.interviews (job_id);

create index idx_interview_participants_user on public.interview_participants (user_id);
create index idx_interview_participants_contact on public.interview_participants (contact_id);

create unique index tags_one_name_per_user on public.tags (user_id, lower(name));

create index idx_job_tags_user on public.job_tags (user_id);
create index idx_job_tags_tag on public.job_tags (tag_id);

create index idx_job_materials_user on public.job_materials (user_id);
create index idx_job_materials_generated_resume on public.job_materials (generated_resume_id, resume_version);
create index idx_job_materials_cover_letter on public.job_materials (cover_letter_id);
create index idx_job_materials_resume on public.job_materials (resume_id);

create index idx_email_proposals_user_created on public.email_proposals (user_id, created_at desc);
create index idx_email_proposals_job on public.email_proposals (job_id);

create unique index calendar_feeds_token_hash_key on private.calendar_feeds (token_hash);

-- Triggers -----------------------------------------------------------------------------------

create function private.check_tracker_settings() returns trigger language plpgsql set search_path = '' as $$
begin
  perform private.assert_time_zone(new.time_zone, 'time_zone');
  return new;
end
$$;
comment on function private.check_tracker_settings() is $$Trigger: tracker_settings.time_zone must be an IANA zone (22023).$$;

-- A change a calendar app must pick up bumps SEQUENCE (RFC 5545 3.8.7.4); the client
-- never sets it.
create function private.version_interview() returns trigger language plpgsql set search_path = '' as $$
begin
  perform private.assert_time_zone(new.time_zone, 'time_zone');
  if tg_op = 'INSERT' then
    new.sequence := 0;
  elsif (new.starts_at, new.time_zone, new.duration_minutes, new.location, new.meeting_url, new.outcome, new.kind, new.round)
        is distinct from
        (old.starts_at, old.time_zone, old.duration_minutes, old.location, old.meeting_url, old.outcome, old.kind, old.round) then
    new.sequence := old.sequence + 1;
  else
    new.sequence := old.sequence;
  end if;
  return new;
end
$$;
comment on function private.version_interview() is
  $$Trigger: checks the time zone, and counts calendar-visible changes in interviews.sequence.$$;

-- The first interview moves a job that is not yet interviewing there, through the jobs
-- trigger (so the status history records it). Runs as the caller: the owner may update
-- their job's status; a job further on (negotiating, closed) is left where it is.
create function private.move_job_to_interviewing() returns trigger language plpgsql set search_path = '' as $$
begin
  update public.jobs j set status = 'interviewing'
   where j.id = new.job_id and j.status in ('bookmarked', 'applying', 'applied');
  return null;
end
$$;
comment on function private.move_job_to_interviewing() is
  $$Trigger: an interview moves its bookmarked, applying or applied job to interviewing.$$;

-- What was sent is frozen when the job is applied: the version of the generated resume
-- (the newest one when none was named), the cover letter's text and the file's name
-- are copied, and the row no longer changes. SECURITY DEFINER: the snapshot columns and
-- frozen_at are not writable by the API roles; the body touches only the row of `job`
-- and reads only rows of that row's owner.
create function private.freeze_job_materials(job uuid) returns void language plpgsql security definer set search_path = '' as $$
begin
  update public.job_materials m
     set frozen_at = pg_catalog.now(),
         resume_version = coalesce(m.resume_version,
           (select gr.current_version from public.generated_resumes gr
             where gr.id = m.generated_resume_id and gr.user_id = m.user_id)),
         sent_resume_title = (select gr.title from public.generated_resumes gr
                               where gr.id = m.generated_resume_id and gr.user_id = m.user_id),
         sent_cover_letter = (select c.content from public.cover_letters c
                               where c.id = m.cover_letter_id and c.user_id = m.user_id),
         sent_resume_file_name = (select r.filename from public.resumes r
                                   where r.id = m.resume_id and r.user_id = m.user_id)
   where m.job_id = job and m.frozen_at is null;
end
$$;
grant execute on function private.freeze_job_materials(uuid) to authenticated, service_role;
comment on function private.freeze_job_materials(uuid) is
  $$Freezes what was sent for one job: pins the resume version and copies the cover letter text, resume title and file name.$$;

-- A frozen record keeps what it says; only links to rows deleted since may go (their
-- foreign keys set them to null), the copies stay.
create function private.guard_job_materials() returns trigger language plpgsql set search_path = '' as $$
begin
  if tg_op = 'UPDATE' and old.frozen_at is not null then
    if (new.generated_resume_id is not null and new.generated_resume_id is distinct from old.generated_resume_id)
       or (new.cover_letter_id is not null and new.cover_letter_id is distinct from old.cover_letter_id)
       or (new.resume_id is not null and new.resume_id is distinct from old.resume_id)
       or (new.resume_version, new.frozen_at, new.sent_resume_title, new.sent_cover_letter, new.sent_resume_file_name)
          is distinct from
          (old.resume_version, old.frozen_at, old.sent_resume_title, old.sent_cover_letter, old.sent_resume_file_name) then
      raise exception 'What was sent for this application is frozen since it was applied.'
        using errcode = 'PT409', hint = 'The record keeps what went out; change the resume or letter itself instead.';
    end if;
  end if;
  return new;
end
$$;
comment on function private.guard_job_materials() is
  $$Trigger: a frozen job_materials row refuses changes (PT409) except links set to null by deletes.$$;

-- Recorded after the job was applied: frozen at once.
create function private.freeze_late_job_materials() returns trigger language plpgsql set search_path = '' as $$
begin
  if exists (select 1 from public.jobs j
              where j.id = new.job_id and j.status not in ('bookmarked', 'applying')) then
    perform private.freeze_job_materials(new.job_id);
  end if;
  return null;
end
$$;
comment on function private.freeze_late_job_materials() is
  $$Trigger: what was sent, recorded for a job already applied, is frozen at once.$$;

create trigger check_tracker_settings before insert or update of time_zone on public.tracker_settings
  for each row execute function private.check_tracker_settings();
create trigger version_interview before insert or update on public.interviews
  for each row execute function private.version_interview();
create trigger move_job_to_interviewing after insert on public.interviews
  for each row execute function private.move_job_to_interviewing();
create trigger guard_job_materials before update on public.job_materials
  for each row execute function private.guard_job_materials();
create trigger freeze_late_job_materials after insert on public.job_materials
  for each row execute function private.freeze_late_job_materials();

-- Row caps: each table here is listed in private.row_quotas (80_account.sql), whose
-- loop gives it the four counting triggers.

-- RLS and grants -------------------------------------------------------------------------------
-- Owners read, add, change and delete their own rows; a row that links two things may
-- link only the owner's own. Owner columns and the links a row is about (job_id,
-- contact_id, ...) are not updatable: a row is deleted and added again instead.

call private.grant_table_access('public.tracker_settings', may_delete => true,
  insert_columns => '{user_id, follow_up_days, ghosted_after_days, time_zone}',
  update_columns => '{follow_up_days, ghosted_after_days, time_zone}');
call private.create_owner_policies('public.tracker_settings',
  'Owners can view their own tracker settings',
  'Owners can add their own tracker settings',
  'Owners can change their own tracker settings',
  'Owners can delete their own tracker settings');

call private.grant_table_access('public.contacts', may_delete => true,
  insert_columns => '{id, user_id, name, email, phone, company, role, profile_url, notes}',
  update_columns => '{name, email, phone, company, role, profile_url, notes}');
call private.create_owner_policies('public.contacts',
  'Owners can view their own contacts',
  'Owners can add their own contacts',
  'Owners can edit their own contacts',
  'Owners can delete their own contacts');

call private.grant_table_access('public.job_contacts', may_delete => true,
  insert_columns => '{id, user_id, job_id, contact_id, part}');
call private.create_owner_policies('public.job_contacts',
  'Owners can view the contacts linked to their jobs',
  'Owners can link their own contacts to their own jobs',
  null,
  'Owners can unlink contacts from their own jobs',
  insert_references => '{job_id, contact_id}');

call private.grant_table_access('public.interviews', may_delete => true,
  insert_columns => '{id, user_id, job_id, round, kind, starts_at, time_zone, duration_minutes, location, meeting_url, notes, outcome}',
  update_columns => '{round, kind, starts_at, time_zone, duration_minutes, location, meeting_url, notes, outcome}');
call private.create_owner_policies('public.interviews',
  'Owners can view their own interviews',
  'Owners can add interviews to their own jobs',
  'Owners can edit their own interviews',
  'Owners can delete their own interviews',
  insert_references => '{job_id}');

call private.grant_table_access('public.interview_participants', may_delete => true,
  insert_columns => '{id, user_id, interview_id, contact_id}');
call private.create_owner_policies('public.interview_participants',
  'Owners can view who takes part in their interviews',
  'Owners can add their own contacts to their own interviews',
  null,
  'Owners can remove participants from their own interviews',
  insert_references => '{interview_id, contact_id}');

call private.grant_table_access('public.tags', may_delete => true,
  insert_columns => '{id, user_id, name}',
  update_columns => '{name}');
call private.create_owner_policies('public.tags',
  'Owners can view their own tags',
  'Owners can add their own tags',
  'Owners can rename their own tags',
  'Owners can delete their own tags');

call private.grant_table_access('public.job_tags', may_delete => true,
  insert_columns => '{user_id, job_id, tag_id}');
call private.create_owner_policies('public.job_tags',
  'Owners can view the tags on their jobs',
  'Owners can put their own tags on their own jobs',
  null,
  'Owners can take tags off their own jobs',
  insert_references => '{job_id, tag_id}');

call private.grant_table_access('public.job_materials', may_delete => true,
  insert_columns => '{user_id, job_id, generated_resume_id, resume_version, cover_letter_id, resume_id}',
  update_columns => '{generated_resume_id, resume_version, cover_letter_id, resume_id}');
call private.create_owner_policies('public.job_materials',
  'Owners can view what they sent',
  'Owners can record what they sent for their own jobs',
  'Owners can change what they sent before it is frozen',
  'Owners can delete their own record of what was sent',
  insert_references => '{job_id, generated_resume_id, cover_letter_id, resume_id}',
  update_references => '{generated_resume_id, cover_letter_id, resume_id}');

-- Proposals are written by the ai function as the caller and decided by RPC only.
call private.grant_table_access('public.email_proposals', may_delete => true,
  insert_columns => '{id, user_id, email_kind, summary, job_id, new_job_title, new_job_company, proposed_status, closing_reason, interview_starts_at, interview_time_zone, interview_kind, interview_duration_minutes, interview_location, interview_meeting_url, contact_name, contact_email, contact_part, model}');
call private.create_owner_policies('public.email_proposals',
  'Owners can view their own email proposals',
  null,
  null,
  'Owners can delete their own email proposals');

create policy "Owners can add proposals about their own jobs" on public.email_proposals
  for insert to authenticated
  with check ((select auth.uid()) = user_id and state = 'pending'
              and (job_id is null or job_id in (select j.id from public.jobs j where j.user_id = (select auth.uid()))));
-- RPCs: follow-ups and ghosting ------------------------------------------------------------

-- Definer: read by the jobs trigger for any writer (service_role included); returns the
-- caller-independent setting of the job's owner and nothing else.
create function private.tracker_settings_of(owner uuid,
  out follow_up_days integer, out ghosted_after_days integer, out time_zone text) language sql stable security definer set search_path = '' as $$
  select coalesce(s.follow_up_days, 7), coalesce(s.ghosted_after_days, 30), coalesce(s.time_zone, 'UTC')
    from (select 1) one
    left join public.tracker_settings s on s.user_id = owner
$$;
grant execute on function private.tracker_settings_of(uuid) to authenticated, service_role;
comment on function private.tracker_settings_of(uuid) is
  $$A user's tracker settings, or the defaults (7 days to follow up, 30 days to ghosted, UTC) when they saved none.$$;

create function public.due_follow_ups(due_by timestamptz default now(), max_rows integer default 100)
returns table (job_id uuid, job_title text, company text, status text, follow_up_at timestamptz,
               next_action text, days_overdue integer) language plpgsql stable security invoker set search_path = '' as $$
begin
  if max_rows is null or max_rows not between 1 and 500 then
    raise exception 'max_rows must be between 1 and 500' using errcode = '22023';
  end if;
  return query
    select j.id, j.job_title::text, j.company::text, j.status::text, j.follow_up_at, j.next_action,
           greatest(0, floor(extract(epoch from (coalesce(due_by, pg_catalog.now()) - j.follow_up_at)) / 86400))::integer
      from public.jobs j
     where j.user_id = (select auth.uid()) and j.follow_up_at <= coalesce(due_by, pg_catalog.now())
     order by j.follow_up_at, j.id
     limit max_rows;
end
$$;
comment on function public.due_follow_ups(timestamptz, integer) is
  $$Your jobs whose follow-up is due by due_by (default now), oldest first, at most max_rows (1-500, default 100): {job_id, job_title, company, status, follow_up_at, next_action, days_overdue}.$$;

create function public.complete_follow_up(job_id uuid) returns void language plpgsql volatile security invoker set search_path = '' as $$
begin
  update public.jobs j set follow_up_at = null where j.id = complete_follow_up.job_id and j.follow_up_at is not null;
  if not found then
    raise exception 'No follow-up is due on that job.' using errcode = 'PT404';
  end if;
end
$$;
comment on function public.complete_follow_up(uuid) is
  $$Marks the follow-up of one of your jobs done (clears follow_up_at). 404 (PT404) when the job is not yours or has none.$$;

create function public.snooze_follow_up(job_id uuid, until timestamptz) returns timestamptz language plpgsql volatile security invoker set search_path = '' as $$
begin
  if until is null or until <= pg_catalog.now() or until > pg_catalog.now() + interval '1 year' then
    raise exception 'until must be a moment within the next year' using errcode = '22023';
  end if;
  update public.jobs j set follow_up_at = until where j.id = snooze_follow_up.job_id;
  if not found then
    raise exception 'Job not found.' using errcode = 'PT404';
  end if;
  return until;
end
$$;
comment on function public.snooze_follow_up(uuid, timestamptz) is
  $$Moves the follow-up of one of your jobs to until (in the next year; 22023 otherwise). 404 (PT404) when the job is not yours.$$;

create function public.possibly_ghosted_jobs()
returns table (job_id uuid, job_title text, company text, applied_at timestamptz, days_waiting integer) language sql stable security invoker set search_path = '' as $$
  select j.id, j.job_title::text, j.company::text, last_change.changed_at,
         floor(extract(epoch from (pg_catalog.now() - last_change.changed_at)) / 86400)::integer
    from public.jobs j
    cross join lateral (select e.changed_at from public.job_status_events e
                         where e.job_id = j.id order by e.changed_at desc limit 1) last_change
   where j.user_id = (select auth.uid()) and j.status = 'applied'
     -- A scalar subquery: the owner's setting is read once, not per job.
     and last_change.changed_at <= (select pg_catalog.now() - pg_catalog.make_interval(days =>
                                      (private.tracker_settings_of((select auth.uid()))).ghosted_after_days))
   order by last_change.changed_at, j.id
$$;
comment on function public.possibly_ghosted_jobs() is
  $$Your jobs still applied with no status change for ghosted_after_days (tracker_settings, default 30) or more, longest waiting first.$$;

create function public.mark_job_ghosted(job_id uuid) returns void language plpgsql volatile security invoker set search_path = '' as $$
begin
  update public.jobs j set status = 'rejected', closing_reason = 'no_response'
   where j.id = mark_job_ghosted.job_id and j.status = 'applied';
  if not found then
    if exists (select 1 from public.jobs j where j.id = mark_job_ghosted.job_id) then
      raise exception 'Only an applied job can be marked as ghosted.' using errcode = 'PT409';
    end if;
    raise exception 'Job not found.' using errcode = 'PT404';
  end if;
end
$$;
comment on function public.mark_job_ghosted(uuid) is
  $$Closes one of your applied jobs as never answered: status rejected, closing_reason no_response. 404 when not yours, 409 when not applied.$$;

-- RPCs: the calendar feed ------------------------------------------------------------------

create function private.calendar_feed_token_hash(token text) returns bytea language sql immutable set search_path = '' as $$
  select extensions.digest(pg_catalog.convert_to(token, 'UTF8'), 'sha256')
$$;
comment on function private.calendar_feed_token_hash(text) is $$SHA-256 of a calendar feed token, as stored.$$;

-- Definer: private.calendar_feeds is out of the API roles' reach. Writes only the
-- caller's own row.
create function private.create_calendar_feed() returns text language plpgsql volatile security definer set search_path = '' as $$
declare
  caller uuid := auth.uid();
  token text;
begin
  if caller is null then
    raise exception 'A calendar feed needs a signed-in user.' using errcode = '42501';
  end if;
  -- 192 random bits, base64url: as long and unguessable as a share token.
  token := pg_catalog.translate(pg_catalog.encode(extensions.gen_random_bytes(24), 'base64'), '+/', '-_');
  insert into private.calendar_feeds (user_id, token_hash) values (caller, private.calendar_feed_token_hash(token))
  on conflict (user_id) do update set token_hash = excluded.token_hash, created_at = pg_catalog.now();
  return token;
end
$$;
grant execute on function private.create_calendar_feed() to authenticated;
comment on function private.create_calendar_feed() is $$Creates or replaces the caller’s calendar feed token; returns the token.$$;

create function private.revoke_calendar_feed() returns boolean language plpgsql volatile security definer set search_path = '' as $$
begin
  if auth.uid() is null then
    raise exception 'A calendar feed needs a signed-in user.' using errcode = '42501';
  end if;
  delete from private.calendar_feeds f where f.user_id = auth.uid();
  return found;
end
$$;
grant execute on function private.revoke_calendar_feed() to authenticated;
comment on function private.revoke_calendar_feed() is $$Deletes the caller’s calendar feed; true when there was one.$$;

create function private.calendar_feed_status() returns jsonb language sql stable security definer set search_path = '' as $$
  select pg_catalog.jsonb_build_object('active', f.user_id is not null, 'created_at', f.created_at)
    from (select 1) one left join private.calendar_feeds f on f.user_id = auth.uid()
$$;
grant execute on function private.calendar_feed_status() to authenticated;
comment on function private.calendar_feed_status() is $$Whether the caller has a calendar feed, and since when (never the token).$$;

-- The events of one user's calendar: interviews, follow-ups and the application
-- deadlines of open jobs, each from 90 days back on (cancelled interviews stay, marked
-- so, until that window passes them). What a calendar shows and nothing more: no contact emails or phone
-- numbers (participants by name and part only), no interview notes, no salary, no job
-- description. SECURITY DEFINER because the anonymous feed reads it; every caller
-- passes the one owner it may see (the feed's, or auth.uid()).
-- PL/pgSQL running one statement, whose plan is prepared once per connection (a SQL
-- function re-plans it on every call and copies its answer, a power user's 800 kB, through
-- a tuplestore). Each event is row_to_json of a row whose columns are its fields, in the
-- order json_build_object gave them, without its type lookup per argument and the blanks
-- around every colon (7% of the bytes). Events are ordered by uid: kind, then row id,
-- since 'deadline-' < 'follow-up-' < 'interview-' and a uuid's order is its lowercase
-- text's (54-tracker-calendar-feed.sql compares the order with one sorted by uid). The
-- generic plan is kept: each part read by the user's index, interviews joined to their
-- jobs by primary key; on a small jobs table a power user's custom plan hash-joins every job.
create function private.calendar_events(owner uuid, only_interview uuid default null) returns json language plpgsql stable security definer set search_path = '' set plan_cache_mode = force_generic_plan as $$
declare
  zone text := (private.tracker_settings_of(owner)).time_zone;
begin
  return (
    with deadline_events as (
      select 1 as part, j.id, pg_catalog.row_to_json(e) as event
        from public.jobs j
       cross join lateral (
         select 'deadline-' || j.id || '@jobstalker' as uid, 'deadline' as kind,
                'Application deadline: ' || j.job_title || ' at ' || j.company as summary,
                'Apply by this day.' as description, j.deadline as date, 'CONFIRMED' as status, 0 as sequence,
                j.created_at, j.updated_at as last_modified) e
       where only_interview is null and j.user_id = owner and j.deadline is not null
         and j.deadline >= (pg_catalog.now() at time zone zone)::date - 90
         and j.status in ('bookmarked', 'applying')
    ),
    follow_up_events as (
      select 2 as part, j.id, pg_catalog.row_to_json(e) as event
        from public.jobs j
       cross join lateral (
         select 'follow-up-' || j.id || '@jobstalker' as uid, 'follow_up' as kind,
                'Follow up: ' || j.job_title || ' at ' || j.company as summary,
                coalesce('Next: ' || j.next_action, 'Follow up on your application.') as description,
                (j.follow_up_at at time zone zone)::date as date, 'CONFIRMED' as status, 0 as sequence,
                j.created_at, j.updated_at as last_modified) e
       where only_interview is null and j.user_id = owner
         and j.follow_up_at >= pg_catalog.now() - interval '90 days'
    ),
    interview_events as (
      select 3 as part, i.id, pg_catalog.row_to_json(e) as event
        from public.interviews i
        join public.jobs j on j.id = i.job_id
        left join lateral (
          select pg_catalog.string_agg(c.name || coalesce(' (' || c.role || ')', ''), ', ' order by c.name) as names
            from public.interview_participants p join public.contacts c on c.id = p.contact_id
           where p.interview_id = i.id) people on true
       cross join lateral (
         select 'interview-' || i.id || '@jobstalker' as uid, 'interview' as kind,
                pg_catalog.initcap(pg_catalog.replace(i.kind, '_', ' ')) || ' interview (round ' || i.round || '): '
                  || j.job_title || ' at ' || j.company as summary,
                pg_catalog.concat_ws(E'\n',
                  'Job: ' || j.job_title || ' at ' || j.company,
                  'Arranged in time zone ' || i.time_zone,
                  case when people.names is not null then 'With: ' || people.names end,
                  case when i.meeting_url is not null then 'Join: ' || i.meeting_url end) as description,
                coalesce(i.location, i.meeting_url) as location, i.meeting_url as url, i.starts_at,
                i.starts_at + pg_catalog.make_interval(mins => i.duration_minutes) as ends_at, i.time_zone,
                case when i.outcome = 'cancelled' then 'CANCELLED' else 'CONFIRMED' end as status,
                i.sequence, i.created_at, i.updated_at as last_modified) e
       where i.user_id = owner
         and (only_interview is null or i.id = only_interview)
         and (only_interview is not null or i.starts_at >= pg_catalog.now() - interval '90 days')
    ),
    all_events as (
      select * from deadline_events union all select * from follow_up_events union all select * from interview_events
    )
    -- An array of the events rather than json_agg's text: json_build_object then writes
    -- each event into the answer once, instead of copying the whole list three times.
    select pg_catalog.json_build_object(
             'time_zone', zone,
             'events', coalesce(pg_catalog.array_agg(e.event order by e.part, e.id), '{}'))
      from all_events e);
end
$$;
comment on function private.calendar_events(uuid, uuid) is
  $$One user's calendar events as JSON (interviews, due follow-ups, deadlines of open jobs), without contact details or notes; one interview when only_interview is given.$$;

create function private.calendar_feed(feed_token text) returns json language plpgsql stable security definer set search_path = '' as $$
declare
  owner uuid;
begin
  -- A token is 32 base64url characters; anything else cannot be one (no lookup).
  if feed_token is null or feed_token !~ '^[A-Za-z0-9_-]{32}$' then
    return null;
  end if;
  select f.user_id into owner from private.calendar_feeds f
   where f.token_hash = private.calendar_feed_token_hash(feed_token);
  if owner is null then
    return null;
  end if;
  return private.calendar_events(owner);
end
$$;
grant execute on function private.calendar_feed(text) to anon, authenticated;
comment on function private.calendar_feed(text) is $$The events of the calendar feed a token opens, or null for an unknown, revoked or malformed token.$$;

create function private.interview_calendar_event(interview_id uuid) returns json language plpgsql stable security definer set search_path = '' as $$
declare
  found_events json;
begin
  if auth.uid() is null then
    raise exception 'An interview''s calendar file needs a signed-in user.' using errcode = '42501';
  end if;
  found_events := private.calendar_events(auth.uid(), interview_id);
  if pg_catalog.json_array_length(found_events -> 'events') = 0 then
    raise exception 'Interview not found.' using errcode = 'PT404';
  end if;
  return found_events;
end
$$;
grant execute on function private.interview_calendar_event(uuid) to authenticated;
comment on function private.interview_calendar_event(uuid) is $$One of the caller’s interviews as a calendar event; PT404 for any other.$$;

create function public.create_calendar_feed() returns text language sql volatile security invoker set search_path = '' as $$
  select private.create_calendar_feed()
$$;
comment on function public.create_calendar_feed() is
  $$Creates your secret calendar feed and returns its token (192 random bits, base64url), or rotates it: the old URL stops working at once. Subscribe to /functions/v1/calendar/<token>.ics. Only a hash is kept: the token is shown this once.$$;

create function public.revoke_calendar_feed() returns boolean language sql volatile security invoker set search_path = '' as $$
  select private.revoke_calendar_feed()
$$;
comment on function public.revoke_calendar_feed() is $$Revokes your calendar feed: its URL answers 404 from now on. True when there was one.$$;

create function public.calendar_feed_status() returns jsonb language sql stable security invoker set search_path = '' as $$
  select private.calendar_feed_status()
$$;
comment on function public.calendar_feed_status() is $$Whether you have a calendar feed, and since when: {active, created_at}. The token is never shown again.$$;

-- VOLATILE although it writes nothing, as search_jobs and job_insights: PostgREST calls
-- an RPC in a CTE whose result it names twice (count and body), and Postgres pulls a
-- STABLE call into both, so a power user's feed (2,000 events) was built twice per request.
create function public.get_calendar_feed(feed_token text) returns json language sql volatile security invoker set search_path = '' as $$
  select private.calendar_feed(feed_token)
$$;
comment on function public.get_calendar_feed(text) is
  $$The events of a calendar feed: {time_zone, events: [{uid, kind, summary, description, location, url, starts_at, ends_at, time_zone | date, status, sequence, created_at, last_modified}]}; null for an unknown, revoked or malformed token. Callable without signing in (the calendar function serves it as text/calendar).$$;

create function public.interview_calendar_event(interview_id uuid) returns json language sql stable security invoker set search_path = '' as $$
  select private.interview_calendar_event(interview_id)
$$;
comment on function public.interview_calendar_event(uuid) is
  $$One of your interviews as a calendar event, in the shape of get_calendar_feed; 404 (PT404) for one that is not yours.$$;

-- RPCs: email proposals ---------------------------------------------------------------------

-- Definer only for the state columns, which no API role may write: decides one pending
-- proposal of the caller.
create function private.settle_email_proposal(proposal_id uuid, new_state text, outcome jsonb) returns void language plpgsql volatile security definer set search_path = '' as $$
begin
  update public.email_proposals p
     set state = new_state, decided_at = pg_catalog.now(), result = outcome
   where p.id = proposal_id and p.user_id = auth.uid() and p.state = 'pending';
  if not found then
    raise exception 'This proposal was already decided.' using errcode = 'PT409';
  end if;
end
$$;
grant execute on function private.settle_email_proposal(uuid, text, jsonb) to authenticated;
comment on function private.settle_email_proposal(uuid, text, jsonb) is
  $$Marks one pending proposal of the caller confirmed or dismissed, with what confirming did.$$;

-- Invoker: every change is made as the caller, under RLS, so a proposal can change
-- nothing its owner could not change by hand.
create function public.confirm_email_proposal(proposal_id uuid) returns jsonb language plpgsql volatile security invoker set search_path = '' as $$
declare
  p public.email_proposals;
  target uuid;
  new_interview uuid;
  contact uuid;
  outcome jsonb;
begin
  -- Two confirmations at once both get this far; the settle at the end locks the row and
  -- re-checks that it is pending, so the second fails (409) and its changes roll back.
  select * into p from public.email_proposals e where e.id = proposal_id;
  if not found then
    raise exception 'Proposal not found.' using errcode = 'PT404';
  end if;
  if p.state <> 'pending' then
    raise exception 'This proposal was already decided.' using errcode = 'PT409';
  end if;
  target := p.job_id;
  if target is null then
    insert into public.jobs (job_title, company, status)
    values (p.new_job_title, p.new_job_company, coalesce(p.proposed_status, 'applied'))
    returning id into target;
  elsif p.proposed_status is not null then
    update public.jobs j
       set status = p.proposed_status,
           closing_reason = case when p.proposed_status in ('rejected', 'withdrawn') then p.closing_reason end
     where j.id = target;
  end if;
  if p.contact_name is not null then
    select c.id into contact from public.contacts c
     where p.contact_email is not null and pg_catalog.lower(c.email) = pg_catalog.lower(p.contact_email)
     order by c.created_at limit 1;
    if contact is null then
      insert into public.contacts (name, email) values (p.contact_name, p.contact_email) returning id into contact;
    end if;
    if p.contact_part is not null then
      insert into public.job_contacts (job_id, contact_id, part) values (target, contact, p.contact_part)
      on conflict (job_id, contact_id, part) do nothing;
    end if;
  end if;
  if p.interview_starts_at is not null then
    insert into public.interviews (job_id, kind, starts_at, time_zone, duration_minutes, location, meeting_url, round)
    values (target, coalesce(p.interview_kind, 'other'), p.interview_starts_at, p.interview_time_zone,
            coalesce(p.interview_duration_minutes, 60), p.interview_location, p.interview_meeting_url,
            1 + (select count(*) from public.interviews i where i.job_id = target))
    returning id into new_interview;
    if contact is not null then
      insert into public.interview_participants (interview_id, contact_id) values (new_interview, contact);
    end if;
  end if;
  outcome := pg_catalog.jsonb_build_object('job_id', target, 'interview_id', new_interview, 'contact_id', contact,
    'status', (select j.status from public.jobs j where j.id = target));
  perform private.settle_email_proposal(proposal_id, 'confirmed', outcome);
  return outcome;
end
$$;
comment on function public.confirm_email_proposal(uuid) is
  $$Applies one of your pending email proposals as you: creates the job or changes its status (with the closing reason), adds the contact (or finds it by email) and the interview. Returns {job_id, interview_id, contact_id, status}. 404 when not yours, 409 when already decided.$$;

create function public.dismiss_email_proposal(proposal_id uuid) returns void language plpgsql volatile security invoker set search_path = '' as $$
begin
  if not exists (select 1 from public.email_proposals e where e.id = proposal_id) then
    raise exception 'Proposal not found.' using errcode = 'PT404';
  end if;
  perform private.settle_email_proposal(proposal_id, 'dismissed', null);
end
$$;
comment on function public.dismiss_email_proposal(uuid) is $$Dismisses one of your pending email proposals without changing anything. 404 when not yours, 409 when already decided.$$;

-- Insights ---------------------------------------------------------------------------------

-- VOLATILE for the reason job_dashboard is: PostgREST names an RPC's result twice and
-- Postgres would compute a STABLE function once per reference. Runs under the caller's
-- RLS; every read is also filtered on the caller for the planner.
--
-- PL/pgSQL only to run one statement, whose plan it prepares once per connection and
-- keeps: measured on a power user (12,000 events, 5,000 jobs) in PostgREST's statement
-- shape, the same statement as a SQL function cost 1.3 to 1.5 times the backend CPU per
-- call (docs/benchmarks.md).
create function public.job_insights() returns jsonb language plpgsql volatile security invoker set search_path = '' as $$
begin
  return (
  -- The caller's status history is read twice, index-only in (job, time, id) order (the
  -- index idx_job_status_events_user_job_changed), and never materialized: once grouped
  -- per job as it comes (first applied, last change, last interview-or-later stage; no
  -- hash of 5,000 groups), once with each event's next time (its stay) for the medians.
  -- The caller's jobs are read once (no per-job subquery, so a power user's 5,000 jobs
  -- cost one scan of each table).
  with per_job as (
    select e.job_id,
           min(e.changed_at) filter (where e.to_status = 'applied') as applied_at,
           max(e.changed_at) as last_change_at,
           max(e.changed_at) filter (where e.to_status in ('interviewing', 'negotiating', 'accepted')) as interviewed_at
      from public.job_status_events e
     where e.user_id = (select auth.uid())
     group by e.job_id
  ),
  seen as materialized (
    select p.*, coalesce(j.source, 'unknown') as source, j.status
      from per_job p
      join public.jobs j on j.id = p.job_id and j.user_id = (select auth.uid())
  ),
  -- What was sent, read once and hashed (a probe per applied job cost more).
  sent as materialized (
    select m.job_id, m.generated_resume_id, m.resume_version, m.sent_resume_title
      from public.job_materials m
     where m.user_id = (select auth.uid())
  ),
  applied as (
    select p.job_id,
           p.last_change_at > p.applied_at as responded,
           coalesce(p.interviewed_at >= p.applied_at, false) as interviewed,
           p.source,
           m.generated_resume_id, m.resume_version, m.sent_resume_title
      from seen p
      left join sent m on m.job_id = p.job_id
     where p.applied_at is not null
  ),
  by_source as (
    select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
             'source', s.source, 'applied', s.applied, 'responded', s.responded, 'interviewed', s.interviewed,
             'response_rate', round(s.responded::numeric / s.applied, 4),
             'interview_rate', round(s.interviewed::numeric / s.applied, 4)) order by s.source) as rows
      from (select a.source, count(*) as applied, count(*) filter (where a.responded) as responded,
                   count(*) filter (where a.interviewed) as interviewed
              from applied a group by a.source) s
  ),
  by_resume as (
    select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
             'generated_resume_id', r.generated_resume_id, 'resume_version', r.resume_version, 'title', r.title,
             'applied', r.applied, 'responded', r.responded, 'interviewed', r.interviewed,
             'response_rate', round(r.responded::numeric / r.applied, 4),
             'interview_rate', round(r.interviewed::numeric / r.applied, 4))
             order by r.generated_resume_id, r.resume_version) as rows
      from (select a.generated_resume_id, a.resume_version, max(a.sent_resume_title) as title, count(*) as applied,
                   count(*) filter (where a.responded) as responded,
                   count(*) filter (where a.interviewed) as interviewed
              from applied a where a.resume_version is not null
             group by a.generated_resume_id, a.resume_version) r
  ),
  -- One aggregate row, a median per status of job_status_events_to_status_check (pgTAP 55
  -- checks the two lists agree): grouping the stays by status sorted all of them once
  -- more before each median sorted its own. A status without a finished stay is left out.
  stages as (
    select pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
             'bookmarked', round((percentile_cont(0.5) within group (order by e.stay) filter (where e.to_status = 'bookmarked') / 86400)::numeric, 2),
             'applying', round((percentile_cont(0.5) within group (order by e.stay) filter (where e.to_status = 'applying') / 86400)::numeric, 2),
             'applied', round((percentile_cont(0.5) within group (order by e.stay) filter (where e.to_status = 'applied') / 86400)::numeric, 2),
             'interviewing', round((percentile_cont(0.5) within group (order by e.stay) filter (where e.to_status = 'interviewing') / 86400)::numeric, 2),
             'negotiating', round((percentile_cont(0.5) within group (order by e.stay) filter (where e.to_status = 'negotiating') / 86400)::numeric, 2),
             'accepted', round((percentile_cont(0.5) within group (order by e.stay) filter (where e.to_status = 'accepted') / 86400)::numeric, 2),
             'rejected', round((percentile_cont(0.5) within group (order by e.stay) filter (where e.to_status = 'rejected') / 86400)::numeric, 2),
             'withdrawn', round((percentile_cont(0.5) within group (order by e.stay) filter (where e.to_status = 'withdrawn') / 86400)::numeric, 2))) as medians
      from (select e.to_status,
                   extract(epoch from (pg_catalog.lead(e.changed_at) over (partition by e.job_id order by e.changed_at, e.id)
                                       - e.changed_at)) as stay
              from public.job_status_events e
             where e.user_id = (select auth.uid())) e
     where e.stay is not null
  ),
  -- possibly_ghosted_jobs() counted from the same pass: applied, no change since the cut-off.
  ghosted as (
    select count(*)::integer as n
      from seen p
     where p.status = 'applied'
       and p.last_change_at <= (select pg_catalog.now() - pg_catalog.make_interval(days =>
                                  (private.tracker_settings_of((select auth.uid()))).ghosted_after_days))
  )
  select pg_catalog.jsonb_build_object(
    'applied', (select count(*) from applied),
    'by_source', coalesce((select rows from by_source), '[]'::jsonb),
    'by_resume_version', coalesce((select rows from by_resume), '[]'::jsonb),
    'median_days_in_stage', coalesce((select medians from stages), '{}'::jsonb),
    'possibly_ghosted', (select n from ghosted),
    'as_of', pg_catalog.now()));
end
$$;
comment on function public.job_insights() is
  $$Your application insights as one JSON object: applied, by_source and by_resume_version ({applied, responded, interviewed, response_rate, interview_rate}), median_days_in_stage, possibly_ghosted. Definitions in the README.$$;

-- Export with stage history ------------------------------------------------------------------

-- A set-returning RPC, so supabase-js reads it as JSON (.rpc()) or CSV (.rpc().csv(),
-- Accept: text/csv), with PostgREST's filters and order; invoker, so the caller's RLS on
-- jobs and their events applies (public holds no views: 11-schema-security).
create function public.application_history()
returns table (job_id uuid, company text, job_title text, source text, applied_on date, status text,
               closing_reason text, first_response_at timestamptz, stages jsonb, stage_history text) language sql stable security invoker set search_path = '' as $$
  select j.id, j.company::text, j.job_title::text, j.source,
         coalesce(j.date_applied, (h.first_applied_at at time zone 'UTC')::date),
         j.status::text, j.closing_reason, j.first_response_at,
         coalesce(h.stages, '[]'::jsonb), coalesce(h.stage_history, '')
    from public.jobs j
    left join lateral (
      select min(e.changed_at) filter (where e.to_status = 'applied') as first_applied_at,
             pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('status', e.to_status, 'at', e.changed_at)
                                  order by e.changed_at, e.id) as stages,
             pg_catalog.string_agg(e.to_status || ' ' || pg_catalog.to_char(e.changed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                   '; ' order by e.changed_at, e.id) as stage_history
        from public.job_status_events e
       where e.job_id = j.id and e.user_id = (select auth.uid())
    ) h on true
   where j.user_id = (select auth.uid())
   order by j.created_at, j.id
$$;
comment on function public.application_history() is
  $$Your applications for download, one row per job: job_id, company, job_title, source, applied_on (date_applied, else the UTC day of the first applied status), status, closing_reason, first_response_at, stages ([{status, at}], oldest first) and stage_history (the same as text: "applied 2026-01-02T09:00:00Z; interviewing ..."). JSON with rpc(), CSV with rpc().csv().$$;

-- Grants on the RPCs -------------------------------------------------------------------------

grant execute on function public.due_follow_ups(timestamptz, integer), public.complete_follow_up(uuid),
  public.snooze_follow_up(uuid, timestamptz), public.possibly_ghosted_jobs(), public.mark_job_ghosted(uuid),
  public.create_calendar_feed(), public.revoke_calendar_feed(), public.calendar_feed_status(),
  public.interview_calendar_event(uuid), public.confirm_email_proposal(uuid),
  public.dismiss_email_proposal(uuid), public.job_insights(), public.application_history()
  to authenticated;
grant execute on function public.get_calendar_feed(text) to anon, authenticated;
-- Trusted servers (and the benchmark's bare side) read insights with the service key and
-- the user's sub; the functions' own auth.uid() filter scopes them.
grant execute on function public.job_insights(), public.possibly_ghosted_jobs() to service_role;

