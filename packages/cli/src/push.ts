/**
 * `phx-socket push URL TOPIC EVENT [PAYLOAD|-]`: the payload is read and parsed before connecting, then
 * join, push, print the reply, leave. Exit code by outcome: ok 0, error reply 1, timeout 2, join refused
 * 3, connect failed 4.
 */
import type { PushCommand } from './args';
import { EXIT, type ExitCode } from './errors';
import { payloadOf } from './input';
import type { Printer } from './output';
import { Session } from './session';

export async function push(command: PushCommand, printer: Printer, stdin: AsyncIterable<Buffer | string> = process.stdin): Promise<ExitCode> {
  const payload = await payloadOf(command.payload, stdin);
  const session = await Session.open({ connect: command.connect, output: command.output, printer });
  try {
    await session.join(command.topic, command.joinParams);
    const reply = await session.push(command.topic, command.event, payload);
    printer.reply(command.topic, command.event, reply.status, reply.response);
    return reply.status === 'ok' ? EXIT.ok : EXIT.replyError;
  } finally {
    await session.close();
  }
}
