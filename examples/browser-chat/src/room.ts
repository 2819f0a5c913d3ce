import { Presence, TypingIndicator, type Scheduler } from '@phx-socket/client';

/** What the server broadcasts for a chat message. */
export interface ChatMessage {
  id: number;
  user: string;
  body: string;
  at: number;
}

// Event maps are `type` aliases: the channel's type parameters need an index signature, which
// interfaces do not get implicitly.
/** Inbound events of a `room:*` channel. */
export type RoomIn = {
  new_msg: ChatMessage;
  typing: { user: string; typing: boolean };
};

/** Outbound events of a `room:*` channel. */
export type RoomOut = {
  new_msg: { body: string };
  typing: { typing: boolean };
};

/**
 * What a room needs of its channel. A `Channel` of `Socket` and a `SharedChannel` of `SharedSocket`
 * (`@phx-socket/client/shared`) both fit, so the room code is the same with or without a shared connection.
 */
export interface RoomChannel {
  readonly joinRef: string | null;
  readonly host: { readonly scheduler: Scheduler };
  on<K extends keyof RoomIn & string>(event: K, callback: (payload: RoomIn[K]) => void): number;
  on(event: string, callback: (payload: unknown) => void): number;
  off(event: string, ref?: number): void;
  join(): { receive(status: 'error', callback: (response: unknown) => void): unknown };
  push(event: string, payload: Record<string, unknown>): PromiseLike<unknown> & { receive(status: 'error', callback: () => void): unknown };
  leave(): unknown;
}

/** Either socket: `Socket`, or `SharedSocket` when the tabs share one connection. */
export interface ChatSocket {
  channel(topic: string, params: Record<string, unknown>): RoomChannel;
}

export interface RoomView {
  onMessage(msg: ChatMessage): void;
  onPresence(users: { user: string; sessions: number }[]): void;
  onTyping(users: string[]): void;
}

export interface Room {
  /** Resolves with the server's reply; while offline the push waits in the send buffer. */
  send(body: string): PromiseLike<unknown>;
  /** Call on every keystroke. */
  typing(): void;
  leave(): void;
}

/**
 * Joins one room: messages, presence and typing. A peer whose "stopped typing" never arrives (tab
 * closed mid-word) is cleared locally after `typingTimeoutMs` plus a grace period, so nobody types forever.
 */
export function joinRoom(socket: ChatSocket, name: string, user: string, view: RoomView, typingTimeoutMs: number): Room {
  const channel = socket.channel(`room:${name}`, { user });
  const presence = new Presence<{ online_at: number }>(channel);
  const typingIndicator = new TypingIndicator(channel, { timeoutMs: typingTimeoutMs });
  const typers = new Map<string, ReturnType<typeof setTimeout>>();
  const renderTypers = (): void => view.onTyping([...typers.keys()].sort());

  const clearTyper = (who: string): void => {
    const timer = typers.get(who);
    if (timer === undefined) return;
    clearTimeout(timer);
    typers.delete(who);
    renderTypers();
  };

  channel.on('new_msg', (msg) => {
    clearTyper(msg.user);
    view.onMessage(msg);
  });
  channel.on('typing', ({ user: who, typing }) => {
    if (who === user) return;
    clearTyper(who);
    if (!typing) return;
    typers.set(who, setTimeout(() => clearTyper(who), typingTimeoutMs + 2000));
    renderTypers();
  });
  presence.onSync(() => {
    view.onPresence(presence.list((key, { metas }) => ({ user: key, sessions: metas.length })));
    // Someone who left cannot still be typing.
    for (const who of typers.keys()) if (presence.get(who) === undefined) clearTyper(who);
  });

  // A refused join keeps retrying with backoff; the status pill already tells the person why nothing moves.
  channel.join().receive('error', (reason) => console.warn(`join room:${name} refused`, reason));

  return {
    send(body) {
      typingIndicator.stop();
      return channel.push('new_msg', { body } satisfies RoomOut['new_msg']);
    },
    typing: () => typingIndicator.typing(),
    leave() {
      typingIndicator.dispose();
      presence.dispose();
      for (const timer of typers.values()) clearTimeout(timer);
      channel.leave();
    },
  };
}
