/**
 * @liesym/cli: the `liesym` command (bin) for ONNX, brain.js and TensorFlow.js model files —
 * `analyze` (discover), `check` (a CI gate: exit 0 holds, 1 broken, 2 bad input), `layers`,
 * `project` (enforce) and `promote`. This entry exposes the same command line as a function,
 * for tools that embed it.
 * @packageDocumentation
 */
export { runCli, EXIT } from './runCli.js';
export type { Io } from './progress.js';
