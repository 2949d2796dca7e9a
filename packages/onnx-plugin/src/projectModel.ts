import { InvalidArgumentError, NonFiniteError, UnsupportedModelError, equivariantProjector, invariantBasis, type Group, type Representation } from '@liesym/core';
import { findLinearLayers, layerReps, storeLayer } from './layers.js';
import { checkModelTarget, readModelFile, writeModelFile } from './modelFile.js';

/** Options of {@link projectModel}. */
export interface ProjectModelOptions {
  /** The group (optional; when given, every representation must be of it or Scalar). */
  group?: Group;
  /**
   * One representation per layer boundary, as in {@link analyzeLayers}: reps[k] on the input
   * of weight layer k, reps[k + 1] on its output (layers.length + 1 entries).
   */
  reps: readonly Representation[];
  /** Replace `out` if it exists (a boolean; default false: an existing file is never touched). The input is never written to, even with force. */
  force?: boolean;
}

/** What {@link projectModel} changed, per weight layer. */
export interface ProjectionReport {
  out: string;
  layers: Array<{
    index: number;
    name: string;
    projected: boolean;
    /** ‖W − Π W‖ / ‖W‖: the relative size of the removed, symmetry-breaking part. */
    removed: number;
  }>;
}

/**
 * Projects the weights of every Gemm/MatMul layer onto the equivariant maps
 * Hom_G(reps[k], reps[k+1]) (W ↦ Σ ⟨W, Bᵢ⟩Bᵢ, the nearest equivariant map) and every bias
 * onto the invariant vectors of reps[k+1], then writes a new .onnx (weights rounded to
 * the tensors' dtype). The other layers (Conv, ConvTranspose, BatchNormalization,
 * LayerNormalization, LSTM) are reported as not projected and left as they are. The file is written
 * to a temporary file in `out`'s folder and moved into place in one step.
 *
 * @param path the input .onnx file (never modified)
 * @param out the new file; an existing file is refused unless `force`, the input always
 * @throws ModelFileError; OutputExistsError (also for `out` = the input, by real path or
 *   hard link, even with `force`); ShapeMismatchError when reps do not fit; NonFiniteError for
 *   NaN/±Infinity weights; OutputWriteError when the file cannot be written; InvalidArgumentError
 *   (also for a `force` that is not a boolean or a missing folder)
 * @example
 * await projectModel('mlp.onnx', 'mlp-sym.onnx', { reps: [V(S(3)), directSum(V(S(3)), V(S(3))), Scalar] });
 */
export async function projectModel(path: string, out: string, options: ProjectModelOptions): Promise<ProjectionReport> {
  const fn = 'projectModel';
  const reps = options?.reps;
  const { proto } = readModelFile(path, fn);
  const target = { input: path, out, force: options?.force ?? false };
  checkModelTarget(target, fn);
  const layers = findLinearLayers(proto.graph!);
  if (layers.length === 0) throw new UnsupportedModelError(`${fn}: '${path}' has no Gemm, MatMul or Conv node with constant weights`);
  const bad = layers.find((l) => !l.W.isFinite() || (l.b !== undefined && !l.b.every(Number.isFinite)));
  if (bad) throw new NonFiniteError(`${fn}: layer ${bad.index} ('${bad.name}') of '${path}' has NaN or ±Infinity weights; projecting them would give an all-NaN layer`);
  const pairs = layerReps(layers, reps, fn);
  const group = options.group;
  reps.forEach((r, k) => {
    if (group && r.group && r.group.key !== group.key) throw new InvalidArgumentError(`${fn}: 'reps'[${k}] is a representation of ${r.group.name}; expected ${group.name}`);
  });
  const report = layers.map((layer, k) => {
    if (!layer.projectable) return { index: layer.index, name: layer.name, projected: false, removed: 0 };
    const [rin, rout] = pairs[k]!;
    const W = equivariantProjector(rin, rout).project(layer.W);
    const Q = layer.b ? invariantBasis(rout).basis : undefined;
    storeLayer(layer, { W, ...(Q ? { b: Q.mulVec(Q.transpose().mulVec(layer.b!)) } : {}) }, fn);
    const wn = layer.W.norm();
    return { index: layer.index, name: layer.name, projected: true, removed: wn === 0 ? 0 : layer.W.sub(W).norm() / wn };
  });
  writeModelFile(proto, target, fn);
  return { out, layers: report };
}
