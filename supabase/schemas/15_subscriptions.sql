-- Subscriptions: the live app's Stripe subscription, one row per user, written only by
-- the server side that talks to Stripe (service_role). The owner reads their own row;
-- nobody else, and no signed-in user writes one. user_profile.subscription_tier mirrors
-- the row's tier (free without a row), kept equal by the triggers here, so a user can
-- never raise their own tier.

-- Tables

create table public.subscriptions (
  id uuid primary key default extensions.uuid_generate_v4(),
  -- Written by service_role, which names the user; the default keeps the house rule.
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  stripe_customer_id varchar(255),
  stripe_subscription_id varchar(255),
  stripe_price_id varchar(255),
  -- 'free' before any checkout, then Stripe's subscription status as Stripe reports it.
  status varchar(50) not null default 'free',
  tier varchar(50) not null default 'free',
  current_period_start timestamptz,
  current_period_end timestamptz,
  cancel_at_period_end boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint subscriptions_user_id_key unique (user_id),
  constraint subscriptions_stripe_customer_id_key unique (stripe_customer_id),
  constraint subscriptions_stripe_subscription_id_key unique (stripe_subscription_id),
  constraint subscriptions_tier_check check (tier::text = any (array['free', 'pro'])),
  constraint subscriptions_status_check check (status::text = any (array['free', 'active', 'trialing', 'past_due', 'canceled', 'unpaid', 'incomplete', 'incomplete_expired', 'paused'])),
  constraint subscriptions_period_order check (current_period_end >= current_period_start)
);
alter table public.subscriptions enable row level security;
comment on table public.subscriptions is $$A user’s Stripe subscription (at most one row per user). The owner reads it; only service_role (the server side that talks to Stripe) writes it. user_profile.subscription_tier follows its tier.$$;
comment on column public.subscriptions.user_id is $$The owner (auth.users.id); one row per user.$$;
comment on column public.subscriptions.stripe_customer_id is $$Stripe customer id (cus_...), unique.$$;
comment on column public.subscriptions.stripe_subscription_id is $$Stripe subscription id (sub_...), unique.$$;
comment on column public.subscriptions.stripe_price_id is $$Stripe price id (price_...) of the plan.$$;
comment on column public.subscriptions.status is $$free before any checkout, else Stripe’s status: active, trialing, past_due, canceled, unpaid, incomplete, incomplete_expired or paused.$$;
comment on column public.subscriptions.tier is $$free or pro; user_profile.subscription_tier follows it.$$;
comment on column public.subscriptions.current_period_start is $$Start of the paid period Stripe reported.$$;
comment on column public.subscriptions.current_period_end is $$End of the paid period Stripe reported (not before its start).$$;
comment on column public.subscriptions.cancel_at_period_end is $$True when the subscription ends at current_period_end.$$;

-- Functions the indexes, triggers and policies below call (they must exist first)

-- The tier a user's profile must show: their subscription's, or free without one.
-- Security definer so the profile trigger sees the subscription whoever writes the profile
-- (GoTrue's sign-up trigger runs as supabase_auth_admin).
create function private.subscription_tier_of(owner uuid) returns varchar language sql stable security definer set search_path = '' as $$
  select coalesce((select s.tier from public.subscriptions s where s.user_id = owner), 'free')
$$;
comment on function private.subscription_tier_of(owner uuid) is $$The tier of the user’s subscription, free without one.$$;

-- Before insert or update of user_profile: whatever a writer sends, subscription_tier is
-- the subscription's (a client has no grant on the column in the first place). An update
-- that moves neither the owner nor the tier keeps the tier the row holds, which already is
-- the subscription's (sync_subscription_tier keeps it so): a profile edit looks nothing up.
create function private.keep_profile_subscription_tier() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' or new.user_id is distinct from old.user_id
     or new.subscription_tier is distinct from old.subscription_tier then
    new.subscription_tier := private.subscription_tier_of(new.user_id);
  end if;
  return new;
end;
$$;
comment on function private.keep_profile_subscription_tier() is $$Trigger (before insert or update on user_profile): subscription_tier is always the subscription’s tier.$$;

-- After a subscription is added, changed or removed: the owner's profile follows. A user
-- whose account is being deleted has no profile left to follow.
create function private.sync_subscription_tier() returns trigger language plpgsql security definer set search_path = '' as $$
declare
  owner uuid;
begin
  foreach owner in array array[case when tg_op <> 'INSERT' then old.user_id end,
                                case when tg_op <> 'DELETE' then new.user_id end] loop
    if owner is not null then
      update public.user_profile p
         set subscription_tier = private.subscription_tier_of(owner)
       where p.user_id = owner
         and p.subscription_tier is distinct from private.subscription_tier_of(owner);
    end if;
  end loop;
  return null;
end;
$$;
comment on function private.sync_subscription_tier() is $$Trigger (after insert, update or delete on subscriptions): the owner’s user_profile.subscription_tier follows.$$;

-- Triggers

create trigger sync_subscription_tier
  after insert or delete or update of tier, user_id on public.subscriptions
  for each row execute function private.sync_subscription_tier();

create trigger keep_profile_subscription_tier
  before insert or update of subscription_tier, user_id on public.user_profile
  for each row execute function private.keep_profile_subscription_tier();

-- Policies and grants

call private.create_owner_policies('public.subscriptions', 'Owners can view their own subscription', null, null, null);

call private.grant_table_access('public.subscriptions', may_delete => false);

