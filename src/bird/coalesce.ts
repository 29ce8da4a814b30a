// Cross-request coalescing ("singleflight"): identical GETs in flight at the same moment for the same credential are made once and shared.
//
// Only what is in flight is shared, never a finished answer (no cache): a GET that starts after the shared one
// settled makes its own call. The key holds a hash of the credential, never the credential itself, so a dump of the
// map shows no key. A caller that aborts leaves alone; the shared call is aborted only when its last waiter left.
import { createHash } from 'node:crypto';
import type { Credential } from './transport.ts';

interface Flight {
  promise: Promise<unknown>;
  controller: AbortController;
  waiters: number;
}

const credentialIds = new WeakMap<Credential, string>();

/** A stable, one-way id of a credential (SHA-256 of scheme and token), computed once per credential object. */
export function credentialId(credential: Credential | undefined | null): string {
  if (!credential) return 'anonymous';
  let id = credentialIds.get(credential);
  if (id === undefined) {
    id = createHash('sha256').update(`${credential.scheme} ${credential.token}`).digest('base64url');
    credentialIds.set(credential, id);
  }
  return id;
}

export class Coalescer {
  readonly #flights = new Map<string, Flight>();

  /** Calls in flight right now (tests and metrics). */
  get size(): number {
    return this.#flights.size;
  }

  /**
   * Joins the call in flight under `key`, or starts it with `start(signal)`, whose signal aborts only when every
   * waiter has left. A waiter whose own signal aborts gets `aborted()` at once; the others keep waiting.
   */
  run<T>(key: string, signal: AbortSignal | undefined, start: (signal: AbortSignal) => Promise<T>, aborted: () => Error): Promise<T> {
    if (signal?.aborted) return Promise.reject(aborted());
    let flight = this.#flights.get(key);
    if (!flight) {
      const controller = new AbortController();
      const created: Flight = { controller, waiters: 0, promise: start(controller.signal) };
      // Settled: later callers start afresh. Also handles the rejection when every waiter has left before it.
      const forget = (): void => {
        if (this.#flights.get(key) === created) this.#flights.delete(key);
      };
      created.promise.then(forget, forget);
      this.#flights.set(key, created);
      flight = created;
    }
    const joined = flight;
    joined.waiters++;
    if (!signal) return joined.promise as Promise<T>;
    return new Promise<T>((resolve, reject) => {
      const leave = (): void => {
        joined.waiters--;
        if (joined.waiters > 0) {
          reject(aborted());
          return;
        }
        // The last one out: nobody wants the answer any more, so the request itself is aborted (its own error, with
        // the attempts it made, is this caller's), and a new caller with the same key starts afresh.
        if (this.#flights.get(key) === joined) this.#flights.delete(key);
        joined.controller.abort(signal.reason);
      };
      signal.addEventListener('abort', leave, { once: true });
      // After an early reject (the waiter left), these settle nothing.
      joined.promise.then(
        (value) => {
          signal.removeEventListener('abort', leave);
          resolve(value as T);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', leave);
          reject(error);
        },
      );
    });
  }
}
