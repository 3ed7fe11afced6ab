/**
 * BENCH ONLY — NEVER PART OF A DEPLOYED WORKER.
 *
 * This file stands in for worker/auth/authenticate.ts in a second build of Sluice that exists
 * only inside `npm run bench` (bench/miniflare.mjs swaps the module in with an esbuild plugin;
 * wrangler.toml and `wrangler deploy` never see it). It accepts every request without checking
 * its signature, so that the bench can measure what SigV4 verification costs: the same signed
 * SendMessage against Sluice with and without it. The shipped Worker has no switch that skips
 * authentication, and must not get one.
 */

/**
 * The caller the bench key (bench/miniflare.mjs BENCH_KEY) resolves to, without the check. Async
 * like the real one, so the request path awaits the same way.
 */
export async function authenticate() {
  return { accountId: "000000000000", region: "us-east-1", accessKeyId: "bench" };
}
