// The list's state: a window of at most WINDOW_SIZE messages paged in both directions by cursor, with live status changes merged in.
import type { MessageFieldsFragment } from './gql/graphql';

/** Messages per request, as `first` (older) or `last` (newer). */
export const PAGE_SIZE = 20;
/** Messages kept on screen: past it, the far end is dropped and can be paged back in with its cursor. */
export const WINDOW_SIZE = 3 * PAGE_SIZE;
/** Live states of messages not on screen yet, kept so a page that arrives after its message's event is not stale. */
const REMEMBERED = 200;

export type Message = MessageFieldsFragment;

export interface Edge {
  cursor: string;
  node: Message;
}

export interface Page {
  edges: Edge[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean };
}

/** Which of two states of one message is newer: the later status change wins (equal: the incoming one). */
function latest(shown: Message, incoming: Message): Message {
  return Date.parse(incoming.lastStatusAt) >= Date.parse(shown.lastStatusAt) ? incoming : shown;
}

export class MessageWindow {
  /** Newest first, as the channel lists them. */
  edges: Edge[] = [];
  /** There are older messages below the last edge. */
  hasOlder = false;
  /** There are newer messages above the first edge (a page was dropped, or one arrived while scrolled away). */
  hasNewer = false;
  private readonly remembered = new Map<string, Message>();

  /** The newest page (`first: PAGE_SIZE`, no cursor). */
  reset(page: Page): void {
    this.edges = [];
    this.hasNewer = page.pageInfo.hasPreviousPage;
    this.hasOlder = page.pageInfo.hasNextPage;
    this.add(page.edges, 'bottom');
  }

  /** A page from `first: PAGE_SIZE, after: olderCursor`. */
  appendOlder(page: Page): void {
    this.hasOlder = page.pageInfo.hasNextPage;
    this.add(page.edges, 'bottom');
  }

  /** A page from `last: PAGE_SIZE, before: newerCursor`. */
  prependNewer(page: Page): void {
    this.hasNewer = page.pageInfo.hasPreviousPage;
    this.add(page.edges, 'top');
  }

  /** Cursor of the oldest message shown: `after` it come older ones. */
  get olderCursor(): string | undefined {
    return this.edges.at(-1)?.cursor;
  }

  /** Cursor of the newest message shown: `before` it come newer ones. */
  get newerCursor(): string | undefined {
    return this.edges[0]?.cursor;
  }

  /**
   * A live event about a message (a status change, a new message, the message just sent). Returns 'shown' when it
   * updated a message on screen, 'newer' when it is newer than everything shown (load newer to bring it in, with its
   * cursor), else 'away' (kept until a page brings the message in).
   */
  live(message: Message): 'shown' | 'newer' | 'away' {
    const edge = this.edges.find((e) => e.node.messageId === message.messageId);
    if (edge) {
      edge.node = latest(edge.node, message);
      return 'shown';
    }
    const known = this.remembered.get(message.messageId);
    this.remembered.delete(message.messageId);
    this.remembered.set(message.messageId, known ? latest(known, message) : message);
    if (this.remembered.size > REMEMBERED) this.remembered.delete(this.remembered.keys().next().value as string);
    const newest = this.edges[0]?.node.createdAt;
    return newest === undefined || Date.parse(message.createdAt) > Date.parse(newest) ? 'newer' : 'away';
  }

  /** The newest state known of a message: on screen, or remembered from a live event. */
  current(messageId: string): Message | undefined {
    return this.edges.find((e) => e.node.messageId === messageId)?.node ?? this.remembered.get(messageId);
  }

  private add(edges: Edge[], side: 'top' | 'bottom'): void {
    const shown = new Set(this.edges.map((e) => e.node.messageId));
    const fresh = edges
      .filter((e) => !shown.has(e.node.messageId))
      .map((e) => {
        const known = this.remembered.get(e.node.messageId);
        return known ? { ...e, node: latest(e.node, known) } : e;
      });
    this.edges = side === 'top' ? [...fresh, ...this.edges] : [...this.edges, ...fresh];
    const extra = this.edges.length - WINDOW_SIZE;
    if (extra <= 0) return;
    if (side === 'top') {
      this.edges = this.edges.slice(0, WINDOW_SIZE);
      this.hasOlder = true;
    } else {
      this.edges = this.edges.slice(extra);
      this.hasNewer = true;
    }
  }
}
