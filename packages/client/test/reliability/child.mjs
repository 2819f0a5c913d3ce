// Runs one scenario for one client in this process and prints one JSON line:
//
//   node child.mjs <scenario> <variant> <short|long> [json extra options]
//   → {"result": {...}, "uncaught": 0, "unhandled": 0, "firstError": null}
//
// Uncaught exceptions and unhandled rejections are counted instead of crashing, so a client that throws
// from its WebSocket handler is measured rather than fatal. The process is never exited by hand: that it
// ends once the scenario returns is itself checked (a timer or socket left behind would keep it alive).
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [scenario, variant, scaleName = 'short', extra = '{}'] = process.argv.slice(2);
if (!scenario || !variant) {
  console.error('usage: node child.mjs <scenario> <variant> <short|long> [json options]');
  process.exitCode = 64;
} else {
  let uncaught = 0;
  let unhandled = 0;
  let firstError = null;
  const note = (error) => (firstError ??= String(error?.stack ?? error).split('\n').slice(0, 3).join(' | '));
  process.on('uncaughtException', (error) => {
    uncaught++;
    note(error);
  });
  process.on('unhandledRejection', (error) => {
    unhandled++;
    note(error);
  });
  const module = await import(pathToFileURL(join(import.meta.dirname, 'scenarios', `${scenario}.mjs`)).href);
  const scale = { ...module.SCALES[scaleName], ...JSON.parse(extra) };
  try {
    const result = await module.run(variant, scale);
    // A late throw (a timer of the client firing after the scenario) still counts.
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.stdout.write(`${JSON.stringify({ result, uncaught, unhandled, firstError })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ failed: String(error?.stack ?? error), uncaught, unhandled, firstError })}\n`);
    process.exitCode = 1;
  }
}
