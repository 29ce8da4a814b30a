// `npm run bird:probe`: reads a few pages of a Bird account with and without each filter of the wire-name table and reports which names and forms Bird honours.
//
// Usage (GET requests only; nothing is written):
//   BIRD_ACCESS_KEY=… BIRD_PROBE_WORKSPACE_ID=… [BIRD_PROBE_CHANNEL_IDS=id,id] [BIRD_API_URL=https://api.bird.com] \
//     npm run bird:probe [-- --json]
//
// For every row of WIRE_NAMES (src/bird/client.ts) it reads a baseline page (no filter), picks a value the baseline
// tells apart (one some items match and others do not; else one nothing matches), reads the page again with the
// filter, and judges each item with the layer's own filter guard (src/schema/filter-guard.ts):
//   honoured      every item returned matches (and the baseline held items that do not)
//   ignored       items that do not match came back: Bird does not know this name or form
//   refused       Bird answered 4xx: the name or the value's form is wrong
//   undetermined  the baseline is empty, so nothing tells the answers apart
// It also checks the list forms (CSV and repeated `status`), `reverse`, lists without a date window, and Bird's
// 7-day window rule. About 40 calls, one at a time.
import { pathToFileURL } from 'node:url';
import { WIRE_NAMES, type WireName } from '../src/bird/client.ts';
import type { Channel, Message, MessageListFilter } from '../src/bird/types.ts';
import { channelGuard, messageGuard, partyIdentifiers } from '../src/schema/filter-guard.ts';

export type Outcome = 'honoured' | 'ignored' | 'refused' | 'undetermined';

export interface Finding {
  /** `channel messages`, `workspace messages` or `channels`. */
  list: string;
  /** Our name of the parameter (a key of WIRE_NAMES), or what else was checked (`window`, `status (repeated keys)`). */
  param: string;
  wire: string;
  evidence: string;
  ref: string;
  outcome: Outcome;
  detail: string;
}

export interface ProbeOptions {
  apiUrl: string;
  accessKey: string;
  workspaceId: string;
  /** Channels whose messages to read; default: the workspace's first channels that have messages. */
  channelIds?: readonly string[];
  /** The clock, for windows relative to now. */
  now?: () => number;
}

export interface ProbeReport {
  apiUrl: string;
  workspaceId: string;
  calls: number;
  findings: Finding[];
}

type Entry = readonly [string, string | readonly string[]];
const LIMIT = 100;
const DAY = 24 * 3600 * 1000;
const REQUEST = { limit: LIMIT, reverse: false } as const;

export async function probeBird(options: ProbeOptions): Promise<ProbeReport> {
  const base = options.apiUrl.replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const findings: Finding[] = [];
  let calls = 0;

  async function get<T>(path: string, entries: readonly Entry[] = []): Promise<{ status: number; body: T | undefined }> {
    const search = new URLSearchParams();
    for (const [name, value] of entries) for (const item of typeof value === 'string' ? [value] : value) search.append(name, item);
    const query = search.toString();
    calls++;
    const response = await fetch(`${base}${path}${query ? `?${query}` : ''}`, {
      headers: { authorization: `AccessKey ${options.accessKey}`, accept: 'application/json' },
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    let body: T | undefined;
    try {
      body = JSON.parse(text) as T;
    } catch {
      body = undefined;
    }
    if (response.status === 401 || response.status === 403) {
      throw new Error(`Bird answered ${response.status} to GET ${path}: check BIRD_ACCESS_KEY and the workspace id.`);
    }
    return { status: response.status, body };
  }

  const add = (list: string, param: string, row: Pick<WireName, 'wire' | 'evidence' | 'ref'>, outcome: Outcome, detail: string) => {
    findings.push({ list, param, wire: row.wire, evidence: row.evidence, ref: row.ref, outcome, detail });
  };

  // --- the channel list ---------------------------------------------------------------------------------------
  const ws = options.workspaceId;
  const channelsPath = `/workspaces/${ws}/channels`;
  const allChannels = await get<{ results: Channel[] }>(channelsPath, [['limit', String(LIMIT)]]);
  const channels = allChannels.body?.results ?? [];
  if (allChannels.status !== 200) throw new Error(`GET ${channelsPath} answered ${allChannels.status}.`);
  const platformOf = new Map(channels.map((c) => [c.id, c.platformId]));

  const judgeChannels = async (param: keyof typeof WIRE_NAMES.channels, label: string, value: string | string[], filter: Parameters<typeof channelGuard>[0], row: WireName) => {
    const { status, body } = await get<{ results: Channel[] }>(channelsPath, [['limit', String(LIMIT)], [row.wire, row.form === 'csv' && Array.isArray(value) ? value.join(',') : value]]);
    if (status !== 200) return add('channels', label, row, 'refused', `HTTP ${status} for ${row.wire}=${String(value)}`);
    const results = body?.results ?? [];
    const check = channelGuard(filter);
    const wrong = results.filter((c) => check(c, REQUEST, true) === 'drop').length;
    if (param === 'channelIds') {
      const wanted = new Set(value);
      const extra = results.filter((c) => !wanted.has(c.id)).length;
      const missing = [...wanted].filter((id) => !results.some((c) => c.id === id)).length;
      return add('channels', label, row, extra === 0 && missing === 0 ? 'honoured' : 'ignored', `${results.length} returned for ${wanted.size} asked (${extra} others, ${missing} missing)`);
    }
    add('channels', label, row, wrong > 0 ? 'ignored' : 'honoured', `${wrong} of ${results.length} returned do not match ${row.wire}=${String(value)}`);
  };

  if (channels.length === 0) {
    for (const [param, row] of Object.entries(WIRE_NAMES.channels)) add('channels', param, row, 'undetermined', 'the workspace has no channels');
  } else {
    const rows = WIRE_NAMES.channels;
    const platforms = [...new Set(channels.map((c) => c.platformId))];
    const platform = platforms.length > 1 ? (platforms[0] as string) : platforms[0] === 'sms' ? 'email' : 'sms';
    await judgeChannels('platform', 'platform', platform, { platform: [platform] }, rows.platform);
    if (platforms.length > 1) {
      const two = platforms.slice(0, 2);
      await judgeChannels('platform', 'platform (repeated keys)', two, { platform: two }, rows.platform);
    }
    const statuses = [...new Set(channels.map((c) => c.status))];
    const status = statuses.length > 1 ? (statuses[0] as string) : statuses[0] === 'active' ? 'inactive' : 'active';
    await judgeChannels('status', 'status', status, { status }, rows.status);
    const useCases = [...new Set(channels.map((c) => c.useCaseType).filter((u): u is NonNullable<typeof u> => Boolean(u)))];
    const useCase = useCases.length > 1 ? (useCases[0] as string) : useCases[0] === 'marketing' ? 'transactional' : 'marketing';
    await judgeChannels('useCaseType', 'useCaseType', useCase, { useCaseType: useCase }, rows.useCaseType);
    await judgeChannels('channelIds', 'channelIds', [(channels[0] as Channel).id], {}, rows.channelIds);
    if (channels.length > 1) await judgeChannels('channelIds', 'channelIds (repeated keys)', channels.slice(0, 2).map((c) => c.id), {}, rows.channelIds);
  }

  // --- the message lists --------------------------------------------------------------------------------------
  const rows = WIRE_NAMES.messages;
  type Sample = { list: 'channel' | 'workspace'; label: string; path: string; messages: Message[] };
  const samples: Sample[] = [];
  const candidates = options.channelIds ?? channels.map((c) => c.id).slice(0, 8);
  let windowChecked = false;
  for (const channelId of candidates) {
    const path = `/workspaces/${ws}/channels/${channelId}/messages`;
    const baseline = await get<{ results: Message[] }>(path, [['limit', String(LIMIT)]]);
    if (!windowChecked) {
      windowChecked = true;
      add('channel messages', 'window', { wire: 'startAt/endAt', evidence: 'guess', ref: '§15.1: are startAt/endAt required?' },
        baseline.status === 200 ? 'honoured' : 'refused',
        baseline.status === 200 ? 'a list without a date window is answered' : `HTTP ${baseline.status} without a date window`);
    }
    if (baseline.status === 200 && (baseline.body?.results.length ?? 0) > 0) {
      samples.push({ list: 'channel', label: 'channel messages', path, messages: baseline.body?.results ?? [] });
    }
    if (samples.length >= 4) break;
  }
  const workspacePath = `/workspaces/${ws}/messages`;
  const workspaceBaseline = await get<{ results: Message[] }>(workspacePath, [['limit', String(LIMIT)]]);
  if (workspaceBaseline.status === 200) {
    samples.push({ list: 'workspace', label: 'workspace messages', path: workspacePath, messages: workspaceBaseline.body?.results ?? [] });
  } else {
    add('workspace messages', 'the list itself', { wire: 'GET /workspaces/{ws}/messages', evidence: 'guess', ref: '§7 (unverified)' }, 'refused', `HTTP ${workspaceBaseline.status}`);
  }

  /** The layer's guard for `filter`, with the platforms of the workspace's channels. */
  const guardFor = async (filter: MessageListFilter, list: 'channel' | 'workspace', messages: readonly Message[]) => {
    const platforms = async (ids: readonly string[]) => new Map(ids.flatMap((id) => (platformOf.has(id) ? [[id, platformOf.get(id) as string] as const] : [])));
    const guard = messageGuard(filter, { list, platforms });
    await guard.prepare(messages);
    return guard;
  };

  /** A value of `param` the sample tells apart: one some messages match and some do not, else one none match. */
  const valueFor = async (param: keyof MessageListFilter, sample: Sample): Promise<{ filter: MessageListFilter; matching: boolean } | undefined> => {
    const m = sample.messages;
    const split = async <V>(values: (V | undefined)[], make: (v: V) => MessageListFilter, none: MessageListFilter) => {
      const present = [...new Set(values.filter((v): v is V => v !== undefined))];
      for (const value of present) {
        const filter = make(value);
        const guard = await guardFor(filter, sample.list, m);
        const verdicts = m.map((message) => guard.check(message, REQUEST, true));
        if (verdicts.includes('keep') && verdicts.some((v) => v !== 'keep')) return { filter, matching: true };
      }
      return { filter: none, matching: false };
    };
    const sorted = [...m].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    const middle = sorted[Math.floor(sorted.length / 2)]?.createdAt;
    switch (param) {
      case 'platform': {
        const platforms = m.map((x) => platformOf.get(x.channelId));
        return split(platforms, (platform) => ({ platform }), { platform: platforms[0] === 'sms' ? 'email' : 'sms' });
      }
      case 'direction':
        return split(m.map((x) => x.direction), (direction) => ({ direction }), { direction: m[0]?.direction === 'incoming' ? 'outgoing' : 'incoming' });
      case 'status':
        return split(m.map((x) => x.status), (status) => ({ status }), { status: m.every((x) => x.status === 'deleted') ? 'skipped' : 'deleted' });
      case 'startAt':
        return middle && sorted.length > 1 && sorted[0]?.createdAt !== middle ? { filter: { startAt: middle }, matching: true } : { filter: { startAt: new Date(now() + DAY).toISOString() }, matching: false };
      case 'endAt':
        return middle && sorted.length > 1 && sorted[sorted.length - 1]?.createdAt !== middle ? { filter: { endAt: middle }, matching: true } : { filter: { endAt: '2000-01-01T00:00:00.000Z' }, matching: false };
      case 'senderIdentifier':
        return split(m.map((x) => partyIdentifiers(x.sender)[0]), (senderIdentifier) => ({ senderIdentifier }), { senderIdentifier: 'probe-nobody@example.invalid' });
      case 'recipientIdentifier':
        return split(m.map((x) => partyIdentifiers(x.receiver)[0]), (recipientIdentifier) => ({ recipientIdentifier }), { recipientIdentifier: 'probe-nobody@example.invalid' });
      case 'tag':
        return split(m.flatMap((x) => x.tags ?? []), (tag) => ({ tag }), { tag: 'bird-probe-no-such-tag' });
      case 'subject': {
        const words = m.flatMap((x) => (x.meta?.email?.subject ?? '').split(/\s+/).filter((w) => w.length >= 4));
        return split(words, (subject) => ({ subject }), { subject: 'bird-probe-no-such-subject' });
      }
      case 'batchId':
        if (sample.list !== 'channel') return undefined;
        return split(m.map((x) => x.batchId), (batchId) => ({ batchId }), { batchId: '00000000-0000-4000-8000-00000000b1d0' });
      case 'channelId':
        if (sample.list !== 'workspace') return undefined;
        return split(m.map((x) => x.channelId), (channelId) => ({ channelId }), { channelId: '00000000-0000-4000-8000-00000000c4a0' });
      default:
        return undefined;
    }
  };

  const entriesOf = (filter: MessageListFilter, form: 'csv' | 'repeated' = 'csv'): Entry[] =>
    (Object.keys(filter) as (keyof MessageListFilter)[]).map((key) => {
      const value = filter[key] as string | string[];
      const wire = rows[key].wire;
      return [wire, Array.isArray(value) ? (form === 'csv' ? value.join(',') : value) : value];
    });

  const judgeMessages = async (sample: Sample, param: string, row: WireName, filter: MessageListFilter, matching: boolean, form?: 'csv' | 'repeated') => {
    const { status, body } = await get<{ results: Message[] }>(sample.path, [['limit', String(LIMIT)], ...entriesOf(filter, form)]);
    const shown = JSON.stringify(filter);
    if (status !== 200) return add(sample.label, param, row, 'refused', `HTTP ${status} for ${shown}`);
    const results = body?.results ?? [];
    const guard = await guardFor(filter, sample.list, results);
    const wrong = results.filter((message) => guard.check(message, REQUEST, true) !== 'keep').length;
    if (wrong > 0) return add(sample.label, param, row, 'ignored', `${wrong} of ${results.length} returned do not match ${shown}`);
    add(sample.label, param, row, 'honoured', matching ? `all ${results.length} returned match ${shown}` : `nothing in the sample matches ${shown}, and nothing came back`);
  };

  for (const param of Object.keys(rows) as (keyof typeof rows)[]) {
    if (param === 'limit' || param === 'pageToken') continue;
    const row = rows[param];
    for (const list of ['channel', 'workspace'] as const) {
      const listSamples = samples.filter((s) => s.list === list);
      if (listSamples.length === 0) continue;
      if (param === 'reverse') {
        const sample = listSamples.find((s) => new Set(s.messages.map((x) => x.createdAt)).size > 1);
        if (!sample) {
          add(`${list} messages`, param, row, 'undetermined', 'no sample with two distinct times');
          continue;
        }
        const { status, body } = await get<{ results: Message[] }>(sample.path, [['limit', String(LIMIT)], [row.wire, 'true']]);
        if (status !== 200) {
          add(sample.label, param, row, 'refused', `HTTP ${status}`);
          continue;
        }
        const first = body?.results[0]?.createdAt;
        const newest = sample.messages[0]?.createdAt;
        const reversed = first !== undefined && newest !== undefined && Date.parse(first) < Date.parse(newest);
        add(sample.label, param, row, reversed ? 'honoured' : 'ignored', reversed ? 'reverse=true starts with an older message' : 'reverse=true starts with the same message');
        continue;
      }
      const picks: { sample: Sample; pick: Awaited<ReturnType<typeof valueFor>> }[] = [];
      for (const sample of listSamples) {
        const pick = await valueFor(param, sample);
        if (pick) picks.push({ sample, pick });
      }
      const best = picks.find((p) => p.pick?.matching) ?? picks[0];
      if (!best?.pick) continue;
      await judgeMessages(best.sample, param, row, best.pick.filter, best.pick.matching);
      if (param === 'status') {
        const statuses = [...new Set(listSamples.flatMap((s) => s.messages.map((x) => x.status)))];
        const sample = listSamples.find((s) => new Set(s.messages.map((x) => x.status)).size > 2) ?? listSamples[0];
        if (sample && statuses.length >= 2) {
          const two = [...new Set(sample.messages.map((x) => x.status))].slice(0, 2);
          await judgeMessages(sample, 'status (comma-separated)', row, { status: two as MessageListFilter['status'] }, true, 'csv');
          await judgeMessages(sample, 'status (repeated keys)', { ...row, wire: row.wire }, { status: two as MessageListFilter['status'] }, true, 'repeated');
        }
      }
    }
  }

  // Bird's 7-day window rule on the channel list (bird-api.md §2a(v)): a wider pair is refused, one bound alone is not.
  const channelSample = samples.find((s) => s.list === 'channel');
  if (channelSample) {
    const end = new Date(now()).toISOString();
    const wide = await get(channelSample.path, [['limit', '1'], [rows.startAt.wire, new Date(now() - 8 * DAY).toISOString()], [rows.endAt.wire, end]]);
    add('channel messages', '7-day window rule', { wire: 'startAt+endAt', evidence: 'confirmed', ref: '§2a(v) [CODE:C1 PR #8333]' },
      wide.status === 400 ? 'honoured' : 'ignored', wide.status === 400 ? 'a pair 8 days apart is refused with 400, as the layer assumes' : `a pair 8 days apart is answered ${wide.status}: the layer's 7-day check is stricter than Bird`);
    const one = await get(channelSample.path, [['limit', '1'], [rows.startAt.wire, new Date(now() - 365 * DAY).toISOString()]]);
    add('channel messages', 'one bound, > 7 days', { wire: 'startAt', evidence: 'confirmed', ref: '§2a(v)' },
      one.status === 200 ? 'honoured' : 'refused', one.status === 200 ? 'a single bound a year back is answered' : `HTTP ${one.status}`);
  }
  return { apiUrl: base, workspaceId: ws, calls, findings };
}

/** The report as text: one line per finding, guesses marked. */
export function formatReport(report: ProbeReport): string {
  const lines = [`Bird probe of ${report.apiUrl}, workspace ${report.workspaceId} (${report.calls} GET requests)`, ''];
  const width = Math.max(...report.findings.map((f) => `${f.list} ${f.param}`.length), 10);
  for (const f of report.findings) {
    lines.push(`${`${f.list} ${f.param}`.padEnd(width)}  ${f.outcome.padEnd(12)}  wire ${f.wire} (${f.evidence}, ${f.ref}): ${f.detail}`);
  }
  const ignored = report.findings.filter((f) => f.outcome === 'ignored' || f.outcome === 'refused');
  lines.push('', ignored.length === 0 ? 'Every checked name and form is honoured.' : `${ignored.length} not honoured: please report them (with this output) so the wire-name table can be corrected.`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const accessKey = process.env.BIRD_ACCESS_KEY;
  const workspaceId = process.env.BIRD_PROBE_WORKSPACE_ID;
  if (!accessKey || !workspaceId) {
    console.error('Set BIRD_ACCESS_KEY and BIRD_PROBE_WORKSPACE_ID (and optionally BIRD_API_URL, BIRD_PROBE_CHANNEL_IDS).');
    process.exit(2);
  }
  const channelIds = process.env.BIRD_PROBE_CHANNEL_IDS?.split(',').filter((id) => id.length > 0);
  const report = await probeBird({
    apiUrl: process.env.BIRD_API_URL ?? 'https://api.bird.com',
    accessKey,
    workspaceId,
    ...(channelIds && channelIds.length > 0 ? { channelIds } : {}),
  });
  console.log(process.argv.includes('--json') ? JSON.stringify(report, null, 2) : formatReport(report));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
