// Structured logs (pino): JSON lines or plain text, credentials redacted, adapted to yoga's logger interface.
import { Writable } from 'node:stream';
import type { YogaLogger } from 'graphql-yoga';
import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogFormat, LogLevel } from '../config.ts';

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

/** pino writes JSON lines; for LOG_FORMAT=text each line is rewritten as `time LEVEL msg key=value ...`. */
function textDestination(out: NodeJS.WritableStream): DestinationStream {
  const names: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        const { time, level, msg, pid: _pid, hostname: _hostname, ...rest } = JSON.parse(chunk.toString('utf8')) as Record<string, unknown>;
        const fields = Object.entries(rest).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
        out.write(`${new Date(Number(time)).toISOString()} ${names[Number(level)] ?? level} ${String(msg ?? '')}${fields.length ? ` ${fields.join(' ')}` : ''}\n`);
      } catch {
        out.write(chunk);
      }
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

/** What yogaLogger gives a level that is off: callers may compare with it to skip building a line nobody writes. */
export const ignoreLine = (..._args: unknown[]): void => {};

/**
 * yoga's logger interface over pino: an object first argument becomes fields, anything else the message. A level that
 * is off when the adapter is made (LOG_LEVEL is read once, at boot) gets a function that does nothing: yoga logs
 * several debug lines per request, and production runs at info or warn.
 */
export function yogaLogger(logger: Logger): YogaLogger {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => {
    if (!logger.isLevelEnabled(level)) return ignoreLine;
    return (...args: unknown[]) => {
      const [first, ...rest] = args;
      if (first instanceof Error) {
        logger[level]({ err: { type: first.name, message: scrubText(first.message) } }, rest.map(String).join(' ') || first.message);
      } else if (first !== null && typeof first === 'object') {
        logger[level](first as object, rest.map(String).join(' '));
      } else {
        logger[level](args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
      }
    };
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
