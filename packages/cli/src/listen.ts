/**
 * `phx-socket listen URL TOPIC...`: connect, join every topic, print every message until SIGINT/SIGTERM,
 * then leave the channels and exit 0. A failed first connect exits 4, a refused join 3, a join timeout 2;
 * once connected, drops are reconnected and the channels rejoined.
 */
import type { ListenCommand } from './args';
import { EXIT, type ExitCode } from './errors';
import type { Printer } from './output';
import { Session } from './session';

/** The signals a listen session stops on. */
export interface SignalSource {
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/**
 * Runs until a signal arrives. Resolves with the exit code; failures before the session is up reject
 * with a `CliError`.
 */
export async function listen(command: ListenCommand, printer: Printer, signals: SignalSource = process): Promise<ExitCode> {
  const session = await Session.open({ connect: command.connect, output: command.output, printer, events: command.events });
  // Listening for Ctrl-C before the joins: one pressed while they are still going out (or right after
  // the last "joined" line) must leave the channels too, not kill the process with them joined.
  let release = (): void => {};
  const stopped = new Promise<void>((resolve) => (release = resolve));
  const unlisten = (): void => {
    signals.off('SIGINT', stop);
    signals.off('SIGTERM', stop);
  };
  const stop = (): void => {
    unlisten();
    // A second Ctrl-C while leaving exits at once.
    signals.once('SIGINT', () => process.exit(130));
    release();
  };
  signals.once('SIGINT', stop);
  signals.once('SIGTERM', stop);
  try {
    for (const topic of command.topics) await session.join(topic, command.joinParams);
  } catch (error) {
    unlisten();
    await session.close();
    throw error;
  }
  await stopped;
  const topics = session.topics();
  await session.close();
  printer.status('stopped', `left ${topics.length === 0 ? 'no channels' : topics.join(', ')}; bye`, { topics });
  return EXIT.ok;
}
