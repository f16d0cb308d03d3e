-- Moves into 20_jobs.sql (the jobs table): what the tracker keeps per application
-- beside its status. Structured salary is read from the free text by a trigger
-- (2-jobs-triggers.sql) and may be set by the client directly.

alter table public.jobs
  add column follow_up_at timestamptz,
  add column next_action text,
  add column source text,
  add column salary_min numeric(12, 2),
  add column salary_max numeric(12, 2),
  add column salary_currency text,
  add column salary_period text,
  add column closing_reason text,
  add column first_response_at timestamptz;

alter table public.jobs
  add constraint jobs_next_action_size check (octet_length(next_action) <= 1000),
  add constraint jobs_source_check check (source in
    ('linkedin', 'company_site', 'job_board', 'referral', 'recruiter_outreach', 'browser_extension', 'other')),
  add constraint jobs_salary_amounts check (salary_min >= 0 and salary_max >= 0 and salary_min <= salary_max),
  add constraint jobs_salary_currency_check check (salary_currency in (
    'AED', 'ARS', 'AUD', 'BGN', 'BRL', 'CAD', 'CHF', 'CLP', 'CNY', 'COP', 'CZK', 'DKK', 'EGP', 'EUR',
    'GBP', 'HKD', 'HUF', 'IDR', 'ILS', 'INR', 'ISK', 'JPY', 'KES', 'KRW', 'MXN', 'MYR', 'NGN', 'NOK',
    'NZD', 'PEN', 'PHP', 'PKR', 'PLN', 'RON', 'RSD', 'SAR', 'SEK', 'SGD', 'THB', 'TRY', 'TWD', 'UAH',
    'USD', 'VND', 'ZAR')),
  add constraint jobs_salary_period_check check (salary_period in ('hour', 'day', 'week', 'month', 'year')),
  add constraint jobs_closing_reason_check check (closing_reason in
    ('rejected_after_application', 'rejected_after_screen', 'rejected_after_interview', 'rejected_after_offer',
     'withdrawn_by_me', 'position_closed', 'no_response')),
  -- A reason closes a job: it needs the status that says so. Reopening clears it (trigger).
  add constraint jobs_closing_reason_matches_status check (
    closing_reason is null
    or (status = 'rejected' and closing_reason in ('rejected_after_application', 'rejected_after_screen',
          'rejected_after_interview', 'rejected_after_offer', 'position_closed', 'no_response'))
    or (status = 'withdrawn' and closing_reason in ('withdrawn_by_me', 'position_closed', 'no_response')));

-- The follow-up list and the feed read due follow-ups per user.
create index idx_jobs_user_follow_up on public.jobs (user_id, follow_up_at) where follow_up_at is not null;

-- Owners write these like the other job fields; first_response_at is the database's.
grant update (follow_up_at, next_action, source, salary_min, salary_max, salary_currency, salary_period, closing_reason)
  on table public.jobs to authenticated;

comment on column public.jobs.follow_up_at is
  'When to follow up on this application; set to follow_up_days (tracker_settings, default 7) after the job moves to applied without one; cleared when the job closes. Listed by due_follow_ups().';
comment on column public.jobs.next_action is 'What to do next about this application (free text, at most 1000 bytes).';
comment on column public.jobs.source is
  'Where the job was found: linkedin, company_site, job_board, referral, recruiter_outreach, browser_extension or other.';
comment on column public.jobs.salary_min is
  'Lowest amount of the salary range, in salary_currency per salary_period; read from salary when unambiguous, else as the client set it.';
comment on column public.jobs.salary_max is 'Highest amount of the salary range (equal to salary_min for one figure).';
comment on column public.jobs.salary_currency is 'ISO 4217 code of the salary amounts (USD, EUR, GBP, ...).';
comment on column public.jobs.salary_period is 'What the salary amounts are paid per: hour, day, week, month or year.';
comment on column public.jobs.closing_reason is
  'Why a rejected or withdrawn job closed: rejected_after_application, rejected_after_screen, rejected_after_interview, rejected_after_offer (status rejected), withdrawn_by_me (status withdrawn), position_closed or no_response (either). Cleared when the job reopens.';
comment on column public.jobs.first_response_at is
  'When the company first answered: the first status change after the job was applied (set by the database from the status history).';
