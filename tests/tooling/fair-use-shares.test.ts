// The fair-use shares are written once, in SQL (private.fair_use_shares(),
// supabase/schemas/90_fair_use.sql). The exported constants, the gateway's pacing and the
// live app's client must all hold the database's numbers: this fails when any of the
// three differs (a share changed in SQL without `npm run gen:types`, or written again by hand).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { query } from '../../scripts/lib/database.mjs';
import { fairUseSharesFile, generateFairUseShares } from '../../scripts/lib/types.mjs';
import { restShares } from '../../scripts/rest_pacing.ts';
import { userShare } from '../../clients/live-app/src/fair-use.ts';
import { fairUseShares } from '../../supabase/functions/_shared/fair-use-shares.ts';
import { stack } from '../support/stack';

function databaseShares() {
  const [signedInUser, anonymousClient, allAnonymousClients] = query(stack.dbUrl,
    'select signed_in_user, anonymous_client, all_anonymous_clients from private.fair_use_shares()').split('|').map(Number);
  return { signedInUser, anonymousClient, allAnonymousClients };
}

it('supabase/functions/_shared/fair-use-shares.ts is what private.fair_use_shares() says (run npm run gen:types)', () => {
  expect(readFileSync(fairUseSharesFile, 'utf8')).toBe(generateFairUseShares(stack.dbUrl));
});

it('the gateway paces and the live app queues by the database\'s shares', () => {
  const declared = databaseShares();
  expect(fairUseShares).toEqual(declared);
  expect(restShares).toEqual({ user: declared.signedInUser, anonymousClient: declared.anonymousClient });
  expect(userShare).toBe(declared.signedInUser);
});
