// The inbox page: pick a channel, page its messages both ways, send a text and watch its status change live, open a message's interactions.
import type { CombinedError } from '@urql/core';
import { type LiveState, createInboxClient } from './client.ts';
import type { InteractionFieldsFragment, MessageDetailsQuery, Platform } from './gql/graphql';
import {
  ChannelsQuery,
  InteractionAddedSubscription,
  MessageDetailsQuery as MessageDetailsDocument,
  MessageReceivedSubscription,
  MessageUpdatedSubscription,
  MessagesPageQuery,
  SendTextMutation,
} from './operations.ts';
import { type Message, MessageWindow, PAGE_SIZE, type Page } from './window.ts';

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  channel: byId<HTMLSelectElement>('channel'),
  live: byId('live'),
  send: byId<HTMLFormElement>('send'),
  to: byId<HTMLInputElement>('to'),
  text: byId<HTMLInputElement>('text'),
  sendButton: byId<HTMLButtonElement>('send-button'),
  sendStatus: byId('send-status'),
  newer: byId<HTMLButtonElement>('newer'),
  older: byId<HTMLButtonElement>('older'),
  messages: byId<HTMLOListElement>('messages'),
  listStatus: byId('list-status'),
  details: byId('details'),
  closeDetails: byId<HTMLAnchorElement>('close-details'),
  fields: byId<HTMLDListElement>('message-fields'),
  interactions: byId<HTMLOListElement>('interactions'),
  detailsStatus: byId('details-status'),
};

const client = createInboxClient(showLiveState);

// --- Routing: #/<workspaceId>/<channelId>[/<messageId>] ------------------------------------------------------------

interface Route {
  workspaceId: string;
  channelId: string;
  messageId: string | null;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ROUTE = new RegExp(`^#/(${UUID})/(${UUID})(?:/(${UUID}))?$`, 'i');

function parseRoute(hash: string): Route | null {
  const match = ROUTE.exec(hash);
  return match ? { workspaceId: match[1]!, channelId: match[2]!, messageId: match[3] ?? null } : null;
}

const channelHash = (r: { workspaceId: string; channelId: string }) => `#/${r.workspaceId}/${r.channelId}`;
const messageHash = (r: { workspaceId: string; channelId: string }, messageId: string) => `${channelHash(r)}/${messageId}`;

// --- Rendering helpers (textContent only: message texts are other people's input) ---------------------------------

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const label = (value: string) => value.toLowerCase().replaceAll('_', ' ');
const time = (iso: string) => new Date(iso).toLocaleString();
const statusBadge = (status: string) => el('span', { class: 'status', 'data-status': status }, label(status));

function describe(error: CombinedError): string {
  if (error.networkError) return `Network error: ${error.networkError.message}`;
  return error.graphQLErrors.map((e) => `${String(e.extensions?.code ?? 'ERROR')}: ${e.message}`).join('; ');
}

/** The other party: who sent an incoming message, who an outgoing one went to. */
function party(message: Message): string {
  const participant = message.direction === 'INCOMING' ? message.sender : message.receivers[0];
  return participant?.identifierValue ?? '—';
}

function showLiveState(state: LiveState): void {
  ui.live.dataset.state = state;
  ui.live.textContent = { idle: 'offline', connecting: 'connecting…', live: 'live' }[state];
}

// --- The open channel: its window of messages and its live streams ------------------------------------------------

interface OpenChannel extends Route {
  platform: Platform | null;
  window: MessageWindow;
  streams: { unsubscribe(): void }[];
  /** Page loads run one at a time, in order (each needs the cursor the previous one left). */
  queue: Promise<void>;
  newerQueued: boolean;
}

let open: OpenChannel | null = null;

function openChannel(route: Route, platform: Platform | null): void {
  for (const stream of open?.streams ?? []) stream.unsubscribe();
  const channel: OpenChannel = { ...route, messageId: null, platform, window: new MessageWindow(), streams: [], queue: Promise.resolve(), newerQueued: false };
  open = channel;
  ui.sendStatus.textContent = '';
  delete ui.sendStatus.dataset.messageId;
  ui.to.type = platform === 'EMAIL' ? 'email' : 'tel';
  if (!ui.to.dataset.edited) ui.to.value = platform === 'EMAIL' ? 'ada@example.com' : '+31612345678';
  renderList();
  const variables = { workspaceId: route.workspaceId, channelId: route.channelId };
  channel.streams.push(
    client.subscription(MessageUpdatedSubscription, variables).subscribe((result) => {
      if (result.error) ui.listStatus.textContent = describe(result.error);
      if (result.data) onLiveMessage(channel, result.data.messageUpdated);
    }),
    client.subscription(MessageReceivedSubscription, variables).subscribe((result) => {
      if (result.error) ui.listStatus.textContent = describe(result.error);
      if (result.data) onLiveMessage(channel, result.data.messageReceived);
    }),
  );
  load(channel, 'newest');
}

/** Queues a page load: the newest page, the next older one (`first`/`after`) or the next newer one (`last`/`before`). */
function load(channel: OpenChannel, which: 'newest' | 'older' | 'newer'): void {
  if (which === 'newer') {
    if (channel.newerQueued) return; // one queued load of newer messages brings in everything that arrived meanwhile
    channel.newerQueued = true;
  }
  channel.queue = channel.queue
    .then(async () => {
      if (which === 'newer') channel.newerQueued = false;
      const win = channel.window;
      const cursor = which === 'older' ? win.olderCursor : which === 'newer' ? win.newerCursor : undefined;
      const kind = cursor === undefined ? 'newest' : which;
      const paging = kind === 'older' ? { first: PAGE_SIZE, after: cursor } : kind === 'newer' ? { last: PAGE_SIZE, before: cursor } : { first: PAGE_SIZE };
      renderList('Loading…');
      const result = await client.query(MessagesPageQuery, { workspaceId: channel.workspaceId, channelId: channel.channelId, ...paging }).toPromise();
      if (open !== channel) return; // the user moved on to another channel meanwhile
      const page: Page | null | undefined = result.data?.channel?.messages;
      if (!page) {
        renderList(result.error ? describe(result.error) : 'Channel not found.');
        return;
      }
      if (kind === 'older') win.appendOlder(page);
      else if (kind === 'newer') win.prependNewer(page);
      else win.reset(page);
      renderList();
    })
    .catch((error: unknown) => renderList(`Could not load messages: ${(error as Error).message}`));
}

/** A message from a live stream or the send result: updated where shown, else brought in when it is the newest. */
function onLiveMessage(channel: OpenChannel, message: Message): void {
  if (open !== channel) return;
  const where = channel.window.live(message);
  if (where === 'newer') {
    if (channel.window.hasNewer) ui.newer.classList.add('fresh'); // scrolled away from the top: offer it
    else load(channel, 'newer');
  }
  if (where === 'shown') renderList();
  // A late event (Bird retries) can be older than what is known: show the newest state.
  const current = channel.window.current(message.messageId) ?? message;
  if (ui.sendStatus.dataset.messageId === message.messageId) showSent(current);
  if (channel.messageId === message.messageId) renderStatusField(current.status);
}

function renderList(status = ''): void {
  if (!open) return;
  const { window: win } = open;
  ui.messages.replaceChildren(
    ...win.edges.map(({ node }) =>
      el(
        'li',
        { 'data-message-id': node.messageId, 'data-direction': node.direction ?? '', class: node.messageId === open?.messageId ? 'selected' : '' },
        el(
          'a',
          { href: messageHash(open!, node.messageId) },
          el('span', { class: 'direction' }, node.direction === 'INCOMING' ? '←' : '→'),
          el('span', { class: 'party' }, party(node)),
          el('span', { class: 'text' }, node.text ?? ''),
          el('time', { datetime: node.createdAt }, time(node.createdAt)),
          statusBadge(node.status),
        ),
      ),
    ),
  );
  ui.newer.disabled = !win.hasNewer;
  if (!win.hasNewer) ui.newer.classList.remove('fresh');
  ui.older.disabled = !win.hasOlder;
  ui.listStatus.textContent = status || (win.edges.length === 0 ? 'No messages.' : `${win.edges.length} messages shown.`);
}

// --- Sending ----------------------------------------------------------------------------------------------------------

function showSent(message: Message): void {
  ui.sendStatus.dataset.messageId = message.messageId;
  ui.sendStatus.replaceChildren(`Sent to ${party(message)}: `, statusBadge(message.status));
}

async function send(): Promise<void> {
  const channel = open;
  if (!channel) return;
  ui.sendButton.disabled = true;
  ui.sendStatus.textContent = 'Sending…';
  delete ui.sendStatus.dataset.messageId;
  try {
    const result = await client
      .mutation(SendTextMutation, {
        input: {
          workspaceId: channel.workspaceId,
          channelId: channel.channelId,
          receivers: [{ identifierValue: ui.to.value.trim() }],
          content: { body: { text: { text: ui.text.value } } },
        },
      })
      .toPromise();
    const outcome = result.data?.sendMessage;
    if (!outcome) {
      ui.sendStatus.textContent = result.error ? describe(result.error) : 'No answer.';
      return;
    }
    switch (outcome.__typename) {
      case 'SendMessagePayload': {
        ui.text.value = '';
        const sent = outcome.sentMessage;
        onLiveMessage(channel, sent);
        // Its first status events may have come in before this answer: show the newest state known.
        showSent(channel.window.current(sent.messageId) ?? sent);
        break;
      }
      case 'ValidationError':
        ui.sendStatus.textContent = `Not sent: ${outcome.fields.map((f) => `${f.path.slice(1).join('.')}: ${f.message}`).join('; ') || outcome.message}`;
        break;
      case 'OutcomeUnknownError':
        // Bird did not confirm: the message may or may not exist; look it up by reference before sending again.
        ui.sendStatus.textContent = `${outcome.message} (reference ${outcome.reference})`;
        break;
      default:
        ui.sendStatus.textContent = `Not sent: ${outcome.message}`;
    }
  } finally {
    ui.sendButton.disabled = false;
  }
}

// --- Message details and its interactions -------------------------------------------------------------------------

type Details = NonNullable<MessageDetailsQuery['message']>;
let detailsStream: { unsubscribe(): void } | null = null;

function renderStatusField(status: string): void {
  ui.fields.querySelector('[data-field="status"]')?.replaceChildren(statusBadge(status));
}

function interactionItem(interaction: InteractionFieldsFragment): HTMLLIElement {
  const extra = interaction.link?.url ?? interaction.reaction?.emoji ?? interaction.details ?? '';
  return el(
    'li',
    { 'data-interaction-id': interaction.interactionId, 'data-type': interaction.type },
    el('strong', {}, label(interaction.type)),
    extra ? ` ${extra} ` : ' ',
    el('time', { datetime: interaction.createdAt }, time(interaction.createdAt)),
  );
}

function renderDetails(message: Details): void {
  const rows: [string, Node | string][] = [
    ['status', statusBadge(message.status)],
    ['direction', label(message.direction ?? 'unknown')],
    ['from', message.sender?.identifierValue ?? '—'],
    ['to', message.receivers.map((r) => r.identifierValue ?? '—').join(', ') || '—'],
    ['channel', message.channel?.name ?? '—'],
    ['created', time(message.createdAt)],
    ['text', message.text ?? '—'],
  ];
  if (message.subject) rows.push(['subject', message.subject]);
  if (message.reference) rows.push(['reference', message.reference]);
  if (message.failure) rows.push(['failure', `${message.failure.code}: ${message.failure.description}`]);
  ui.fields.replaceChildren(...rows.flatMap(([name, value]) => [el('dt', {}, name), el('dd', { 'data-field': name }, value)]));
  const interactions = message.interactions?.edges.map((e) => e.node) ?? [];
  ui.interactions.replaceChildren(...interactions.map(interactionItem));
  ui.detailsStatus.textContent = interactions.length === 0 ? 'No interactions yet.' : `${interactions.length} interactions${message.interactions?.pageInfo.hasNextPage ? ' (more not shown)' : ''}.`;
}

async function openDetails(channel: OpenChannel, messageId: string): Promise<void> {
  closeDetails();
  channel.messageId = messageId;
  renderList();
  ui.details.hidden = false;
  ui.closeDetails.href = channelHash(channel);
  ui.fields.replaceChildren();
  ui.interactions.replaceChildren();
  ui.detailsStatus.textContent = 'Loading…';
  const route = { workspaceId: channel.workspaceId, channelId: channel.channelId, messageId };
  // Listen first, then read: an interaction that happens in between is not missed (the list is de-duplicated).
  detailsStream = client.subscription(InteractionAddedSubscription, route).subscribe((result) => {
    if (result.error) ui.detailsStatus.textContent = describe(result.error);
    const interaction = result.data?.interactionAdded;
    if (!interaction || ui.interactions.querySelector(`[data-interaction-id="${interaction.interactionId}"]`)) return;
    ui.interactions.prepend(interactionItem(interaction)); // the list is newest first
    ui.detailsStatus.textContent = `${ui.interactions.children.length} interactions.`;
  });
  const result = await client.query(MessageDetailsDocument, route).toPromise();
  if (open !== channel || channel.messageId !== messageId) return;
  if (result.data?.message) renderDetails(result.data.message);
  else ui.detailsStatus.textContent = result.error ? describe(result.error) : 'Message not found.';
}

function closeDetails(): void {
  detailsStream?.unsubscribe();
  detailsStream = null;
  ui.details.hidden = true;
  if (open?.messageId) {
    open.messageId = null;
    renderList();
  }
}

// --- Start: the channel picker, then follow the URL -----------------------------------------------------------------

const platforms = new Map<string, Platform>();

async function start(): Promise<void> {
  showLiveState('idle');
  ui.listStatus.textContent = 'Loading channels…';
  const result = await client.query(ChannelsQuery, {}).toPromise();
  const workspaces = result.data?.workspaces?.edges.map((e) => e.node) ?? [];
  if (workspaces.length === 0) {
    ui.listStatus.textContent = result.error ? describe(result.error) : 'No workspaces.';
    return;
  }
  const channels = workspaces.flatMap((ws) => (ws.channels?.edges ?? []).map(({ node }) => ({ ...node, workspaceId: ws.workspaceId, hash: channelHash({ workspaceId: ws.workspaceId, channelId: node.channelId }) })));
  for (const ch of channels) platforms.set(ch.hash, ch.platform);
  ui.channel.replaceChildren(
    ...workspaces.map((ws) =>
      el('optgroup', { label: ws.name }, ...channels.filter((ch) => ch.workspaceId === ws.workspaceId).map((ch) => el('option', { value: ch.hash }, `${ch.name} (${label(ch.platform)})`))),
    ),
  );
  ui.channel.addEventListener('change', () => (location.hash = ui.channel.value));
  ui.to.addEventListener('input', () => (ui.to.dataset.edited = 'yes'));
  ui.older.addEventListener('click', () => open && load(open, 'older'));
  ui.newer.addEventListener('click', () => open && load(open, 'newer'));
  ui.send.addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });
  window.addEventListener('hashchange', route);
  // No channel in the URL: the first active SMS channel, else the first one listed.
  const fallback = channels.find((ch) => ch.platform === 'SMS' && ch.status === 'ACTIVE') ?? channels[0];
  if (!parseRoute(location.hash) && fallback) location.replace(fallback.hash);
  route();
}

function route(): void {
  const next = parseRoute(location.hash);
  if (!next) {
    closeDetails();
    return;
  }
  const hash = channelHash(next);
  if (!open || channelHash(open) !== hash) {
    ui.channel.value = hash;
    closeDetails();
    openChannel(next, platforms.get(hash) ?? null);
  }
  if (next.messageId === null) closeDetails();
  else if (next.messageId !== open!.messageId) void openDetails(open!, next.messageId);
}

void start();
