// createLiveAppApi on the tables that keep what the live app stores beyond the v2.0 schema:
// the form-filling answers (application_form_answers, owner-only), profile_completed and
// referral_source on user_profile, and the Stripe subscription (owner read-only).
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonKey, newUser, stack } from '../../../tests/support/stack';
import { createLiveAppApi, type LiveAppApi } from '../src/index.ts';
import { sessionClient } from './session';

type User = Awaited<ReturnType<typeof newUser>>;

const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
let owner: User;
let stranger: User;
let api: LiveAppApi;
let strangerApi: LiveAppApi;

beforeAll(async () => {
  owner = await newUser('live-app-homes-owner');
  stranger = await newUser('live-app-homes-stranger');
  api = createLiveAppApi(sessionClient(stack.apiUrl, anonKey, owner));
  strangerApi = createLiveAppApi(sessionClient(stack.apiUrl, anonKey, stranger));
});

afterAll(async () => {
  await admin.end({ timeout: 5 });
});

describe('profileApi on the kept live columns', () => {
  it('getProfile starts with profile_completed false, no referral source and no answers', async () => {
    const profile = await api.profileApi.getProfile();
    expect(profile).toMatchObject({ profile_completed: false, referral_source: null, work_auth_us: null, gender: null, subscription_tier: 'free' });
  });

  it('updateProfile keeps referral_source on user_profile; a blank one is no answer', async () => {
    const updated = await api.profileApi.updateProfile({ referral_source: 'Friend' });
    expect(updated.referral_source).toBe('Friend');
    expect((await admin`select referral_source from public.user_profile where user_id = ${owner.id}`)[0].referral_source).toBe('Friend');
    expect((await api.profileApi.updateProfile({ referral_source: '' })).referral_source).toBeNull();
  });

  it('the form-filling answers go to application_form_answers, owner-only, and come back on the profile', async () => {
    const updated = await api.profileApi.updateProfile({
      work_auth_us: true,
      work_auth_canada: false,
      requires_sponsorship: false,
      current_location: 'Berlin, Germany',
      phone_country_code: '+49',
      date_of_birth: '1990-12-10',
      gender: 'Decline to state',
      is_veteran: 'No',
    });
    expect(updated).toMatchObject({ work_auth_us: true, work_auth_canada: false, work_auth_uk: null, current_location: 'Berlin, Germany', phone_country_code: '+49', date_of_birth: '1990-12-10', gender: 'Decline to state', is_veteran: 'No' });
    const [answers] = await admin`select work_auth_us, current_location, gender from public.application_form_answers where user_id = ${owner.id}`;
    expect(answers).toEqual({ work_auth_us: true, current_location: 'Berlin, Germany', gender: 'Decline to state' });
    const [profileRow] = await admin`select to_jsonb(p) as row from public.user_profile p where user_id = ${owner.id}`;
    expect(Object.keys(profileRow.row)).not.toContain('gender');
    // A cleared text field is "no answer".
    const cleared = await api.profileApi.updateProfile({ current_location: '' });
    expect(cleared.current_location).toBeNull();
    expect((await strangerApi.profileApi.getProfile()).work_auth_us).toBeNull();
    expect((await api.profileApi.getProfile()).work_auth_us).toBe(true);
  });

  it('completeProfile sets profile_completed and answers {success, message}', async () => {
    await expect(api.profileApi.completeProfile()).resolves.toEqual({ success: true, message: 'Profile marked as completed' });
    expect((await api.profileApi.getProfile()).profile_completed).toBe(true);
  });

  it('getStatus reads the user’s own subscription row (written by the server), never another’s', async () => {
    await admin`insert into public.subscriptions (user_id, stripe_customer_id, status, tier) values (${owner.id}, ${'cus_' + owner.id.slice(0, 8)}, 'active', 'pro')`;
    expect(await api.subscriptionApi.getStatus()).toMatchObject({ tier: 'pro', status: 'active', subscription: expect.objectContaining({ tier: 'pro' }) });
    expect((await api.profileApi.getProfile()).subscription_tier).toBe('pro');
    expect(await strangerApi.subscriptionApi.getStatus()).toMatchObject({ tier: 'free', subscription: null });
  });
});
