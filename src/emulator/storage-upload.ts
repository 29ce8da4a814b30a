// The emulator's storage target: POST /media-upload, multipart/form-data parsed here (no dependency) against the presigned policy.
import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors.ts';
import { type Reply, errorReply, readBody } from './http-io.ts';
import type { Store } from './store.ts';

/** Room for the form's text fields on top of the file's own size limit. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/**
 * Decision: storage errors are JSON `{code, message}` with S3's error codes (EntityTooLarge, MalformedPOSTRequest,
 * AccessDenied) rather than S3's XML, so clients parse one error format. An oversized upload is refused as soon as
 * its Content-Length (the rest of the body is then discarded) or the bytes read so far (the connection is then
 * closed) exceed the limit.
 */
export async function receiveUpload(req: IncomingMessage, store: Store): Promise<Reply> {
  const malformed = (why: string) => new ApiError(400, 'MalformedPOSTRequest', `The body of your POST request is not well-formed multipart/form-data: ${why}`);
  const tooLarge = (close: boolean): Reply => {
    const reply = errorReply(new ApiError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'));
    return close ? { ...reply, headers: { connection: 'close' } } : reply;
  };
  const type = req.headers['content-type'] ?? '';
  const boundary = /^multipart\/form-data\s*;.*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(type);
  if (!boundary) throw malformed('expected a multipart/form-data content type with a boundary');
  const limit = store.maxUploadBytes + FORM_OVERHEAD_BYTES;
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    // Refused before a byte is kept, but read to the end (discarded) without closing: Node 24's fetch reports EPIPE,
    // not the answer, when the connection closes while it is still sending.
    req.resume();
    return tooLarge(false);
  }
  const body = await readBody(req, limit);
  if (body === undefined) return tooLarge(true);
  const { fields, file } = parseMultipart(body, (boundary[1] ?? boundary[2]) as string, malformed);
  store.completeUpload(fields, file);
  return { status: 204 };
}

/** Text fields up to the `file` part, and the file bytes; fields after `file` are ignored, as S3 does. */
function parseMultipart(
  buf: Buffer,
  boundary: string,
  malformed: (why: string) => ApiError,
): { fields: Map<string, string>; file: Buffer | undefined } {
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  const fields = new Map<string, string>();
  let pos = buf.indexOf(delimiter);
  if (pos === -1) throw malformed('boundary not found');
  pos += delimiter.length;
  for (;;) {
    if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) return { fields, file: undefined }; // closing delimiter
    if (buf[pos] !== 0x0d || buf[pos + 1] !== 0x0a) throw malformed('bad delimiter line');
    pos += 2;
    const headerEnd = buf.indexOf('\r\n\r\n', pos);
    if (headerEnd === -1) throw malformed('unterminated part headers');
    const headers = buf.toString('utf8', pos, headerEnd);
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) throw malformed('part without a name');
    const start = headerEnd + 4;
    const end = buf.indexOf(separator, start);
    if (end === -1) throw malformed('unterminated part');
    if (name === 'file') return { fields, file: buf.subarray(start, end) };
    if (fields.has(name)) throw malformed(`duplicate field ${name}`);
    fields.set(name, buf.toString('utf8', start, end));
    pos = end + separator.length;
  }
}
