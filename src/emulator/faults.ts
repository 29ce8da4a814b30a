// Scripted faults of the emulator's routes: the script's types, each fault's plan and answer, and the per-route queues that hand them out.
import http from 'node:http';
import { type Reply, STATUS_CODES, json, tooManyRequests } from './http-io.ts';

export type Fault =
  | number // answer with this status and a Bird error body {code,message}
  | 'reset' // destroy the socket without answering
  | 'invalid-json' // 200 with a body that is not JSON
  | 'pass' // serve normally
  | {
      status?: number;
      headers?: Record<string, string>;
      body?: unknown;
      /** Wait before sending headers (then serve normally unless status/reset given). */
      delayMs?: number;
      /** Send headers + part of the body, then wait this long before finishing. */
      slowBodyMs?: number;
      reset?: boolean;
      invalidJson?: boolean;
    };

/** Keyed by route pattern, e.g. 'GET /workspaces/:ws/channels/:ch'. Each call of the route consumes the next entry;
 *  when the list is exhausted the route serves normally. `'*'` as a key matches every route. */
export type FaultScript = Record<string, Fault[]>;

export interface FaultPlan {
  delayMs: number;
  slowBodyMs: number;
  reset: boolean;
  invalidJson: boolean;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export function planOf(fault: Fault): FaultPlan {
  const plan: FaultPlan = { delayMs: 0, slowBodyMs: 0, reset: false, invalidJson: false };
  if (typeof fault === 'number') plan.status = fault;
  else if (fault === 'reset') plan.reset = true;
  else if (fault === 'invalid-json') plan.invalidJson = true;
  else if (fault !== 'pass') {
    plan.delayMs = fault.delayMs ?? 0;
    plan.slowBodyMs = fault.slowBodyMs ?? 0;
    plan.reset = fault.reset ?? false;
    plan.invalidJson = fault.invalidJson ?? false;
    if (fault.status !== undefined) plan.status = fault.status;
    if (fault.headers) plan.headers = fault.headers;
    if (fault.body !== undefined) plan.body = fault.body;
  }
  return plan;
}

/**
 * The scripted answer for a status fault: the given body (a string is sent verbatim), else a Bird error body for
 * 4xx/5xx (429 also gets `Retry-After: 1`). Decision: a status below 400 without a body serves the route normally,
 * so scripts like `[503, 'reset', 200]` read naturally.
 */
export function faultReply(plan: FaultPlan): Reply | undefined {
  const status = plan.status as number;
  if (plan.body !== undefined) {
    return { status, body: typeof plan.body === 'string' ? plan.body : JSON.stringify(plan.body) };
  }
  if (status < 400) return undefined;
  const code = STATUS_CODES[status] ?? (status >= 500 ? 'InternalError' : 'Error');
  const message = `${http.STATUS_CODES[status] ?? 'Error'} (scripted fault)`;
  if (status === 429) return tooManyRequests();
  return json(status, status === 422 ? { code, message, details: {} } : { code, message });
}

export class FaultQueue {
  private queues = new Map<string, Fault[]>();

  set(script: FaultScript | undefined): void {
    this.queues = new Map(Object.entries(script ?? {}).map(([key, list]) => [key, [...list]]));
  }

  /** The next fault for a route: its own list first, then '*'. */
  next(route: string): Fault | undefined {
    if (this.queues.size === 0) return undefined;
    const own = this.queues.get(route);
    if (own && own.length > 0) return own.shift();
    const any = this.queues.get('*');
    if (any && any.length > 0) return any.shift();
    return undefined;
  }
}
