import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, Matrix, ModelFileError, OutputExistsError, Representation, ShapeMismatchError, UnsupportedModelError, equivariantProjector, invariantBasis, type Group } from '@liesym/core';
import { findLinearLayers } from './layers.js';
import { floatAttribute, intAttribute, onnx, writeTensor, type ModelProto, type NodeProto } from './proto.js';

/** Options of {@link projectModel}. */
export interface ProjectModelOptions {
  /** The group (optional; when given, every representation must be of it or Scalar). */
  group?: Group;
  /**
   * One representation per layer boundary, as in {@link analyzeLayers}: reps[k] on the input
   * of weight layer k, reps[k + 1] on its output (layers.length + 1 entries).
   */
  reps: readonly Representation[];
  /** Overwrite `out` if it exists (default false: an existing file is never touched). */
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

/** Reads and decodes a model file. @throws ModelFileError */
export function readModelFile(path: string, fn: string): ModelProto {
  if (!existsSync(path)) throw new ModelFileError(`${fn}: model file '${path}' does not exist`);
  try {
    const proto = onnx.ModelProto.decode(readFileSync(path));
    if (!proto.graph) throw new Error('no graph');
    return proto;
  } catch (e) {
    throw new ModelFileError(`${fn}: '${path}' is not a valid ONNX model (${(e as Error).message})`);
  }
}

/** Writes a model, refusing to replace an existing file (or the input) unless `force`. @throws OutputExistsError */
export function writeModelFile(proto: ModelProto, path: string, out: string, force: boolean, fn: string): void {
  if (typeof out !== 'string' || out.length === 0) throw new InvalidArgumentError(`${fn}: 'out' must be a file path; received ${String(out)}`);
  if (!force && resolve(out) === resolve(path)) {
    throw new OutputExistsError(`${fn}: 'out' is the input file '${path}'; pass force: true to overwrite it`);
  }
  if (!force && existsSync(out)) throw new OutputExistsError(`${fn}: '${out}' already exists; pass force: true to overwrite it`);
  const bytes = onnx.ModelProto.encode(proto).finish();
  try {
    writeFileSync(out, bytes, { flag: force ? 'w' : 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new OutputExistsError(`${fn}: '${out}' already exists; pass force: true to overwrite it`);
    throw new ModelFileError(`${fn}: could not write '${out}': ${(e as Error).message}`);
  }
}

/** Writes W (dimOut×dimIn, y = W·x) back into a Gemm/MatMul weight tensor. */
export function storeWeights(node: NodeProto, opType: string, tensor: Parameters<typeof writeTensor>[0], W: Matrix, fn: string): void {
  if (opType === 'Gemm') {
    const alpha = floatAttribute(node, 'alpha', 1);
    const m = intAttribute(node, 'transB', 0) === 1 ? W : W.transpose();
    writeTensor(tensor, m.scale(1 / alpha).data, fn);
  } else {
    writeTensor(tensor, W.transpose().data, fn);
  }
}

/**
 * Projects the weights of every Gemm/MatMul layer onto the equivariant maps
 * Hom_G(reps[k], reps[k+1]) (W ↦ Σ ⟨W, Bᵢ⟩Bᵢ, the nearest equivariant map) and every bias
 * onto the invariant vectors of reps[k+1], then writes a new .onnx (weights rounded to
 * the tensors' dtype). Conv layers are reported and left as they are.
 *
 * @param path the input .onnx file (never modified)
 * @param out the new file; an existing file is refused unless `force`
 * @throws ModelFileError; OutputExistsError; ShapeMismatchError when reps do not fit; InvalidArgumentError
 * @example
 * await projectModel('mlp.onnx', 'mlp-sym.onnx', { reps: [V(S(3)), directSum(V(S(3)), V(S(3))), Scalar] });
 */
export async function projectModel(path: string, out: string, options: ProjectModelOptions): Promise<ProjectionReport> {
  const fn = 'projectModel';
  const reps = options?.reps;
  const proto = readModelFile(path, fn);
  if (!options.force && existsSync(out)) throw new OutputExistsError(`${fn}: '${out}' already exists; pass force: true to overwrite it`);
  const layers = findLinearLayers(proto.graph!);
  if (layers.length === 0) throw new UnsupportedModelError(`${fn}: '${path}' has no Gemm, MatMul or Conv node with constant weights`);
  if (!Array.isArray(reps) || reps.length !== layers.length + 1 || !reps.every((r) => r instanceof Representation)) {
    throw new InvalidArgumentError(`${fn}: 'reps' must hold ${layers.length + 1} Representations (one per boundary of the ${layers.length} weight layers); received ${Array.isArray(reps) ? reps.length : typeof reps}`);
  }
  if (options.group) {
    reps.forEach((r, k) => {
      if (r.group && r.group.key !== options.group!.key) {
        throw new InvalidArgumentError(`${fn}: 'reps'[${k}] is a representation of ${r.group.name}; expected ${options.group!.name}`);
      }
    });
  }
  const report: ProjectionReport['layers'] = [];
  for (const layer of layers) {
    const rin = reps[layer.index]!;
    const rout = reps[layer.index + 1]!;
    if (rin.dim !== layer.W.cols || rout.dim !== layer.W.rows) {
      throw new ShapeMismatchError(`${fn}: layer ${layer.index} ('${layer.name}') maps ${layer.W.cols} → ${layer.W.rows}; received reps[${layer.index}].dim = ${rin.dim} and reps[${layer.index + 1}].dim = ${rout.dim}`);
    }
    if (!layer.projectable) {
      report.push({ index: layer.index, name: layer.name, projected: false, removed: 0 });
      continue;
    }
    const node = layer.node;
    const P = equivariantProjector(rin, rout);
    const W2 = P.project(layer.W);
    storeWeights(node, layer.opType, layer.weight.tensor, W2, fn);
    if (layer.bias && layer.b) {
      const Q = invariantBasis(rout).basis;
      const b2 = Q.mulVec(Q.transpose().mulVec(layer.b));
      const beta = layer.opType === 'Gemm' ? floatAttribute(node, 'beta', 1) : 1;
      writeTensor(layer.bias.tensor, b2.map((v) => v / beta), fn);
    }
    const wn = layer.W.norm();
    report.push({ index: layer.index, name: layer.name, projected: true, removed: wn === 0 ? 0 : layer.W.sub(W2).norm() / wn });
  }
  writeModelFile(proto, path, out, options.force ?? false, fn);
  return { out, layers: report };
}
