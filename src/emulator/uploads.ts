// Presigned media uploads as the emulator's storage target sees them: S3-style POST policies, minted, signed and checked.
import { createHmac, randomBytes } from 'node:crypto';
import { ApiError } from './errors.ts';

export const DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
const UPLOAD_POLICY_TTL_MS = 60 * 60 * 1000;
const MEDIA_BUCKET = 'channels--message-media--emulator--euw1';

/** What a handed-out presigned form must carry to be accepted. */
interface UploadPolicy {
  fields: Record<string, string>;
  expiresMs: number;
  maxBytes: number;
  mediaPath: string;
}

/** An accepted upload: the bytes, where they are served and as what. */
export interface AcceptedUpload {
  mediaPath: string;
  bytes: Buffer;
  contentType: string;
}

export class UploadPolicies {
  private readonly policies = new Map<string, UploadPolicy>();
  private readonly signingSecret = randomBytes(32);

  constructor(
    private readonly now: () => number,
    private readonly maxBytes: number,
  ) {}

  /**
   * The form fields of a presigned upload to `mediaPath`, mimicking S3's POST policy. The policy is base64 JSON (like
   * S3's) with a random nonce, remembered with its expiry, size limit and target; the signature is an HMAC over it
   * with a per-store secret.
   */
  mint(target: { workspaceId: string; channelId?: string; mediaId: string; mediaPath: string; contentType: string }): Record<string, string> {
    const { workspaceId, channelId, mediaId, mediaPath, contentType } = target;
    const nowMs = this.now();
    const expiresMs = nowMs + UPLOAD_POLICY_TTL_MS;
    const key = `${workspaceId}/${mediaId}`;
    const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    const credential = `EMULATORAKIAEXAMPLE/${stamp.slice(0, 8)}/eu-west-1/s3/aws4_request`;
    const policy = Buffer.from(
      JSON.stringify({
        expiration: new Date(expiresMs).toISOString(),
        conditions: [
          { bucket: MEDIA_BUCKET },
          { key },
          { acl: 'private' },
          { 'Content-Type': contentType },
          ['content-length-range', 0, this.maxBytes],
          { 'x-amz-meta-allowed-paths': mediaPath },
          { nonce: randomBytes(12).toString('hex') },
        ],
      }),
    ).toString('base64');
    const fields: Record<string, string> = {
      'Content-Type': contentType,
      acl: 'private',
      bucket: MEDIA_BUCKET,
      key,
      policy,
      'x-amz-algorithm': 'AWS4-HMAC-SHA256',
      'x-amz-credential': credential,
      'x-amz-date': stamp,
      'x-amz-meta-allowed-paths': mediaPath,
      ...(channelId ? { 'x-amz-meta-channel-id': channelId } : {}),
      'x-amz-security-token': 'emulator-session-token',
      'x-amz-signature': this.sign(policy),
    };
    this.policies.set(policy, { fields, expiresMs, maxBytes: this.maxBytes, mediaPath });
    return fields;
  }

  private sign(policy: string): string {
    return createHmac('sha256', this.signingSecret).update(policy).digest('hex');
  }

  /**
   * The storage target's check (POST /media-upload): every handed-out field present with the same value, no
   * other field, a known unexpired policy with a valid signature, then the file. 403 AccessDenied for policy
   * failures (like S3), 400 for a malformed form or an oversized file. Decision: a policy can be reused until it
   * expires (S3 behaves so); each upload replaces the bytes.
   */
  accept(fields: ReadonlyMap<string, string>, file: Buffer | undefined): AcceptedUpload {
    const denied = (why: string) => new ApiError(403, 'AccessDenied', `Invalid according to Policy: ${why}`);
    const policyText = fields.get('policy');
    const policy = policyText === undefined ? undefined : this.policies.get(policyText);
    if (!policy || policyText === undefined) throw denied('unknown or missing policy');
    if (policy.expiresMs < this.now()) throw denied('policy expired');
    if (fields.get('x-amz-signature') !== this.sign(policyText)) throw denied('signature mismatch');
    for (const [name, value] of Object.entries(policy.fields)) {
      if (fields.get(name) !== value) throw denied(`field ${name} ${fields.has(name) ? 'does not match' : 'is missing'}`);
    }
    for (const name of fields.keys()) {
      if (!Object.hasOwn(policy.fields, name)) throw denied(`extra input field ${name}`);
    }
    if (file === undefined) throw new ApiError(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data: file field missing');
    if (file.length > policy.maxBytes) throw new ApiError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    return { mediaPath: policy.mediaPath, bytes: file, contentType: policy.fields['Content-Type'] as string };
  }
}
