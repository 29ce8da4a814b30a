// Structured logs (pino): JSON lines or plain text, one line per record whatever it holds, credentials redacted, levels by whose fault.
import { Writable } from 'node:stream';
import type { YogaLogger } from 'graphql-yoga';
import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogFormat, LogLevel } from '../config.ts';
import { errorSeverity, failureCode } from '../errors.ts';

/** Header and option names whose values are secrets wherever they appear in a logged object. */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'request.headers.authorization',
  'req.headers.authorization',
  '*.authorization',
  'credential',
  '*.credential',
  'token',
  '*.token',
  'accessKey',
  '*.accessKey',
];

/** `AccessKey abc…` / `Bearer abc…` inside free text (an error message, a header dump): the token is replaced. */
const CREDENTIAL_IN_TEXT = /\b(AccessKey|Bearer)(\s+)[A-Za-z0-9._~+/-]+=*/gi;

export function scrubText(text: string): string {
  return text.replace(CREDENTIAL_IN_TEXT, '$1$2[redacted]');
}

/** Characters that would end, split or disguise a line of text: C0 and C1 controls, DEL and the Unicode line separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** A value that can stand bare after `key=`: no spaces, quotes, `=`, backslashes or controls. */
const BARE = /^[^\s"=\\\u0000-\u001f\u007f-\u009f\u2028\u2029]+$/;

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control characters as JSON-style escapes (`\n`, `\u001b`), so caller-controlled text cannot forge a log line. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => NAMED_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function textValue(value: unknown): string {
  if (typeof value === 'string' && BARE.test(value)) return value;
  return escapeControl(JSON.stringify(value) ?? String(value));
}

/** pino writes JSON lines; for LOG_FORMAT=text each is rewritten as `time LEVEL msg key=value ...`, on one line. */
function textDestination(out: NodeJS.WritableStream): DestinationStream {
  const names: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      let line: string;
      try {
        const { time, level, msg, pid: _pid, hostname: _hostname, ...rest } = JSON.parse(chunk.toString('utf8')) as Record<string, unknown>;
        const fields = Object.entries(rest).map(([key, value]) => `${escapeControl(key)}=${textValue(value)}`);
        line = `${new Date(Number(time)).toISOString()} ${names[Number(level)] ?? level} ${escapeControl(String(msg ?? ''))}${fields.length ? ` ${fields.join(' ')}` : ''}`;
      } catch {
        line = escapeControl(chunk.toString('utf8').replace(/\n$/, ''));
      }
      out.write(`${line}\n`);
      done();
    },
  });
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where lines go (default stdout); tests pass a stream that collects them. */
  destination?: NodeJS.WritableStream;
}

export function createLogger({ level, format, destination = process.stdout }: LoggerOptions): Logger {
  const stream = format === 'text' ? textDestination(destination) : (destination as DestinationStream);
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      hooks: {
        // Free-text arguments are scrubbed too: pino's redact only knows object paths.
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as Parameters<typeof method>,
          );
        },
      },
    },
    stream,
  );
}

type Level = 'debug' | 'info' | 'warn' | 'error';

/** Where a fault happened: a resolver's own error, when graphql-js wrapped it, else the error itself. */
function stackOf(error: Error): string | undefined {
  const original = (error as { originalError?: unknown }).originalError;
  return original instanceof Error ? original.stack : error.stack;
}

/** What yogaLogger gives a level that is off: callers may compare with it to skip building a line nobody writes. */
export const ignoreLine = (..._args: unknown[]): void => {};

/**
 * yoga's logger interface over pino: an object first argument becomes fields (its `msg` the message, once), anything
 * else the message. yoga reports every error it masks through `error`; those are re-levelled by whose fault they are
 * (src/errors.ts errorSeverity): a caller's mistake at info, Bird's trouble at warn, and only the server's own faults
 * at error, with their stack. A level that is off when the adapter is made (LOG_LEVEL is read once, at boot) gets a
 * function that does nothing: yoga logs several debug lines per request, and production runs at info or warn.
 */
export function yogaLogger(logger: Logger): YogaLogger {
  const write = (level: Level) => {
    if (!logger.isLevelEnabled(level)) return ignoreLine;
    return (...args: unknown[]) => {
      const [first, ...rest] = args;
      if (first instanceof Error) {
        const severity: Level = level === 'error' ? errorSeverity(first) : level;
        // Nothing is formatted for a level that is off (the request log line is info; production often runs at warn).
        if (!logger.isLevelEnabled(severity)) return;
        const code = failureCode(first);
        const err = {
          type: first.name,
          message: scrubText(first.message),
          ...(code === undefined ? {} : { code }),
          ...(severity === 'error' && stackOf(first) ? { stack: scrubText(stackOf(first)!) } : {}),
        };
        logger[severity]({ error: err }, rest.map(String).join(' ') || scrubText(first.message));
        return;
      }
      if (first !== null && typeof first === 'object') {
        const { msg, ...fields } = first as { msg?: unknown };
        const text = [...(msg === undefined ? [] : [String(msg)]), ...rest.map(String)].join(' ');
        logger[level](fields, text);
      } else {
        logger[level](args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
      }
    };
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
