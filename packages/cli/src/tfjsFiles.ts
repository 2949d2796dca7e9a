/**
 * TensorFlow.js `model.json` + weight files read from and written to disk with plain `tf.io`
 * handlers (no tfjs-node): the format `model.save('file://…')` writes.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { ModelFileError } from '@liesym/core';
import { writeOutputFiles } from '@liesym/core/node';

/** A parsed model.json: its topology and weights manifest. */
export interface ModelJson {
  modelTopology: object;
  weightsManifest?: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: tf.io.TrainingConfig;
  userDefinedMetadata?: Record<string, unknown>;
}

/** The weight files a model.json names, resolved beside it; none may leave its folder. */
export function weightFiles(path: string, json: ModelJson): string[] {
  const fn = 'readTfjsModel';
  const manifest = json.weightsManifest ?? [];
  if (!Array.isArray(manifest) || !manifest.every((g) => Array.isArray(g?.paths) && Array.isArray(g?.weights))) {
    throw new ModelFileError(`${fn}: '${path}' has a malformed weightsManifest (expected [{ paths: [...], weights: [...] }])`);
  }
  return manifest.flatMap((g) =>
    g.paths.map((p) => {
      const rel = normalize(String(p));
      if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) throw new ModelFileError(`${fn}: '${path}' names weight file '${p}' outside its folder`);
      return join(dirname(path), rel);
    }),
  );
}

/** A tf.io load handler for a model.json on disk and the weight shards beside it. */
export function fileLoadHandler(path: string, json: ModelJson): tf.io.IOHandler {
  return {
    load: async () => {
      const files = weightFiles(path, json);
      const parts = files.map((f) => {
        try {
          return readFileSync(f);
        } catch (e) {
          throw new ModelFileError(`readTfjsModel: weight file '${f}' of '${path}' cannot be read: ${(e as Error).message}`);
        }
      });
      const all = Buffer.concat(parts);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: (json.weightsManifest ?? []).flatMap((g) => g.weights),
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        ...(json.format !== undefined ? { format: json.format } : {}),
        ...(json.generatedBy !== undefined ? { generatedBy: json.generatedBy } : {}),
        ...(json.convertedBy !== undefined ? { convertedBy: json.convertedBy } : {}),
        ...(json.trainingConfig !== undefined ? { trainingConfig: json.trainingConfig } : {}),
      };
    },
  };
}

/**
 * A tf.io save handler writing `out` (a model.json) and its weights `<stem>.weights.bin` beside
 * it under core's file rules: both refused if they exist (unless `force`) or are an input;
 * temporary files renamed into place; a failure leaves neither.
 */
export function fileSaveHandler(out: string, rules: { inputs: readonly string[]; force: boolean }): tf.io.IOHandler {
  const bin = `${basename(out).replace(/\.json$/i, '')}.weights.bin`;
  return {
    save: async (artifacts) => {
      const data = artifacts.weightData;
      const chunks = data === undefined ? [] : Array.isArray(data) ? data : [data];
      const weights = Buffer.concat(chunks.map((c) => new Uint8Array(c)));
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: 'liesym',
        weightsManifest: [{ paths: [bin], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
      };
      writeOutputFiles(
        [
          { path: join(dirname(out), bin), data: weights },
          { path: out, data: `${JSON.stringify(json)}\n` },
        ],
        { ...rules, fn: '-o', forceHint: '--force' },
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.length } };
    },
  };
}

/** The files {@link fileSaveHandler} writes for `out`. */
export function savedFiles(out: string): string[] {
  return [join(dirname(out), `${basename(out).replace(/\.json$/i, '')}.weights.bin`), out];
}
