// /ready: readiness means Bird (or the emulator) answers HTTP at all (one cheap probe, short timeout, answer cached briefly) and every local dependency (Redis) is up.
import { Pool } from 'undici';

export const READY_PATH = '/ready';

export interface Readiness {
  check(): Promise<{ ready: boolean; cached: boolean }>;
  close(): Promise<void>;
}

/**
 * Any HTTP answer (even 401 or 404: the probe sends no key) proves the upstream is reachable; a refused connection, a
 * reset or the timeout does not. The probe uses a one-connection pool of its own, so it never queues behind (or takes
 * a socket from) real calls, and concurrent checks share one probe.
 */
export function createReadiness({
  url,
  timeoutMs,
  cacheMs,
  dependencies = [],
}: {
  url: string;
  timeoutMs: number;
  cacheMs: number;
  /** Local dependencies read on every check, never cached (e.g. Redis for live updates: down → not ready). */
  dependencies?: readonly (() => boolean)[];
}): Readiness {
  const origin = new URL(url).origin;
  const path = `${new URL(url).pathname.replace(/\/+$/, '')}/`;
  const pool = new Pool(origin, { connections: 1, connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  let last: { ready: boolean; at: number } | undefined;
  let inFlight: Promise<boolean> | undefined;

  const probe = async (): Promise<boolean> => {
    try {
      const response = await pool.request({ method: 'GET', path, signal: AbortSignal.timeout(timeoutMs), headers: { 'user-agent': 'bird-graphql-ready' } });
      await response.body.dump();
      return true;
    } catch {
      return false;
    }
  };

  return {
    async check() {
      if (!dependencies.every((healthy) => healthy())) return { ready: false, cached: false };
      if (last && Date.now() - last.at < cacheMs) return { ready: last.ready, cached: true };
      inFlight ??= probe().finally(() => {
        inFlight = undefined;
      });
      const ready = await inFlight;
      last = { ready, at: Date.now() };
      return { ready, cached: false };
    },
    close: () => pool.close(),
  };
}

/** GET /ready → 200 `{ status: 'ready' }` or 503 `{ status: 'unavailable' }`; the probe pool closes with the app. */
export function useReadiness(readiness: Readiness): import('graphql-yoga').Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== READY_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      return readiness.check().then(({ ready }) => {
        endResponse(
          fetchAPI.Response.json({ status: ready ? 'ready' : 'unavailable' }, { status: ready ? 200 : 503, headers: { 'cache-control': 'no-store' } }),
        );
      });
    },
    async onDispose() {
      await readiness.close();
    },
  };
}
