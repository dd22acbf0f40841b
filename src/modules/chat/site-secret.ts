import { openSealedSecret, sealSecret } from '../../platform/sealed-secret.js';
import { randomToken } from '../../platform/tokens.js';
import type { ChatSiteRow } from './site-store.js';

/** A chat site's public key and its identity-token secret (sealed at rest, shown to the admin once). */

const PURPOSE = 'chat.site_secret';
/** After a rotation the previous secret still verifies tokens for this long (sites redeploy). */
export const ROTATION_GRACE_MS = 24 * 3_600_000;

export const newSiteKey = () => `cs_${randomToken(18)}`;
export const newSiteSecret = () => `chs_${randomToken(32)}`;

export function sealSiteSecret(instanceSecret: string, siteId: string, secret: string): string {
  return sealSecret(instanceSecret, { purpose: PURPOSE, associatedData: `chat_site:${siteId}` }, secret);
}

/** The secrets identity tokens may be signed with right now: current first, then previous in its grace period. */
export function siteSecrets(instanceSecret: string, site: ChatSiteRow, now = new Date()): string[] {
  const context = { purpose: PURPOSE, associatedData: `chat_site:${site.id}` };
  const secrets = [openSealedSecret(instanceSecret, context, site.secret_sealed)];
  if (site.previous_secret_sealed && site.previous_secret_expires_at && site.previous_secret_expires_at > now) {
    secrets.push(openSealedSecret(instanceSecret, context, site.previous_secret_sealed));
  }
  return secrets;
}
