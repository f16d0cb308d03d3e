-- Why: with batches of 200 users, the edge functions' inserts that ran beside the
-- retention job reached a p99 of 204 ms on 2 cores (target 100 ms) without ever waiting
-- on a lock. Sampling pg_stat_activity every 20 ms during the job (the retention bench
-- part now reports it) showed where their time went: committing, in IO:WALSync and
-- LWLock:WALWrite. A commit flushes all WAL written before it, and a batch of 200 users
-- (~20,000 events) writes ~8 MB of WAL in one statement, which the job's own commit then
-- flushes while every insert's commit queues behind it. Batches of 50 users write ~2 MB
-- each, so that queue is a quarter as long; measured on 1,000,000 old events on the
-- same machine: insert p99 20-26 ms and max under 55 ms with 50 users a batch, against
-- p99 18-100 ms and max up to 580 ms with 200, and the job no slower (15-19 s against
-- 13-32 s; a batch's work grows linearly with its users, 85 ms for 50 and 330 ms for
-- 200). A rest between batches (pg_sleep) was measured as well and bought nothing more
-- at 50 users while doubling the run, so there is none.

alter table private.ai_events_retention alter column batch_users set default 50;
-- Only a setting still at the old default moves; an operator's own choice stays.
update private.ai_events_retention set batch_users = 50 where batch_users = 200;

comment on table private.ai_events_retention is
  'Retention of raw ai_events: rows older than keep_days UTC days are rolled up into ai_usage_daily nightly, batch_users users (default 50, ~2 MB of WAL) per transaction.';
