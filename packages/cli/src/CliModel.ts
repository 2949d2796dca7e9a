/**
 * What every command needs from a model, whatever its kind: the adapters (@liesym/onnx,
 * @liesym/brain, @liesym/tfjs) behind one small interface.
 */
import type { DiscoveryResult, DiscreteTransformsCheck, Group, LayerSymmetryCheck, Matrix, Representation, SymmetryCheck } from '@liesym/core';
import type { AttributionResult, TransformsResult, TransformsRun } from './transformsAnalysis.js';

type ModelKind = 'onnx' | 'brain.js' | 'tfjs';

/** Options of {@link CliModel.discover}. */
interface DiscoverRun {
  candidate: 'gl-input' | 'gl-lift' | 'gl-input-output' | 'image' | 'signal';
  /** Layout of a 3-D image input for the 'image' candidate (--layout, else the model's guessed one). */
  layout?: 'NCHW' | 'NHWC';
  samples: number;
  seed: number;
  /** Sample inputs read from files (replace the `samples` random draws). */
  inputs?: Matrix;
  rtol?: number;
  onProgress?: (fraction: number) => void;
}

/** Options of {@link CliModel.check}. */
interface CheckRun {
  group: Group;
  repIn: Representation;
  repOut: Representation;
  samples: number;
  seed: number;
  /** Sample inputs read from files (replace the `samples` random draws). */
  inputs?: Matrix;
  tolerance?: number;
  onProgress?: (fraction: number) => void;
}

/** Options of {@link CliModel.checkDiscrete}. */
interface DiscreteRun {
  transforms: readonly string[];
  outputPermutation?: readonly number[];
  samples: number;
  seed: number;
  /** Sample inputs read from files (replace the `samples` random draws). */
  inputs?: Matrix;
  /** Image layout of the input (default NCHW). */
  layout?: 'NCHW' | 'NHWC';
  tolerance?: number;
  onProgress?: (fraction: number) => void;
}

/** One weight layer as the CLI shows it. */
export interface LayerRow extends LayerSymmetryCheck {
  name: string;
  shape: [number, number];
}

/** A weight node the model's reader found but could not read (ONNX), and why. */
export interface UnreadLayerRow {
  name: string;
  opType: string;
  /** Enclosing `If`/`Loop` nodes and subgraphs. */
  path: string[];
  reason: string;
}

/** What `project` changed in one layer. */
interface ProjectedLayer {
  name: string;
  /** ‖W − ΠW‖/‖W‖. */
  removed: number;
  projected: boolean;
}

/** Options of {@link CliModel.promote}. */
interface PromoteRun {
  out: string;
  force: boolean;
  x: number[][];
  y: number[][];
  reps?: readonly Representation[];
  candidate?: 'gl-input' | 'gl-lift' | 'gl-input-output';
  weight?: number;
  epochs?: number;
  learningRate?: number;
  batchSize?: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

/** A model opened by the CLI. */
export interface CliModel {
  kind: ModelKind;
  /** The path given on the command line. */
  path: string;
  /** Every file the model was read from (never written, not even with --force). */
  files: readonly string[];
  dimIn: number;
  dimOut: number;
  dtype: 'float32' | 'float64';
  /** How the engine gets derivatives: exact Jacobians (brain.js, tfjs) or finite differences (ONNX). */
  derivative: 'exact' | 'finite-difference';
  /** Per-sample input shape (ONNX and tfjs tensors; [dimIn] for brain.js). */
  sampleShape: readonly number[];
  /** e.g. "x [4] float32 → y [1]". */
  signature: string;
  /** The analyzed output node and why (ONNX: e.g. the logits before a Softmax). */
  output?: { name: string; reason: string };
  /** Milliseconds per sample of one batched evaluation, measured when the model was opened (ONNX); for run-time estimates. */
  msPerEvaluation?: number;
  /** The layout of a 3-D input when its shape does not decide (core's `guessImageLayout` fallback): 'NHWC' for tfjs, default 'NCHW'. */
  layoutFallback?: 'NCHW' | 'NHWC';
  /** Discrete checks by index maps (ONNX and tfjs inputs; brain.js: time-reversal on the input vector). */
  checkDiscrete?(run: DiscreteRun): Promise<DiscreteTransformsCheck>;
  /** Number of dense weight layers (for one representation per boundary). */
  layerCount(): number;
  discover(run: DiscoverRun): Promise<DiscoveryResult>;
  check(run: CheckRun): Promise<SymmetryCheck>;
  /** lie-deriv's local equivariance error per named transform (ONNX and tfjs image and signal inputs; brain.js: signal transforms). */
  transforms?(run: TransformsRun): Promise<TransformsResult>;
  /** lie-deriv's layer-wise attribution of the named transforms' errors (ONNX). */
  attribute?(run: TransformsRun): Promise<AttributionResult>;
  /** Nodes of the model's graph (ONNX), for cost estimates. */
  graphNodes?: number;
  layers(options: { reps: readonly Representation[]; tolerance?: number }): LayerRow[];
  /** Weight nodes that were not read, with the reason (ONNX; the others read every layer or refuse the model). */
  unreadLayers?(): UnreadLayerRow[];
  project(options: { out: string; force: boolean; group: Group; reps: readonly Representation[] }): Promise<{ layers: ProjectedLayer[]; after: LayerRow[] }>;
  promote(run: PromoteRun): Promise<{ loss: number[]; layers: Array<{ name: string; dimIn: number; dimOut: number; activation: string }> }>;
  close(): Promise<void>;
}

/** A dense layer y = σ(W·x + b) as read from a model (W dimOut×dimIn). */
export interface DenseLayer {
  name: string;
  W: Matrix;
  b: Float64Array | undefined;
}
