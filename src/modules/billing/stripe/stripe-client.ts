import Stripe from 'stripe';

/**
 * The one place Baton builds a Stripe API client. `apiBase` (an origin, billing settings) points
 * it at a local Stripe mock in tests or at a proxy; retries are few and short because a money
 * action job retries on its own with the same idempotency key. File uploads (dispute evidence)
 * normally go to files.stripe.com: with a host set here the client sends them to that host too
 * (stripe-node resolves every base address to a host given in the config), so a proxy or a mock
 * receives the uploads as well.
 */
export const STRIPE_TIMEOUT_MS = 20_000;
export const STRIPE_MAX_NETWORK_RETRIES = 2;

export function createStripeClient(apiKey: string, apiBase: string | null): Stripe {
  const config: ConstructorParameters<typeof Stripe>[1] = {
    maxNetworkRetries: STRIPE_MAX_NETWORK_RETRIES,
    timeout: STRIPE_TIMEOUT_MS,
    telemetry: false,
    appInfo: { name: 'Baton' },
  };
  if (apiBase) {
    const url = new URL(apiBase);
    config.host = url.hostname.replace(/^\[|\]$/g, '');
    config.protocol = url.protocol === 'http:' ? 'http' : 'https';
    config.port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  }
  return new Stripe(apiKey, config);
}
