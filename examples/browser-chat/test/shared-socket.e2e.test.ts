// The shared connection (`@phx-socket/client/shared`) in real headless Chromium: pages of one origin load
// the IIFE build and its hosted worker script (public/shared-probe.html) against the chat server from
// serve.mjs, and the testkit's stats say how many WebSockets and channels the server really sees.
// Chromium comes from the system (Debian's `chromium`); nothing here downloads a browser.
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startChat } from '../serve.mjs';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(exampleDir, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

interface Probe {
  modes: { mode: string; reason: string; leader?: boolean }[];
  messages: { id: number; user: string; body: string }[];
  replies: ({ ok: { id: number } } | { error: string })[];
  errors: string[];
  joined: boolean;
  online?: string[];
  state(): { mode: string | null; status: string; channel: string };
  send(body: string): Promise<{ id: number }>;
}
type ProbeWindow = Window & { probe: Probe };

type Chat = Awaited<ReturnType<typeof startChat>>;
let chat: Chat;
let context: BrowserContext;
let userDataDir: string;
let siteDir: string;
const open: Page[] = [];
const pageErrors: string[] = [];
let workerSeq = 0;

/** Set-up problems are rethrown by every test: a browser suite that skips proves nothing. */
let setupError: unknown = null;
function ready(): void {
  if (setupError !== null) throw setupError;
}

beforeAll(async () => {
  try {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run \`npm test\` (installs it) or \`apt-get install -y chromium\``);
    for (const file of ['phx-socket-shared.iife.js', 'phx-socket-shared-worker.iife.js']) {
      const path = join(repoRoot, 'packages', 'client', 'dist', file);
      if (!existsSync(path)) throw new Error(`${path} is missing: run the root build first (npx pnpm@9.15.9 run build)`);
    }
    // The probe page needs no Vite build: serve public/ as it is (startChat wants an index.html).
    siteDir = mkdtempSync(join(tmpdir(), 'phx-shared-site-'));
    copyFileSync(join(exampleDir, 'public', 'shared-probe.html'), join(siteDir, 'shared-probe.html'));
    writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>shared probe</title>');
    chat = await startChat({ distDir: siteDir });
    userDataDir = mkdtempSync(join(tmpdir(), 'phx-chromium-shared-'));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    setupError = error;
  }
}, 90_000);

afterAll(async () => {
  await context?.close();
  await chat?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  if (siteDir) rmSync(siteDir, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
  await expect.poll(() => chat.server.stats().connections, { timeout: 10_000 }).toBe(0);
  const errors = pageErrors.splice(0);
  expect(errors, 'errors thrown in the pages').toEqual([]);
});

/** A probe page; `worker` names the SharedWorker, so each test starts with a fresh one. */
async function probePage(query: Record<string, string>, init?: () => void): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  if (init) await page.addInitScript(init);
  open.push(page);
  const search = new URLSearchParams({ socket: chat.server.url, ...query });
  await page.goto(`${chat.origin}/shared-probe.html?${search}`);
  await page.waitForFunction(() => (window as unknown as ProbeWindow).probe?.joined === true);
  return page;
}

const probe = <T>(page: Page, fn: (p: Probe) => T | Promise<T>): Promise<T> =>
  page.evaluate(`(${fn.toString()})(window.probe)`) as Promise<T>;

async function closePage(page: Page): Promise<void> {
  open.splice(open.indexOf(page), 1);
  await page.close();
}

/** An init script: the page has no SharedWorker (as Chrome on Android). */
const noSharedWorker = (): void => {
  delete (window as { SharedWorker?: unknown }).SharedWorker;
};

/** Kills the page's renderer (no pagehide, no bye). The crash never answers, hence the race. */
async function crash(page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await Promise.race([cdp.send('Page.crash').catch(() => {}), new Promise((r) => setTimeout(r, 1000))]);
  open.splice(open.indexOf(page), 1);
}

/** Closes a crashed page, which may never answer. */
const closeCrashed = (page: Page): Promise<unknown> => Promise.race([page.close().catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);

/** Waits until the page's socket is open and its channel joined. */
const joinedAgain = (page: Page): Promise<unknown> =>
  page.waitForFunction(() => {
    const s = (window as unknown as ProbeWindow).probe.state();
    return s.status === 'open' && s.channel === 'joined';
  });

describe('SharedSocket in headless Chromium', () => {
  it('three pages of one origin share one WebSocket and one channel; each hears each broadcast once', async () => {
    ready();
    const worker = `w${++workerSeq}`;
    const before = chat.server.stats().totalConnections;
    const pages = [];
    for (let i = 0; i < 3; i++) pages.push(await probePage({ worker, user: 'ana' }));
    expect(chat.server.stats()).toMatchObject({ connections: 1, channels: 1 });
    expect(chat.server.stats().totalConnections - before).toBe(1);
    for (const p of pages) expect(await probe(p, (x) => x.modes)).toEqual([{ mode: 'shared-worker', reason: 'shared_worker' }]);
    // Presence came through the worker, at once for the pages that attached later.
    for (const p of pages) await p.waitForFunction(() => (window as unknown as ProbeWindow).probe.online?.includes('ana'));

    chat.server.broadcast('room:lobby', 'new_msg', { id: 1001, user: 'server', body: 'to everyone' });
    chat.server.broadcast('room:lobby', 'new_msg', { id: 1002, user: 'server', body: 'again' });
    for (const p of pages) await p.waitForFunction(() => (window as unknown as ProbeWindow).probe.messages.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    for (const p of pages) expect(await probe(p, (x) => x.messages.map((m) => m.body))).toEqual(['to everyone', 'again']);
  }, 60_000);

  it('a push from page 2 gets its reply on page 2 only, and its broadcast on every page', async () => {
    ready();
    const worker = `w${++workerSeq}`;
    const pages = [await probePage({ worker, user: 'bob' }), await probePage({ worker, user: 'bob' }), await probePage({ worker, user: 'bob' })];
    const reply = await probe(pages[1]!, (x) => x.send('from page 2'));
    expect(reply.id).toEqual(expect.any(Number));
    for (const p of pages) await p.waitForFunction(() => (window as unknown as ProbeWindow).probe.messages.some((m) => m.body === 'from page 2'));
    await new Promise((r) => setTimeout(r, 100));
    expect(await probe(pages[0]!, (x) => x.replies)).toEqual([]);
    expect(await probe(pages[1]!, (x) => x.replies)).toEqual([{ ok: { id: reply.id } }]);
    expect(await probe(pages[2]!, (x) => x.replies)).toEqual([]);
    for (const p of pages) expect(await probe(p, (x) => x.messages.filter((m) => m.body === 'from page 2').length)).toBe(1);
    expect(chat.server.stats().connections).toBe(1);
  }, 60_000);

  it('closing pages 1 and 2 keeps page 3 joined; closing all leaves the channel on the server', async () => {
    ready();
    const worker = `w${++workerSeq}`;
    const [p1, p2, p3] = [await probePage({ worker, user: 'cy' }), await probePage({ worker, user: 'cy' }), await probePage({ worker, user: 'cy' })];
    const leavesBefore = chat.server.stats().leaves;
    await closePage(p1!);
    await closePage(p2!);
    await new Promise((r) => setTimeout(r, 300));
    expect(chat.server.stats()).toMatchObject({ connections: 1, channels: 1 });
    expect(await probe(p3!, (x) => x.state())).toMatchObject({ mode: 'shared-worker', status: 'open', channel: 'joined' });
    chat.server.broadcast('room:lobby', 'new_msg', { id: 2001, user: 'server', body: 'still here?' });
    await p3!.waitForFunction(() => (window as unknown as ProbeWindow).probe.messages.some((m) => m.body === 'still here?'));
    expect((await probe(p3!, (x) => x.send('yes'))).id).toEqual(expect.any(Number));

    await closePage(p3!);
    await expect.poll(() => chat.server.stats().channels, { timeout: 10_000 }).toBe(0);
    await expect.poll(() => chat.server.stats().connections, { timeout: 10_000 }).toBe(0);
    expect(chat.server.stats().leaves).toBeGreaterThan(leavesBefore);
  }, 60_000);

  it('a crashed page (no pagehide, no bye) is noticed by the worker, which leaves its channel', async () => {
    ready();
    const worker = `w${++workerSeq}`;
    const stays = await probePage({ worker, user: 'fay' });
    const crashes = await probePage({ worker, user: 'fay', room: 'crash' });
    expect(chat.server.stats()).toMatchObject({ connections: 1, channels: 2 });
    await crash(crashes); // its Web Lock (and port) go with it
    await expect.poll(() => chat.server.stats().channels, { timeout: 10_000 }).toBe(1);
    expect(chat.server.stats().connections).toBe(1);
    expect(await probe(stays, (x) => x.state())).toMatchObject({ mode: 'shared-worker', status: 'open', channel: 'joined' });
    await closeCrashed(crashes);
  }, 60_000);

  it('without SharedWorker the pages elect a leader page whose socket they share over BroadcastChannel', async () => {
    ready();
    const shareKey = `k${++workerSeq}`;
    const before = chat.server.stats().totalConnections;
    const pages = [];
    for (let i = 0; i < 3; i++) pages.push(await probePage({ shareKey, user: 'dee' }, noSharedWorker));
    // Web Locks elect one page; it runs the socket, the others reach it over BroadcastChannel.
    const modes = await Promise.all(pages.map((p) => probe(p, (x) => x.modes)));
    expect(modes.map((m) => m.map(({ mode, reason }) => ({ mode, reason })))).toEqual(pages.map(() => [{ mode: 'leader-tab', reason: 'no_shared_worker' }]));
    const leaders = modes.map((m) => m.at(-1)?.leader === true);
    expect(leaders.filter(Boolean)).toHaveLength(1);
    expect(chat.server.stats()).toMatchObject({ connections: 1, channels: 1 });
    expect(chat.server.stats().totalConnections - before).toBe(1);

    const pusher = pages[leaders.indexOf(false)]!;
    const reply = await probe(pusher, (x) => x.send('through the leader'));
    for (const p of pages) await p.waitForFunction(() => (window as unknown as ProbeWindow).probe.messages.some((m) => m.body === 'through the leader'));
    await new Promise((r) => setTimeout(r, 100));
    for (const p of pages) {
      expect(await probe(p, (x) => x.messages.filter((m) => m.body === 'through the leader').length)).toBe(1);
      expect(await probe(p, (x) => x.replies)).toEqual(p === pusher ? [{ ok: { id: reply.id } }] : []);
    }

    // The leader page closes: the next page in the lock queue leads, the other rejoins through it.
    const leader = pages[leaders.indexOf(true)]!;
    const stay = pages.filter((p) => p !== leader);
    await closePage(leader);
    for (const p of stay) {
      await p.waitForFunction(() => (window as unknown as ProbeWindow).probe.modes.length >= 2);
      await joinedAgain(p);
    }
    const after = await Promise.all(stay.map((p) => probe(p, (x) => x.modes.at(-1))));
    expect(after.filter((m) => m?.leader === true)).toHaveLength(1);
    for (const m of after) expect(m).toMatchObject({ mode: 'leader-tab' });
    await expect.poll(() => chat.server.stats().connections, { timeout: 10_000 }).toBe(1);
    expect(chat.server.stats().channels).toBe(1);
    chat.server.broadcast('room:lobby', 'new_msg', { id: 3001, user: 'server', body: 'after handover' });
    for (const p of stay) await p.waitForFunction(() => (window as unknown as ProbeWindow).probe.messages.some((m) => m.body === 'after handover'));
    expect((await probe(stay[0]!, (x) => x.send('new leader'))).id).toEqual(expect.any(Number));
  }, 60_000);

  it('a crashed leader page (no pagehide, no bye) is noticed: the next page leads and its channels stay joined', async () => {
    ready();
    const shareKey = `k${++workerSeq}`;
    const pages = [await probePage({ shareKey, user: 'gus' }, noSharedWorker), await probePage({ shareKey, user: 'gus' }, noSharedWorker)];
    const leads = await Promise.all(pages.map((p) => probe(p, (x) => x.modes.at(-1)?.leader === true)));
    expect(leads.filter(Boolean)).toHaveLength(1);
    const leader = pages[leads.indexOf(true)]!;
    const stays = pages[leads.indexOf(false)]!;
    expect(chat.server.stats()).toMatchObject({ connections: 1, channels: 1 });

    // It dies with its socket: the browser releases its Web Locks, which is how the other page learns.
    await crash(leader);
    await stays.waitForFunction(() => (window as unknown as ProbeWindow).probe.modes.at(-1)?.leader === true, undefined, { timeout: 15_000 });
    await joinedAgain(stays);
    expect(await probe(stays, (x) => x.modes.at(-1))).toMatchObject({ mode: 'leader-tab', leader: true });
    await expect.poll(() => chat.server.stats().connections, { timeout: 10_000 }).toBe(1);
    expect(chat.server.stats().channels).toBe(1);
    expect((await probe(stays, (x) => x.send('after the crash'))).id).toEqual(expect.any(Number));
    await closeCrashed(leader);
  }, 60_000);

  it('without SharedWorker and BroadcastChannel each page falls back to its own socket, says so, and still works', async () => {
    ready();
    const worker = `w${++workerSeq}`;
    const nothingShared = () => {
      delete (window as { SharedWorker?: unknown }).SharedWorker;
      delete (window as { BroadcastChannel?: unknown }).BroadcastChannel;
    };
    const a = await probePage({ worker, user: 'dee' }, nothingShared);
    const b = await probePage({ worker, user: 'dee' }, nothingShared);
    for (const p of [a, b]) expect(await probe(p, (x) => x.modes)).toEqual([{ mode: 'local', reason: 'no_shared_worker' }]);
    expect(chat.server.stats()).toMatchObject({ connections: 2, channels: 2 });
    const reply = await probe(b, (x) => x.send('local push'));
    for (const p of [a, b]) await p.waitForFunction(() => (window as unknown as ProbeWindow).probe.messages.some((m) => m.body === 'local push'));
    expect(await probe(b, (x) => x.replies)).toEqual([{ ok: { id: reply.id } }]);
    expect(await probe(a, (x) => x.replies)).toEqual([]);
  }, 60_000);

  it('a SharedWorker that dies sends every page to its own socket; channels rejoin and pushes work', async () => {
    ready();
    const worker = `w${++workerSeq}`;
    const pages = [await probePage({ worker, user: 'hal' }), await probePage({ worker, user: 'hal' })];
    expect(chat.server.stats()).toMatchObject({ connections: 1, channels: 1 });
    const cdp = await context.newCDPSession(pages[0]!);
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
    const target = targetInfos.find((t) => t.type === 'shared_worker' && t.url.includes('phx-socket-shared-worker'));
    expect(target, JSON.stringify(targetInfos.map((t) => [t.type, t.url]))).toBeDefined();
    await cdp.send('Target.closeTarget', { targetId: target!.targetId });
    for (const p of pages) {
      await p.waitForFunction(() => (window as unknown as ProbeWindow).probe.modes.at(-1)?.mode === 'local', undefined, { timeout: 15_000 });
      await joinedAgain(p);
    }
    for (const p of pages) expect((await probe(p, (x) => x.modes.at(-1)))?.reason).toMatch(/^worker_(gone|silent|error)$/);
    await expect.poll(() => chat.server.stats().connections, { timeout: 10_000 }).toBe(2);
    const reply = await probe(pages[1]!, (x) => x.send('after the worker died'));
    for (const p of pages) await p.waitForFunction(() => (window as unknown as ProbeWindow).probe.messages.some((m) => m.body === 'after the worker died'));
    expect(await probe(pages[1]!, (x) => x.replies)).toEqual([{ ok: { id: reply.id } }]);
  }, 60_000);

  it('a worker script that fails to load falls back to an own socket', async () => {
    ready();
    const a = await probePage({ worker: `w${++workerSeq}`, user: 'eve', workerUrl: '/vendor/no-such-worker.js', startMs: '1500' });
    const modes = await probe(a, (x) => x.modes);
    expect(modes[0]).toEqual({ mode: 'shared-worker', reason: 'shared_worker' });
    // Chromium fires `error` on the SharedWorker for a 404 script (almost always); the start timeout is the backstop.
    expect(modes.slice(1)).toEqual([{ mode: 'local', reason: expect.stringMatching(/^worker_(error|start_timeout)$/) }]);
    expect(await probe(a, (x) => x.state())).toMatchObject({ mode: 'local', status: 'open', channel: 'joined' });
    expect((await probe(a, (x) => x.send('after fallback'))).id).toEqual(expect.any(Number));
  }, 60_000);
});
