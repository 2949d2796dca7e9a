/** Opens the model a command names, detecting its kind from the file itself. */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { ModelFileError } from '@liesym/core';
import type { CliModel } from './CliModel.js';
import type { OnnxOpenOptions } from './onnxModel.js';
import { UsageError } from './errors.js';

function head(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64);
    const n = readSync(fd, buf, 0, 64, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The model at `path`: JSON with `modelTopology` is a tfjs model.json, JSON with `sizes` and
 * `layers` a brain.js network; anything else must decode as an ONNX protobuf.
 * @throws ModelFileError for a missing, unreadable or unrecognised file
 */
export async function openModel(path: string, onnx: OnnxOpenOptions): Promise<CliModel> {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) throw new ModelFileError(`model file '${path}' does not exist`);
  if (st.isDirectory()) throw new ModelFileError(`'${path}' is a folder; give the model file (an .onnx, a brain.js .json or a tfjs model.json)`);
  let start: string;
  try {
    start = head(path);
  } catch (e) {
    throw new ModelFileError(`model file '${path}' cannot be read: ${(e as Error).message}`);
  }
  const onnxFlags = onnx.input !== undefined || onnx.output !== undefined || Object.keys(onnx.shapes).length > 0 || onnx.fix !== undefined;
  if (start.trimStart().startsWith('{')) {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new ModelFileError(`'${path}' starts like JSON but is not valid JSON (${(e as Error).message}); liesym reads .onnx files, brain.js network JSON and tfjs model.json`);
    }
    const kind = json['modelTopology'] !== undefined ? 'tfjs' : json['sizes'] !== undefined && json['layers'] !== undefined ? 'brain.js' : undefined;
    if (kind === undefined) {
      throw new ModelFileError(`'${path}' is JSON but neither a tfjs model.json (modelTopology, weightsManifest) nor a brain.js NeuralNetwork (sizes, layers)`);
    }
    if (onnxFlags) throw new UsageError(`--input, --output, --shape and --fix apply to ONNX models; '${path}' is a ${kind} model`);
    if (kind === 'tfjs') return (await import('./tfjsModel.js')).openTfjs(path, json as never);
    return (await import('./brainModel.js')).openBrain(path);
  }
  return (await import('./onnxModel.js')).openOnnx(path, onnx);
}
