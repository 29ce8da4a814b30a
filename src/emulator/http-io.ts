// The emulator's replies (Bird's JSON error bodies, 429 with Retry-After) and its request-body readers (JSON up to 10 MiB, uploads up to a limit).
import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors.ts';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export const json = (status: number, value: unknown): Reply => ({ status, body: JSON.stringify(value) });
export const ok = (value: unknown) => json(200, value);

export function errorReply(e: ApiError): Reply {
  return json(e.status, e.details ? { code: e.code, message: e.message, details: e.details } : { code: e.code, message: e.message });
}

export const STATUS_CODES: Record<number, string> = {
  400: 'InvalidRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  422: 'ValidationError',
  429: 'TooManyRequests',
};

export function tooManyRequests(): Reply {
  return { ...json(429, { code: 'TooManyRequests', message: 'Too many requests' }), headers: { 'retry-after': '1' } };
}

/** Decision: JSON bodies above 10 MiB are refused (Bird publishes no limit; a 100-item batch fits easily). */
const MAX_JSON_BYTES = 10 * 1024 * 1024;

/**
 * The whole request body, or undefined as soon as it exceeds `limit` (the rest is then drained and discarded, so
 * the socket survives long enough to carry the error answer; breaking out of `for await` would destroy it).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.resume();
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req, MAX_JSON_BYTES);
  if (body === undefined) throw new ApiError(400, 'InvalidRequest', 'Bad request: request body too large');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApiError(400, 'InvalidRequest', 'Bad request: request body must be valid JSON');
  }
}
