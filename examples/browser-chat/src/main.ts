import { PerformanceMonitor, Socket } from '@phx-socket/client';
import { SharedSocket } from '@phx-socket/client/shared';
import { describeStatus } from './connection-status';
import { joinRoom, type ChatMessage, type Room } from './room';
import { mountTelemetryPanel } from './telemetry-panel';

const ROOMS = ['lobby', 'elixir', 'random'] as const;

// `serve.mjs` passes the socket URL in the query string, so the same build works against any server.
const query = new URLSearchParams(location.search);
const socketUrl = query.get('socket') ?? `ws://${location.hostname}:4000/socket`;
const typingTimeoutMs = Number(query.get('typingMs') ?? 3000);

const $ = <T extends HTMLElement>(selector: string): T => {
  const el = document.querySelector<T>(selector);
  if (el === null) throw new Error(`missing element ${selector}`);
  return el;
};

// "Shared connection" (`?shared=1`, the switch in the header): every tab of this origin uses one WebSocket,
// held by a SharedWorker (or, where there is none, by one tab elected leader); off, each tab opens its own. The rest of the app is the same code.
const shared = query.get('shared') === '1';
// Short enough that a dead connection is noticed while the person is still looking.
const heartbeatIntervalMs = 10_000;
// Quick first retries, then back off (the last step repeats).
const reconnectSteps = [200, 500, 1000, 2000, 5000];
const socket = shared
  ? // Options cross into the worker as data: a schedule is given as its steps.
    new SharedSocket(socketUrl, { heartbeatIntervalMs, reconnectAfterMs: reconnectSteps })
  : new Socket(socketUrl, { heartbeatIntervalMs, reconnectAfterMs: (tries) => reconnectSteps[tries - 1] ?? 5000 });
const monitor = new PerformanceMonitor();
monitor.attach(socket.telemetry);
mountTelemetryPanel(socket.telemetry, monitor, { counts: $('#event-counts'), summary: $('#summary'), log: $('#event-log') });

let wasConnected = false;
function renderStatus(): void {
  if (socket.state.status === 'open') wasConnected = true;
  const view = describeStatus(socket.state, wasConnected, performance.now());
  const pill = $('#status');
  pill.dataset.status = view.kind;
  pill.textContent = view.text;
}
for (const name of ['socket:connecting', 'socket:connected', 'socket:disconnected', 'socket:reconnect_scheduled', 'socket:reconnect_exhausted'] as const) {
  socket.telemetry.on(name, renderStatus);
}

const sharedToggle = $<HTMLInputElement>('#shared-toggle');
sharedToggle.checked = shared;
sharedToggle.addEventListener('change', () => {
  const next = new URL(location.href);
  next.searchParams.set('shared', sharedToggle.checked ? '1' : '0');
  location.assign(next);
});
// Which way this tab reaches the server: the SharedWorker, a leader tab's socket (this one's when it leads),
// or its own socket (nothing to share through, or the worker failed).
const MODE_TEXT: Readonly<Record<string, string>> = { 'shared-worker': 'shared connection', 'leader-tab': 'shared through a leader tab' };
const renderMode = (mode: string, leader = false): void => {
  const el = $('#mode');
  el.dataset.mode = mode;
  el.textContent = leader ? 'shared: this tab leads' : (MODE_TEXT[mode] ?? 'own connection');
};
renderMode('own');
socket.telemetry.on('shared:mode', ({ metadata }) => renderMode(metadata.mode, metadata.leader));
// The retry countdown moves even when no event arrives.
setInterval(renderStatus, 250);

let room: Room | null = null;

function enterRoom(name: string, user: string): void {
  room?.leave();
  $('#messages').replaceChildren();
  $('#online').replaceChildren();
  $('#typing').textContent = '';
  $('#room-title').textContent = `#${name}`;
  document.querySelectorAll<HTMLLIElement>('#rooms li').forEach((li) => li.setAttribute('aria-current', String(li.dataset.room === name)));
  room = joinRoom(socket, name, user, {
    onMessage: appendMessage,
    onPresence(users) {
      $('#online').replaceChildren(
        ...users.map(({ user: who, sessions }) => {
          const li = Object.assign(document.createElement('li'), { textContent: sessions > 1 ? `${who} (${sessions} tabs)` : who });
          li.dataset.user = who;
          return li;
        }),
      );
    },
    onTyping(users) {
      const typing = $('#typing');
      typing.dataset.users = users.join(',');
      typing.textContent = users.length === 0 ? '' : `${users.join(', ')} ${users.length === 1 ? 'is' : 'are'} typing…`;
    },
  }, typingTimeoutMs);
}

function appendMessage(msg: ChatMessage): void {
  const li = document.createElement('li');
  li.dataset.user = msg.user;
  li.dataset.id = String(msg.id);
  const who = Object.assign(document.createElement('span'), { className: 'user', textContent: msg.user });
  const body = Object.assign(document.createElement('span'), { className: 'body', textContent: msg.body });
  li.append(who, body);
  const list = $('#messages');
  list.append(li);
  list.scrollTop = list.scrollHeight;
}

function start(user: string): void {
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#rooms').replaceChildren(
    ...ROOMS.map((name) => {
      const li = document.createElement('li');
      li.dataset.room = name;
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: `#${name}` });
      button.addEventListener('click', () => enterRoom(name, user));
      li.append(button);
      return li;
    }),
  );
  socket.connect({ user });
  const initial = query.get('room');
  enterRoom(initial !== null && (ROOMS as readonly string[]).includes(initial) ? initial : 'lobby', user);
}

const composer = $<HTMLFormElement>('#composer');
const input = composer.elements.namedItem('body') as HTMLInputElement;
input.addEventListener('input', () => room?.typing());
composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const body = input.value.trim();
  if (body === '' || room === null) return;
  input.value = '';
  // While offline the push waits in the send buffer and goes out after the rejoin, in order.
  room.send(body).then(undefined, (error: unknown) => console.warn('message not delivered', error));
});

$<HTMLFormElement>('#login').addEventListener('submit', (event) => {
  event.preventDefault();
  const user = (new FormData(event.target as HTMLFormElement).get('user') as string).trim();
  if (user !== '') start(user);
});

const preset = query.get('user');
if (preset) start(preset);
renderStatus();
