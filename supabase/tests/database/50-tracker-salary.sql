-- Salary: the structured salary read from the free text of a job. Threats covered: a
-- figure stored with the wrong currency or period (better empty than wrong), a bonus or
-- a 401k read as the pay, a client's explicit figures overwritten by the reader.
begin;
select plan(52);

create temp table formats (written text, salary_min numeric, salary_max numeric, salary_currency text, salary_period text);
insert into formats values
  -- Readable one way only: filled.
  ('$120,000 – $150,000', 120000, 150000, 'USD', 'year'),
  ('€60k–70k', 60000, 70000, 'EUR', 'year'),
  ('£45,000 per annum', 45000, 45000, 'GBP', 'year'),
  ('$50/hr', 50, 50, 'USD', 'hour'),
  ('120-150k USD', 120000, 150000, 'USD', 'year'),
  ('$120K - $150K a year', 120000, 150000, 'USD', 'year'),
  ('USD 90,000 - 110,000', 90000, 110000, 'USD', 'year'),
  ('€ 55.000 - 65.000 brutto/Jahr', 55000, 65000, 'EUR', 'year'),
  ('60.000 € p.a.', 60000, 60000, 'EUR', 'year'),
  ('£400 - £500 per day', 400, 500, 'GBP', 'day'),
  ('£500 pd', 500, 500, 'GBP', 'day'),
  ('CHF 120''000', 120000, 120000, 'CHF', 'year'),
  ('$25.50 per hour', 25.50, 25.50, 'USD', 'hour'),
  ('$4,000/month', 4000, 4000, 'USD', 'month'),
  ('CA$80,000 - CA$95,000', 80000, 95000, 'CAD', 'year'),
  ('A$130k + super', 130000, 130000, 'AUD', 'year'),
  ('Up to £60,000', null, 60000, 'GBP', 'year'),
  ('From $90k', 90000, null, 'USD', 'year'),
  ('$100k+', 100000, null, 'USD', 'year'),
  ('₹12 LPA', 1200000, 1200000, 'INR', 'year'),
  ('5,000,000 JPY per year', 5000000, 5000000, 'JPY', 'year'),
  ('$60-$70 an hour', 60, 70, 'USD', 'hour'),
  ('NZ$70,000 - NZ$80,000', 70000, 80000, 'NZD', 'year'),
  ('1.500 € / Monat', 1500, 1500, 'EUR', 'month'),
  ('$90,000-$110,000 + equity', 90000, 110000, 'USD', 'year'),
  ('$1.5k/week', 1500, 1500, 'USD', 'week'),
  ('SGD 6,000 - 8,000 per month', 6000, 8000, 'SGD', 'month'),
  ('between $100,000 and $120,000', 100000, 120000, 'USD', 'year'),
  ('60 000 - 70 000 EUR', 60000, 70000, 'EUR', 'year'),
  ('EUR 4.500 brutto monatlich', 4500, 4500, 'EUR', 'month'),
  -- Ambiguous or not a salary: left empty.
  ('¥5,000,000', null, null, null, null),
  ('Competitive', null, null, null, null),
  ('DOE', null, null, null, null),
  ('120,000 - 150,000', null, null, null, null),
  ('$80', null, null, null, null),
  ('$100k base + $20k bonus', null, null, null, null),
  ('$120k + 401k', null, null, null, null),
  ('€45k - £50k', null, null, null, null),
  ('$3,000', null, null, null, null),
  ('$150,000 - $120,000', null, null, null, null),
  ('80k-100k', null, null, null, null),
  ('$45/hour or $90,000/year', null, null, null, null),
  ('10-15% bonus', null, null, null, null),
  ('12,00,000 INR', null, null, null, null);

select is(
  (select row(r.salary_min::numeric(12,2), r.salary_max::numeric(12,2), r.salary_currency, r.salary_period)::text from private.read_salary(f.written) r),
  row(f.salary_min::numeric(12,2), f.salary_max::numeric(12,2), f.salary_currency, f.salary_period)::text,
  format('"%s" reads as %s.', f.written,
         case when f.salary_currency is null then 'nothing (left empty)'
              else concat_ws(' ', coalesce(f.salary_min::text, '…'), '-', coalesce(f.salary_max::text, '…'),
                             f.salary_currency, 'per', f.salary_period) end))
  from formats f;

select cmp_ok((select count(*)::int from formats), '>=', 30, 'At least 30 real-world formats are covered.');

-- Through the jobs trigger, as a client writes.
select tests.create_supabase_user('owner');
select tests.authenticate_as('owner');
insert into public.jobs (id, job_title, company, salary) values
  ('c0000000-0000-4000-8000-000000000001', 'Engineer', 'Acme', '$120,000 – $150,000');
select results_eq(
  $$select salary_min, salary_max, salary_currency, salary_period from public.jobs where id = 'c0000000-0000-4000-8000-000000000001'$$,
  $$values (120000::numeric(12,2), 150000::numeric(12,2), 'USD', 'year')$$,
  'A job saved with a readable salary text gets the structured salary.'
);
update public.jobs set salary = 'Competitive' where id = 'c0000000-0000-4000-8000-000000000001';
select results_eq(
  $$select salary_min, salary_max, salary_currency, salary_period from public.jobs where id = 'c0000000-0000-4000-8000-000000000001'$$,
  $$values (null::numeric(12,2), null::numeric(12,2), null::text, null::text)$$,
  'Changing the text to something unreadable empties the structured salary instead of keeping a stale one.'
);
update public.jobs set salary = 'about 90k', salary_min = 85000, salary_max = 95000, salary_currency = 'EUR', salary_period = 'year'
 where id = 'c0000000-0000-4000-8000-000000000001';
select results_eq(
  $$select salary_min, salary_max, salary_currency, salary_period from public.jobs where id = 'c0000000-0000-4000-8000-000000000001'$$,
  $$values (85000::numeric(12,2), 95000::numeric(12,2), 'EUR', 'year')$$,
  'Figures the client sets with the text are kept as sent.'
);
select throws_ok(
  $$update public.jobs set salary_min = 100, salary_max = 50 where id = 'c0000000-0000-4000-8000-000000000001'$$,
  '23514', null,
  'A minimum over the maximum is refused (check_violation).'
);
select throws_ok(
  $$update public.jobs set salary_currency = 'usd' where id = 'c0000000-0000-4000-8000-000000000001'$$,
  '23514', null,
  'A currency that is not an ISO 4217 code is refused.'
);
select throws_ok(
  $$update public.jobs set salary_period = 'fortnight' where id = 'c0000000-0000-4000-8000-000000000001'$$,
  '23514', null,
  'A period outside hour, day, week, month, year is refused.'
);
select throws_ok(
  $$update public.jobs set source = 'craigslist' where id = 'c0000000-0000-4000-8000-000000000001'$$,
  '23514', null,
  'A source outside the fixed list is refused.'
);

select * from finish();
rollback;
