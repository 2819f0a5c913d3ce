// Builds the API reference (docs/api, not checked in) from the TSDoc of every package entry with TypeDoc,
// and fails when an exported class, interface, type, enum or constant has no documentation
// (typedoc.json: validation.notDocumented, treatValidationWarningsAsErrors).
//
//   node scripts/api-docs.mjs            # writes docs/api/index.html
//   node scripts/api-docs.mjs --check    # validates only (what `npm test` runs)
import { spawnSync } from 'node:child_process';

// Pinned, with the TypeScript the workspace uses, so a release of either cannot fail a build on its own.
const TOOLS = ['-p', 'typedoc@0.28.14', '-p', 'typescript@5.9.3'];
const check = process.argv.includes('--check');
// Source links point at the repository layout; no git remote is needed (CI clones have none to read).
const args = ['--yes', ...TOOLS, 'typedoc', '--disableGit', '--sourceLinkTemplate', 'https://github.com/phx-socket/phx-socket/blob/main/{path}#L{line}'];
if (check) args.push('--emit', 'none');
const status = spawnSync('npx', args, { stdio: 'inherit' }).status ?? 1;
if (status !== 0) {
  console.error('✗ API reference: TypeDoc reported errors or undocumented exports (see above)');
  process.exit(status);
}
console.log(check ? '✓ API reference: every public export is documented' : '✓ API reference written to docs/api/index.html');
