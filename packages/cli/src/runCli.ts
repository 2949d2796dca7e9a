/**
 * The `liesym` command line: argument parsing (node:util parseArgs), help, version, and the
 * exit codes. Everything heavy (core, onnxruntime, tfjs) is imported only once a command runs,
 * so `liesym --help` answers at once.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { COMMANDS, USAGE, type CommandName } from './commands.js';
import { ResourceLimitError, UsageError } from './errors.js';
import type { Io } from './progress.js';

/** Exit codes: done / holds, a checked symmetry is broken, bad input, internal error. */
export const EXIT = { ok: 0, broken: 1, badInput: 2, internal: 3 } as const;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The parsed command line of one command: its flags (strings or booleans) and the model path. */
export interface ParsedCommand {
  command: CommandName;
  model: string;
  values: Record<string, string | boolean | string[] | undefined>;
}

function parseCommand(command: CommandName, argv: readonly string[]): ParsedCommand | 'help' {
  const spec = COMMANDS[command];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: spec.options, strict: true, allowPositionals: true });
  } catch (e) {
    const msg = String((e as Error).message).split('\n')[0]!.replace(/\. To specify a positional argument starting with a '-'.*$/, '');
    throw new UsageError(`${command}: ${msg} (see liesym ${command} --help)`);
  }
  const values = parsed.values as ParsedCommand['values'];
  if (values['help']) return 'help';
  const [model, ...extra] = parsed.positionals;
  if (model === undefined) throw new UsageError(`${command}: the MODEL argument is missing (see liesym ${command} --help)`);
  if (extra.length > 0) throw new UsageError(`${command}: one MODEL only; unexpected '${extra[0]}'`);
  return { command, model, values };
}

/** The one-line message of an error for stderr (no stack trace). */
function oneLine(e: unknown): string {
  return String((e as Error)?.message ?? e).replace(/\s*\n\s*/g, ' ');
}

/**
 * Runs the `liesym` command line with the given arguments (without `node` and the script).
 * Returns the exit code: 0 done (and every checked symmetry holds), 1 a checked symmetry is
 * broken (check, layers), 2 bad input with a one-line `liesym: …` message on stderr, 3 an
 * internal error.
 * @example
 * process.exitCode = await runCli(['check', 'model.onnx', '--group', 'SO3']);
 */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.stderr(`${USAGE}\n`);
      return EXIT.badInput;
    }
    if (first === '-h' || first === '--help' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      io.stdout(`${topic !== undefined && topic in COMMANDS ? COMMANDS[topic as CommandName].help : USAGE}\n`);
      return EXIT.ok;
    }
    if (first === '-V' || first === '--version') {
      io.stdout(`${version()}\n`);
      return EXIT.ok;
    }
    if (!(first in COMMANDS)) {
      throw new UsageError(first.startsWith('-') ? `unknown option '${first}' (liesym --help)` : `unknown command '${first}'; the commands are ${Object.keys(COMMANDS).join(', ')} (liesym --help)`);
    }
    const parsed = parseCommand(first as CommandName, rest);
    if (parsed === 'help') {
      io.stdout(`${COMMANDS[first as CommandName].help}\n`);
      return EXIT.ok;
    }
    const { runCommand } = await import('./runCommand.js');
    return await runCommand(parsed, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ResourceLimitError) {
      io.stderr(`liesym: ${oneLine(e)}\n`);
      return EXIT.badInput;
    }
    const { LiesymError } = await import('@liesym/core');
    if (e instanceof LiesymError) {
      io.stderr(`liesym: ${oneLine(e)}\n`);
      return EXIT.badInput;
    }
    if (e instanceof RangeError && /allocation|Array buffer|Invalid typed array length/i.test(e.message)) {
      io.stderr(`liesym: out of memory (${oneLine(e)}); use fewer --samples or a smaller --shape\n`);
      return EXIT.badInput;
    }
    io.stderr(`liesym: internal error: ${oneLine(e)} (please report it with the command line)\n`);
    if (process.env['LIESYM_DEBUG']) io.stderr(`${(e as Error)?.stack ?? ''}\n`);
    return EXIT.internal;
  }
}
