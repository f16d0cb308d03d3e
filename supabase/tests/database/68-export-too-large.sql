-- export_my_data() past its documented size (32 MB, estimated before any row is built):
-- a typed answer (PT413, which PostgREST sends as 413, hint naming export_my_data_page)
-- instead of jsonb's 54000 or the statement timeout; the same account's pages hold it all.
begin;
select plan(5);

select tests.create_supabase_user('big', 'big@export-large.test', '00000068-1111-4111-8111-000000000001');
select tests.create_supabase_user('small', 'small@export-large.test', '00000068-2222-4222-8222-000000000002');
-- 1,100 jobs at the description cap's size (32 KB each):
-- 36 MB of text.
insert into public.jobs (user_id, job_title, company, status, description)
select '00000068-1111-4111-8111-000000000001', 'Engineer ' || i, 'Big Co', 'applied', repeat('lorem ', 5461)
  from generate_series(1, 1100) i;
insert into public.jobs (user_id, job_title, company, status, description)
values ('00000068-2222-4222-8222-000000000002', 'Engineer', 'Small Co', 'applied', repeat('lorem ', 5461));

select is(tests.attempt_as('big', $$select public.export_my_data()$$), 'error PT413',
  'Past 32 MB, export_my_data() answers PT413 (HTTP 413), not 54000 or a timeout.');

create function pg_temp.refusal() returns jsonb language plpgsql as $$
declare
  answer jsonb;
begin
  perform tests.authenticate_as('big');
  begin
    perform public.export_my_data();
  exception when sqlstate 'PT413' then
    declare
      m text; d text; h text;
    begin
      get stacked diagnostics m = message_text, d = pg_exception_detail, h = pg_exception_hint;
      answer := jsonb_build_object('message', m, 'detail', d, 'hint', h);
    end;
  end;
  perform tests.clear_authentication();
  return answer;
end
$$;
select is(pg_temp.refusal() ->> 'detail', 'export_too_large', 'The refusal names its kind, export_too_large.');
select ok(pg_temp.refusal() ->> 'hint' like '%export_my_data_page%', 'The refusal tells the client to fetch the pages.');

select is(tests.attempt_as('small', $$select public.export_my_data()$$), 'rows: 1', 'A small account still gets the one document.');

create function pg_temp.jobs_in_pages(u text) returns integer language plpgsql as $$
declare
  cursor_text text;
  p jsonb;
  total integer := 0;
  pages integer := 0;
begin
  perform tests.authenticate_as(u);
  loop
    p := public.export_my_data_page(cursor_text);
    pages := pages + 1;
    if octet_length(p::text) > 8 * 1024 * 1024 + 128 * 1024 then
      raise exception 'page % is % bytes', pages, octet_length(p::text);
    end if;
    total := total + coalesce(jsonb_array_length(p -> 'tables' -> 'jobs'), 0);
    cursor_text := p ->> 'next';
    exit when cursor_text is null or pages > 100;
  end loop;
  perform tests.clear_authentication();
  return total;
end
$$;
select is(pg_temp.jobs_in_pages('big'), 1100, 'The same account''s pages hold all 1,100 jobs, each page within 8 MB and a row.');

select * from finish();
rollback;
