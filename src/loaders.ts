// Batch functions behind the loadable refs: keys → results in key order; null for NOT_FOUND, an Error for any other failure.
//
// A key is a string holding every REST path parameter its resource needs (`<workspaceId>:<channelId>` for a channel),
// so one key is always one well-formed upstream call. Loaders are created per request by the Pothos refs
// (`Ref.getDataloader(ctx)`), so no cache ever crosses requests or credentials. They know no GraphQL.
import { BirdError } from './bird/errors.ts';
import type { Channel, Contact, Interaction, Message, Workspace } from './bird/types.ts';
import type { Context } from './context.ts';

/** What a batch function needs of the request: the bound Bird handle, and where to report batch sizes. */
export type LoaderContext = Pick<Context, 'bird' | 'onBatch' | 'onFilterMismatch'>;

/** The backing models of the graph: Bird's wire objects, plus the workspace they were read from where Bird omits it. */
export type WorkspaceModel = Workspace;
export type ChannelModel = Channel & { workspaceId: string };
export type MessageModel = Message & { workspaceId: string };
export type InteractionModel = Interaction & { workspaceId: string };
export type ContactModel = Contact & { workspaceId: string };

/** Bird has no batch endpoint for contacts or messages: fan out, but keep under its 50 GET/s per workspace. */
export const FAN_OUT_CONCURRENCY = 8;
/**
 * Channel keys per batch (the Channel loader's maxBatchSize), so one list call carries at most this many ids: well
 * under Bird's 1,000 limit, and the query string stays a few kilobytes long.
 */
export const CHANNEL_BATCH_SIZE = 100;

export const keys = {
  workspace: (organizationId: string, workspaceId: string) => `${organizationId}:${workspaceId}`,
  channel: (workspaceId: string, channelId: string) => `${workspaceId}:${channelId}`,
  message: (workspaceId: string, channelId: string, messageId: string) => `${workspaceId}:${channelId}:${messageId}`,
  contact: (workspaceId: string, contactId: string) => `${workspaceId}:${contactId}`,
  interaction: (workspaceId: string, channelId: string, messageId: string, interactionId: string) =>
    `${workspaceId}:${channelId}:${messageId}:${interactionId}`,
};

function split(key: string, parts: number): string[] {
  const values = key.split(':');
  // Keys come from our own code or from a global ID whose parts were checked as UUIDs; anything else is a bug.
  if (values.length !== parts) throw new Error(`Malformed loader key with ${values.length} parts`);
  return values;
}

/** NOT_FOUND becomes null (a missing resource is `null` in the graph); any other failure stays that key's Error. */
function settle<T>(error: unknown): T | null | Error {
  if (error instanceof BirdError && error.code === 'NOT_FOUND') return null;
  return error instanceof Error ? error : new Error(String(error));
}

/** Runs `task` for every item with at most `limit` in flight; results in item order, never rejecting. */
export async function mapBounded<I, O>(items: readonly I[], limit: number, task: (item: I) => Promise<O>): Promise<O[]> {
  // A batch of one (a single message or contact by id) needs no workers.
  if (items.length === 1 && limit >= 1) return [await task(items[0] as I)];
  const results = new Array<O>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as I);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function loadWorkspaces(ctx: LoaderContext, workspaceKeys: readonly string[]) {
  ctx.onBatch?.('workspace', workspaceKeys.length);
  return mapBounded(workspaceKeys, FAN_OUT_CONCURRENCY, async (key): Promise<WorkspaceModel | null | Error> => {
    const [organizationId, workspaceId] = split(key, 2) as [string, string];
    try {
      return await ctx.bird.getWorkspace({ organizationId, workspaceId });
    } catch (error) {
      return settle(error);
    }
  });
}

/**
 * Channels are truly batched: one `GET /workspaces/{ws}/channels?channelIds=…` per workspace in the batch. Ids the
 * list does not return do not exist (or are not visible to this key): null. A failed list fails only its own keys.
 * `channelIds` is a documented filter, but should Bird ignore it (the list then holds channels nobody asked for), the
 * mismatch is counted like any filter's (src/schema/filter-guard.ts) and the missing ids are read one by one.
 */
export async function loadChannels(ctx: LoaderContext, channelKeys: readonly string[]) {
  ctx.onBatch?.('channel', channelKeys.length);
  const byWorkspace = new Map<string, string[]>();
  for (const key of channelKeys) {
    const [workspaceId, channelId] = split(key, 2) as [string, string];
    const ids = byWorkspace.get(workspaceId) ?? [];
    if (!ids.includes(channelId)) ids.push(channelId);
    byWorkspace.set(workspaceId, ids);
  }
  const found = new Map<string, ChannelModel | Error>();
  await mapBounded([...byWorkspace], FAN_OUT_CONCURRENCY, async ([workspaceId, channelIds]) => {
    try {
      const page = await ctx.bird.listChannels({ workspaceId, channelIds, limit: channelIds.length });
      const wanted = new Set(channelIds);
      let ignored = false;
      for (const channel of page.results) {
        const id = channel.id.toLowerCase();
        if (!wanted.has(id)) {
          ignored = true;
          ctx.onFilterMismatch?.('channels', 'channelIds');
          continue;
        }
        found.set(keys.channel(workspaceId, id), { ...channel, workspaceId });
      }
      if (ignored) await loadChannelsOneByOne(ctx, workspaceId, channelIds.filter((id) => !found.has(keys.channel(workspaceId, id))), found);
    } catch (error) {
      const settled = settle<ChannelModel>(error);
      // A NOT_FOUND list means the workspace itself is unknown: every channel in it is missing (null).
      if (settled instanceof Error) for (const id of channelIds) found.set(keys.channel(workspaceId, id), settled);
    }
  });
  return channelKeys.map((key) => found.get(key) ?? null);
}

/** The fallback of a channel list that ignored `channelIds`: `GET /channels/{id}` per id, NOT_FOUND as null. */
async function loadChannelsOneByOne(ctx: LoaderContext, workspaceId: string, channelIds: string[], found: Map<string, ChannelModel | Error>) {
  await mapBounded(channelIds, FAN_OUT_CONCURRENCY, async (channelId) => {
    try {
      const channel = await ctx.bird.getChannel({ workspaceId, channelId });
      found.set(keys.channel(workspaceId, channelId), { ...channel, workspaceId });
    } catch (error) {
      const settled = settle<ChannelModel>(error);
      if (settled instanceof Error) found.set(keys.channel(workspaceId, channelId), settled);
    }
  });
}

export async function loadMessages(ctx: LoaderContext, messageKeys: readonly string[]) {
  ctx.onBatch?.('message', messageKeys.length);
  return mapBounded(messageKeys, FAN_OUT_CONCURRENCY, async (key): Promise<MessageModel | null | Error> => {
    const [workspaceId, channelId, messageId] = split(key, 3) as [string, string, string];
    try {
      const message = await ctx.bird.getMessage({ workspaceId, channelId, messageId });
      return { ...message, workspaceId };
    } catch (error) {
      return settle(error);
    }
  });
}

export async function loadContacts(ctx: LoaderContext, contactKeys: readonly string[]) {
  ctx.onBatch?.('contact', contactKeys.length);
  return mapBounded(contactKeys, FAN_OUT_CONCURRENCY, async (key): Promise<ContactModel | null | Error> => {
    const [workspaceId, contactId] = split(key, 2) as [string, string];
    try {
      const contact = await ctx.bird.getContact({ workspaceId, contactId });
      return { ...contact, workspaceId };
    } catch (error) {
      return settle(error);
    }
  });
}

/**
 * Bird has no "get interaction" endpoint: an interaction is found in its message's interaction list, which Bird
 * returns whole (no pagination). Keys of the same message share one list call.
 */
export async function loadInteractions(ctx: LoaderContext, interactionKeys: readonly string[]) {
  ctx.onBatch?.('interaction', interactionKeys.length);
  const parsed = interactionKeys.map((key) => split(key, 4) as [string, string, string, string]);
  const messageKeys = [...new Set(parsed.map(([ws, ch, msg]) => keys.message(ws, ch, msg)))];
  const lists = new Map<string, InteractionModel[] | null | Error>();
  await mapBounded(messageKeys, FAN_OUT_CONCURRENCY, async (messageKey) => {
    const [workspaceId, channelId, messageId] = split(messageKey, 3) as [string, string, string];
    try {
      const page = await ctx.bird.listInteractions({ workspaceId, channelId, messageId });
      lists.set(messageKey, page.results.map((interaction): InteractionModel => ({ ...interaction, workspaceId })));
    } catch (error) {
      lists.set(messageKey, settle<InteractionModel[]>(error));
    }
  });
  return parsed.map(([workspaceId, channelId, messageId, interactionId]) => {
    const list = lists.get(keys.message(workspaceId, channelId, messageId)) ?? null;
    if (list === null || list instanceof Error) return list;
    return list.find((interaction) => interaction.id.toLowerCase() === interactionId) ?? null;
  });
}
