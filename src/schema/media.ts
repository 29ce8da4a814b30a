// createMediaUpload (Bird's presigned form) and uploadMedia(file) (multipart streamed to that form), with download links.
import { GraphQLError } from 'graphql';
import type { PresignedUpload } from '../bird/types.ts';
import { BirdError } from '../bird/errors.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { SNIFF_BYTES, contentTypeProblem, declaredTypeMismatch } from '../media/content-type.ts';
import { policyMaxSize } from '../media/upload-policy.ts';
import { normalizeUuid } from './ids.ts';
import {
  type FieldErrorShape,
  InputValidationError,
  MUTATION_ERROR_TYPES,
  UpstreamUnavailableError,
  mutationErrorFrom,
} from './mutation-errors.ts';

const DOWNLOAD_URL_DESCRIPTION =
  'A URL a browser can load the media from without an access key: a short-lived signed link to this server (valid ' +
  'for MEDIA_LINK_TTL_SECONDS, 15 minutes by default), which streams the file from Bird with your credential. It ' +
  'answers 404 until the file has been uploaded.';

builder.scalarType('File', {
  description:
    'A file sent in a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec), one ' +
    'file per request. Input only.',
  serialize: () => {
    throw new GraphQLError('File is an input-only scalar.');
  },
  parseValue: (value) => {
    if (isFile(value)) return value;
    throw new GraphQLError('Expected a file: send it as a part of a GraphQL multipart request, mapped onto this variable.');
  },
  parseLiteral: () => {
    throw new GraphQLError('A file cannot be written in the query: send it as a variable of a GraphQL multipart request.');
  },
});

function isFile(value: unknown): value is File {
  if (value instanceof File) return true;
  const candidate = value as Partial<File> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.name === 'string' &&
    typeof candidate.size === 'number' &&
    typeof candidate.type === 'string' &&
    typeof candidate.stream === 'function' &&
    typeof candidate.slice === 'function'
  );
}

const UploadFormField = builder.objectRef<{ name: string; value: string }>('UploadFormField').implement({
  description: 'One text field of an upload form, to append to a FormData as given, in order, before the file.',
  fields: (t) => ({
    name: t.exposeString('name', { nullable: false, description: 'The form field name, e.g. `policy`.' }),
    value: t.exposeString('value', { nullable: false, description: 'Its value, exactly as given.' }),
  }),
});

export const CreateMediaUploadInput = builder.inputType('CreateMediaUploadInput', {
  description: 'Asks Bird for a one-time upload form for one file.',
  fields: (t) => ({
    workspaceId: t.field({ type: 'UUID', required: true, description: 'The Bird workspace UUID.' }),
    channelId: t.field({
      type: 'UUID',
      description: 'The channel the media is for (Bird stores it under that channel); omit for media usable on any channel.',
    }),
    contentType: t.string({
      required: true,
      description: 'The media type of the file, e.g. `image/png` (RFC 6838 `type/subtype`, at most 255 characters).',
    }),
  }),
});

export const UploadMediaInput = builder.inputType('UploadMediaInput', {
  description: 'One file to store with Bird, sent in the same GraphQL multipart request.',
  fields: (t) => ({
    workspaceId: t.field({ type: 'UUID', required: true, description: 'The Bird workspace UUID.' }),
    channelId: t.field({
      type: 'UUID',
      description: 'The channel the media is for (Bird stores it under that channel); omit for media usable on any channel.',
    }),
    file: t.field({
      type: 'File',
      required: true,
      description:
        "The file. Its part's Content-Type is its media type and must match the content for PNG, JPEG, GIF, WebP, PDF " +
        'and MP4; at most MEDIA_MAX_BYTES (100 MiB by default).',
    }),
  }),
});

const CreateMediaUploadPayload = builder.objectRef<PresignedUpload>('CreateMediaUploadPayload').implement({
  description:
    'A one-time upload form from Bird. To upload from a browser: append every `uploadFields` entry, in order, to a ' +
    'FormData, then the file as `file` (last), and send it with `uploadMethod` to `uploadUrl` (no Authorization ' +
    'header: the signed fields authorize it). A 2xx (204) means stored; then use `mediaUrl` in a message.',
  fields: (t) => ({
    mediaUrl: t.expose('mediaUrl', {
      type: 'URL',
      nullable: false,
      description: 'Where Bird serves the file once uploaded: use it as the `mediaUrl` of a message.',
    }),
    uploadUrl: t.expose('uploadUrl', {
      type: 'URL',
      nullable: false,
      description: 'Where to send the form (a storage bucket chosen by Bird, not this server).',
    }),
    uploadMethod: t.exposeString('uploadMethod', { nullable: false, description: 'The HTTP method for the form: always `POST`.' }),
    uploadFields: t.field({
      type: [UploadFormField],
      nullable: false,
      description: "The form's text fields in Bird's order; the file goes after them, in a field named `file`.",
      resolve: (upload) => Object.entries(upload.uploadFormData).map(([name, value]) => ({ name, value })),
    }),
    maxSize: t.int({
      description: "The largest file the form accepts, in bytes, when the form's signed policy says (S3 `content-length-range`).",
      resolve: (upload) => policyMaxSize(upload.uploadFormData.policy),
    }),
    downloadUrl: t.field({
      type: 'URL',
      description: DOWNLOAD_URL_DESCRIPTION,
      resolve: (upload, _args, ctx) => ctx.mediaLinks.downloadUrl(upload.mediaUrl),
    }),
  }),
});

interface UploadedMedia {
  mediaUrl: string;
  contentType: string;
  size: number;
}

const UploadMediaPayload = builder.objectRef<UploadedMedia>('UploadMediaPayload').implement({
  description: 'The file as Bird stored it.',
  fields: (t) => ({
    mediaUrl: t.expose('mediaUrl', {
      type: 'URL',
      nullable: false,
      description: 'Where Bird serves the file: use it as the `mediaUrl` of a message.',
    }),
    contentType: t.exposeString('contentType', { nullable: false, description: 'The media type it was stored with.' }),
    size: t.exposeInt('size', { nullable: false, description: 'Its size in bytes.' }),
    downloadUrl: t.field({
      type: 'URL',
      description: DOWNLOAD_URL_DESCRIPTION,
      resolve: (media, _args, ctx) => ctx.mediaLinks.downloadUrl(media.mediaUrl),
    }),
  }),
});

type CreateMediaUploadInputShape = typeof CreateMediaUploadInput.$inferInput;
type UploadMediaInputShape = typeof UploadMediaInput.$inferInput;

/** Asks Bird for a form: the channel variant when a channel is given, else the channel-independent one. */
async function presign(
  ctx: Context,
  input: { workspaceId: string; channelId?: string | null },
  contentType: string,
  contentTypePath: string[],
): Promise<PresignedUpload> {
  const workspaceId = normalizeUuid(input.workspaceId);
  const channelId = input.channelId ? normalizeUuid(input.channelId) : undefined;
  try {
    return await ctx.bird.createPresignedUpload({
      workspaceId,
      ...(channelId === undefined ? {} : { channelId }),
      contentType,
    });
  } catch (error) {
    throw mutationErrorFrom(error, {
      resource: channelId === undefined ? 'workspace' : 'channel',
      mapPath: (birdPath) => (birdPath[0] === 'contentType' ? contentTypePath : ['input', ...birdPath]),
    });
  }
}

async function createMediaUpload(input: CreateMediaUploadInputShape, ctx: Context): Promise<PresignedUpload> {
  const problem = contentTypeProblem(input.contentType);
  if (problem) throw new InputValidationError([{ path: ['input', 'contentType'], message: problem }]);
  return presign(ctx, input, input.contentType, ['input', 'contentType']);
}

/** Checks that need no upstream call: size, a well-formed media type, and content that fits the declared type. */
async function checkFile(file: File, maxBytes: number): Promise<FieldErrorShape[]> {
  const path = ['input', 'file'];
  const errors: FieldErrorShape[] = [];
  if (file.size === 0) errors.push({ path, message: 'The file is empty.' });
  if (file.size > maxBytes) errors.push({ path, message: `The file is larger than the ${maxBytes}-byte upload limit.` });
  const typeProblem = file.type === '' ? "The file part has no Content-Type: declare the file's media type." : contentTypeProblem(file.type);
  if (typeProblem) {
    errors.push({ path, message: typeProblem });
  } else if (file.size > 0) {
    const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
    const mismatch = declaredTypeMismatch(file.type, head);
    if (mismatch) errors.push({ path, message: mismatch });
  }
  return errors;
}

async function uploadMedia(input: UploadMediaInputShape, ctx: Context): Promise<UploadedMedia> {
  const { file } = input;
  const errors = await checkFile(file, ctx.mediaMaxBytes);
  if (errors.length > 0) throw new InputValidationError(errors);
  const contentType = file.type;
  const upload = await presign(ctx, input, contentType, ['input', 'file']);
  try {
    // Streamed from the spooled temp file with its known size, so the storage POST carries a Content-Length (S3
    // POST targets want one). Sent once: a stream cannot be replayed, and a half-sent form is never stored.
    await ctx.bird.uploadFile({
      upload,
      body: file.stream() as unknown as AsyncIterable<Uint8Array>,
      filename: file.name || 'upload',
      contentType,
      size: file.size,
    });
  } catch (error) {
    throw storageErrorFrom(error, input.channelId ? 'channel' : 'workspace');
  }
  return { mediaUrl: upload.mediaUrl, contentType, size: file.size };
}

/**
 * The storage target's answers: a 400 (too large, malformed) refuses the file; a refused policy (403) or any other
 * failure means nothing was stored and asking again (a fresh form) is safe.
 */
function storageErrorFrom(error: unknown, resource: string): Error {
  if (error instanceof BirdError) {
    if (error.code === 'INVALID_REQUEST') {
      return new InputValidationError([{ path: ['input', 'file'], message: "Bird's storage refused the file (too large or not accepted)." }]);
    }
    if (error.code === 'FORBIDDEN' || error.code === 'UNAUTHENTICATED' || error.code === 'NOT_FOUND') return new UpstreamUnavailableError();
  }
  return mutationErrorFrom(error, { resource });
}

builder.mutationField('createMediaUpload', (t) =>
  t.field({
    type: CreateMediaUploadPayload,
    nullable: false,
    description:
      "Asks Bird for a one-time upload form (Bird's presigned upload): channel-scoped when `channelId` is given, " +
      'usable on any channel otherwise. The client then posts the file straight to `uploadUrl`; see ' +
      '`CreateMediaUploadPayload`. To send the file through this server in one request instead, use `uploadMedia`.',
    args: { input: t.arg({ type: CreateMediaUploadInput, required: true, description: 'The workspace, channel and media type.' }) },
    errors: {
      types: MUTATION_ERROR_TYPES,
      directResult: true,
      union: { name: 'CreateMediaUploadResult', description: 'The upload form, or why there is none.' },
    },
    resolve: (_root, args, ctx) => createMediaUpload(args.input, ctx),
  }),
);

builder.mutationField('uploadMedia', (t) =>
  t.field({
    type: UploadMediaPayload,
    nullable: false,
    description:
      'Stores one file with Bird in one GraphQL multipart request (with the `x-graphql-yoga-csrf` header): the server ' +
      'checks it, asks Bird for an upload form and streams the file there. Use the returned `mediaUrl` in a message.',
    args: { input: t.arg({ type: UploadMediaInput, required: true, description: 'The workspace, channel and the file.' }) },
    errors: {
      types: MUTATION_ERROR_TYPES,
      directResult: true,
      union: { name: 'UploadMediaResult', description: 'The stored file, or why it was not stored.' },
    },
    resolve: (_root, args, ctx) => uploadMedia(args.input, ctx),
  }),
);
