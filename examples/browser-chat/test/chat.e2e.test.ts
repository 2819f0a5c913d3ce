// End to end in real headless Chromium: the Vite-built chat app in two pages, plus the IIFE bundle
// loaded by a plain <script> tag, against the chat server from serve.mjs. Chromium comes from the
// system (Debian's `chromium`; `npm test` installs it when missing): nothing here downloads a browser.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startChat } from '../serve.mjs';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(exampleDir, '..', '..');
const resultsDir = join(repoRoot, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const TYPING_MS = 1000;

type Chat = Awaited<ReturnType<typeof startChat>>;
let chat: Chat;
let context: BrowserContext;
let userDataDir: string;
const pages = new Map<string, Page>();
const pageErrors: string[] = [];

async function openPage(name: string, url: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`${name} console: ${msg.text()}`);
  });
  pages.set(name, page);
  await page.goto(url);
  return page;
}

function page(name: string): Page {
  const p = pages.get(name);
  if (p === undefined) throw new Error(`page ${name} is not open`);
  return p;
}

/** Screenshots of every open page into test-results/, named after the failing test. */
function screenshotOnFailure(testName: string): void {
  onTestFailed(async () => {
    mkdirSync(resultsDir, { recursive: true });
    const slug = testName.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    for (const [name, p] of pages) {
      const path = join(resultsDir, `browser-chat-${slug}-${name}.png`);
      await p.screenshot({ path, fullPage: true }).catch(() => {});
      console.error(`screenshot: ${path}`);
    }
  });
}

const status = (p: Page) => p.locator('#status');
const waitStatus = (p: Page, kind: string) => p.locator(`#status[data-status="${kind}"]`).waitFor();
const message = (p: Page, user: string, body: string) => p.locator(`#messages li[data-user="${user}"]`, { hasText: body });
const online = (p: Page, user: string) => p.locator(`#online li[data-user="${user}"]`);

async function send(p: Page, body: string): Promise<void> {
  await p.locator('#composer input').fill(body);
  await p.locator('#composer input').press('Enter');
}

/**
 * Set-up problems (no Chromium, no build) are rethrown by every test: a failing beforeAll would only
 * mark them skipped, and a browser suite that skips proves nothing.
 */
let setupError: unknown = null;
function ready(): void {
  if (setupError !== null) throw setupError;
}

beforeAll(async () => {
  try {
    await setUp();
  } catch (error) {
    setupError = error;
  }
}, 90_000);

async function setUp(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run \`npm test\` (installs it) or \`apt-get install -y chromium\``);
  const iife = join(repoRoot, 'packages', 'client', 'dist', 'phx-socket.iife.js');
  if (!existsSync(iife)) throw new Error(`${iife} is missing: run the root build first (npx pnpm@9.15.9 run build)`);

  // Build the app as a user would: Vite resolves @phx-socket/client from node_modules to its built dist/.
  execFileSync(process.execPath, [join(exampleDir, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: exampleDir,
    stdio: 'pipe',
  });
  chat = await startChat();
  userDataDir = mkdtempSync(join(tmpdir(), 'phx-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1200, height: 800 },
  });
}

afterAll(async () => {
  await context?.close();
  await chat?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

afterEach(() => {
  const errors = pageErrors.splice(0);
  expect(errors, 'errors thrown in the pages').toEqual([]);
});

describe('browser-chat in headless Chromium', () => {
  it('page A sends, page B sees the message and A in presence; typing shows and stops by itself', async () => {
    ready();
    screenshotOnFailure('chat presence typing');
    const ana = await openPage('ana', `${chat.appUrl({ user: 'ana' })}&typingMs=${TYPING_MS}`);
    const bob = await openPage('bob', `${chat.appUrl({ user: 'bob' })}&typingMs=${TYPING_MS}`);

    await waitStatus(ana, 'connected');
    await waitStatus(bob, 'connected');
    await online(bob, 'ana').waitFor();
    await online(ana, 'bob').waitFor();

    await send(ana, 'hello from ana');
    await message(bob, 'ana', 'hello from ana').waitFor();
    await message(ana, 'ana', 'hello from ana').waitFor(); // the broadcast reaches the sender too

    // Keystrokes without sending: bob sees the hint, then it clears when ana's indicator times out.
    await ana.locator('#composer input').pressSequentially('still typ', { delay: 20 });
    await bob.locator('#typing[data-users="ana"]').waitFor();
    expect(await bob.locator('#typing').textContent()).toBe('ana is typing…');
    // The stop comes from ana's TypingIndicator after TYPING_MS; bob's local fallback would take 2 s longer.
    await bob.locator('#typing[data-users=""]').waitFor({ timeout: TYPING_MS + 1500 });
    expect(await bob.locator('#typing').textContent()).toBe('');

    // Sending stops the indicator at once.
    await ana.locator('#composer input').pressSequentially('ing done', { delay: 20 });
    await bob.locator('#typing[data-users="ana"]').waitFor();
    await ana.locator('#composer input').press('Enter');
    await message(bob, 'ana', 'still typing done').waitFor();
    await bob.locator('#typing[data-users=""]').waitFor({ timeout: 500 });

    await send(bob, 'hi ana');
    await message(ana, 'bob', 'hi ana').waitFor();

    // The telemetry panel counts what happened.
    const sent = Number(await ana.locator('#event-counts tr[data-event="message:sent"] td:last-child').textContent());
    const replies = Number(await ana.locator('#event-counts tr[data-event="push:reply"] td:last-child').textContent());
    expect(sent).toBeGreaterThanOrEqual(3); // join, messages, typing hints
    expect(replies).toBeGreaterThanOrEqual(3);
    await ana.locator('#event-counts tr[data-event="channel:joined"]').waitFor();
  }, 60_000);

  it('the server drops every connection: both pages show reconnecting, reconnect and keep chatting', async () => {
    ready();
    screenshotOnFailure('reconnect');
    const ana = page('ana');
    const bob = page('bob');
    // Hold the reconnect attempts so "reconnecting" stays on screen long enough to be seen.
    chat.server.holdUpgrades();
    await chat.server.dropAll();
    await waitStatus(ana, 'reconnecting');
    await waitStatus(bob, 'reconnecting');
    expect(await status(ana).textContent()).toMatch(/Reconnecting|Connection lost/);

    chat.server.releaseUpgrades();
    await waitStatus(ana, 'connected');
    await waitStatus(bob, 'connected');
    await online(ana, 'bob').waitFor();
    await online(bob, 'ana').waitFor();

    await send(bob, 'back again');
    await message(ana, 'bob', 'back again').waitFor();
    await send(ana, 'welcome back');
    await message(bob, 'ana', 'welcome back').waitFor();

    const reconnects = await ana.locator('#event-counts tr[data-event="socket:reconnect_scheduled"] td:last-child').textContent();
    expect(Number(reconnects)).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('a plain drop (no held upgrades) recovers too', async () => {
    ready();
    screenshotOnFailure('plain drop');
    const ana = page('ana');
    const bob = page('bob');
    const before = chat.server.stats().totalConnections;
    await chat.server.dropAll();
    await expect.poll(() => chat.server.stats().totalConnections, { timeout: 10_000 }).toBeGreaterThanOrEqual(before + 2);
    await waitStatus(ana, 'connected');
    await waitStatus(bob, 'connected');
    await send(ana, 'after the second drop');
    await message(bob, 'ana', 'after the second drop').waitFor();
  }, 60_000);

  it('the IIFE bundle from a plain <script> tag connects, joins, gets replies and broadcasts', async () => {
    ready();
    screenshotOnFailure('iife');
    const ana = page('ana');
    const plain = await openPage('plain', chat.appUrl({ page: '/no-bundler.html', user: 'plain-script' }));
    expect(await plain.evaluate(() => typeof (window as unknown as { PhxSocket: { Socket: unknown } }).PhxSocket.Socket)).toBe('function');

    await plain.locator('#status', { hasText: 'open' }).waitFor();
    await plain.locator('#join', { hasText: 'ok' }).waitFor();
    await online(ana, 'plain-script').waitFor(); // presence across bundles

    await plain.locator('#composer input').fill('from a script tag');
    await plain.locator('#composer input').press('Enter');
    await plain.locator('#reply', { hasText: /^ok id=\d+$/ }).waitFor(); // push → reply
    await message(ana, 'plain-script', 'from a script tag').waitFor(); // its broadcast reached the Vite app

    await send(ana, 'hello script tag');
    await plain.locator('#messages li[data-user="ana"]', { hasText: 'hello script tag' }).waitFor();
  }, 60_000);

  it('switching rooms leaves the old one: presence and messages follow the room', async () => {
    ready();
    screenshotOnFailure('rooms');
    const ana = page('ana');
    const bob = page('bob');
    const plain = page('plain'); // stays in #lobby

    await ana.locator('#rooms li[data-room="elixir"] button').click();
    await ana.locator('#room-title', { hasText: '#elixir' }).waitFor();
    await online(bob, 'ana').waitFor({ state: 'detached' }); // ana left the lobby
    await bob.locator('#rooms li[data-room="elixir"] button').click();
    await online(ana, 'bob').waitFor();
    expect(await ana.locator('#messages li').count()).toBe(0); // a fresh room

    await send(ana, 'only in elixir');
    await message(bob, 'ana', 'only in elixir').waitFor();
    await plain.locator('#join', { hasText: 'ok' }).waitFor();
    expect(await plain.locator('#messages li', { hasText: 'only in elixir' }).count()).toBe(0);
  }, 60_000);

  it('the "shared connection" switch: two tabs of one person share one WebSocket; switching it off gives a tab its own', async () => {
    ready();
    screenshotOnFailure('shared connection');
    const ana = page('ana'); // in #elixir since the previous test
    const before = chat.server.stats().connections;
    const url = `${chat.appUrl({ user: 'sam', room: 'elixir' })}&shared=1`;
    const sam1 = await openPage('sam1', url);
    const sam2 = await openPage('sam2', url);
    for (const p of [sam1, sam2]) {
      await waitStatus(p, 'connected');
      await p.locator('#mode[data-mode="shared-worker"]').waitFor();
      expect(await p.locator('#shared-toggle').isChecked()).toBe(true);
    }
    // Vite bundled the worker from `new URL('./shared-worker.mjs', import.meta.url)`: one WebSocket for both tabs.
    await expect.poll(() => chat.server.stats().connections, { timeout: 10_000 }).toBe(before + 1);
    // One connection, one channel: presence sees one session for the two tabs.
    expect(await online(ana, 'sam').textContent()).toBe('sam');

    await send(sam2, 'from the second tab');
    await message(ana, 'sam', 'from the second tab').waitFor();
    await message(sam1, 'sam', 'from the second tab').waitFor();
    await send(ana, 'hi both sams');
    await message(sam1, 'ana', 'hi both sams').waitFor();
    await message(sam2, 'ana', 'hi both sams').waitFor();
    expect(await sam1.locator('#messages li', { hasText: 'hi both sams' }).count()).toBe(1);
    // Telemetry is forwarded from the worker into each tab's panel.
    await sam2.locator('#event-counts tr[data-event="push:reply"]').waitFor();

    // The switch reloads the tab without sharing: it opens its own WebSocket.
    await sam2.locator('#shared-toggle').click();
    await sam2.waitForURL(/shared=0/);
    await waitStatus(sam2, 'connected');
    expect(await sam2.locator('#mode').getAttribute('data-mode')).toBe('own');
    await expect.poll(() => chat.server.stats().connections, { timeout: 10_000 }).toBe(before + 2);
    await online(ana, 'sam').filter({ hasText: 'sam (2 tabs)' }).waitFor();
    await send(sam2, 'on my own socket');
    await message(sam1, 'sam', 'on my own socket').waitFor();
  }, 60_000);
});
