import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  ShapeMismatchError,
  createRng,
  guessImageLayout,
  imageIndexMaps,
  resolveDiscreteTransforms,
  resolveTransformFamilies,
  smoothFieldSampler,
} from '../src/index.js';

describe('guessImageLayout', () => {
  it('reads channels from the one end that looks like them, else the fallback', () => {
    expect(guessImageLayout([3, 32, 32])).toBe('NCHW');
    expect(guessImageLayout([28, 28, 1])).toBe('NHWC');
    expect(guessImageLayout([6, 8, 4])).toBe('NHWC'); // RGBA last
    expect(guessImageLayout([4, 8, 8])).toBe('NCHW');
    expect(guessImageLayout([8, 8, 8])).toBe('NCHW');
    expect(guessImageLayout([8, 8, 8], { fallback: 'NHWC' })).toBe('NHWC');
    expect(guessImageLayout([3, 8, 3])).toBe('NCHW'); // both ends: the fallback
    expect(guessImageLayout([3, 8, 3], { fallback: 'NHWC' })).toBe('NHWC');
    expect(guessImageLayout([28, 28], { fallback: 'NHWC' })).toBe('NHWC');
  });
});

describe('resolveTransformFamilies', () => {
  it('resolves image families with the guessed layout, equivariance on the same grid, invariance otherwise', () => {
    const logits = resolveTransformFamilies({ transforms: 'image', shape: [5, 6, 3], outputShape: [10] });
    expect(logits.input.layout).toBe('NHWC');
    expect(logits.input.dim).toBe(90);
    expect(logits.input.transforms).toHaveLength(10);
    expect(logits.output).toBeUndefined();
    const same = resolveTransformFamilies({ transforms: ['rotation', 'saturation'], shape: [3, 5, 6], outputShape: [1, 5, 6] });
    expect(same.input.layout).toBe('NCHW');
    // saturation needs 3 channels: an invariance on the 1-channel output.
    expect(same.output?.transforms.map((t) => t.name)).toEqual(['rotation']);
    const signal = resolveTransformFamilies({ transforms: ['gain'], shape: [16], outputShape: [16] });
    expect(signal.input.kind).toBe('signal');
    expect(signal.output).toBe(signal.input);
  });

  it('draws NHWC samples as the NCHW field reordered', () => {
    const { sampler } = resolveTransformFamilies({ transforms: 'image', shape: [6, 5, 3], outputShape: [2] });
    const x = sampler(createRng(7));
    const chw = smoothFieldSampler([3, 6, 5])(createRng(7));
    // pixel (i, j) = (2, 3), channel 1: x[(i·W + j)·C + c] = chw[(c·H + i)·W + j].
    expect(x[(2 * 5 + 3) * 3 + 1]).toBe(chw[(1 * 6 + 2) * 5 + 3]);
    expect(x[(2 * 5 + 3) * 3 + 1]).not.toBe(chw[(2 * 5 + 3) * 3 + 1]);
  });

  it('names the function, the argument and the shape in errors', () => {
    expect(() => resolveTransformFamilies({ transforms: 'signal', shape: [4, 4], outputShape: [1], fn: 'f', inputName: 'x' })).toThrow(ShapeMismatchError);
    expect(() => resolveTransformFamilies({ transforms: 'signal', shape: [4, 4], outputShape: [1], fn: 'f', inputName: 'x' })).toThrow(/f: signal transforms need input 'x'.*\[4, 4\]/);
    expect(() => resolveTransformFamilies({ transforms: 'image', shape: [16], outputShape: [1] })).toThrow(/image transforms need .*\[16\]/);
    expect(() => resolveTransformFamilies({ transforms: ['gain', 'rotation'], shape: [4, 4], outputShape: [1] })).toThrow(InvalidArgumentError);
    expect(() => resolveTransformFamilies({ transforms: [], shape: [4, 4], outputShape: [1] })).toThrow(/non-empty array/);
  });
});

describe('resolveDiscreteTransforms', () => {
  it('builds the index maps of the names with the guessed layout and the output permutation', () => {
    const [rev] = resolveDiscreteTransforms({ transforms: ['time-reversal'], shape: [5], dimOut: 2, outputPermutation: [1, 0] });
    expect(Array.from(rev!.input)).toEqual([4, 3, 2, 1, 0]);
    expect(Array.from(rev!.output!)).toEqual([1, 0]);
    const [flip] = resolveDiscreteTransforms({ transforms: ['flip-horizontal'], shape: [2, 3, 1], dimOut: 1 });
    expect(Array.from(flip!.input)).toEqual(Array.from(imageIndexMaps({ shape: [2, 3, 1], layout: 'NHWC', names: ['flip-horizontal'] })[0]!.input));
    expect(Array.from(flip!.input)).toEqual([2, 1, 0, 5, 4, 3]);
    expect(flip!.output).toBeUndefined();
  });

  it('refuses names that do not fit the shape and permutations of the wrong length', () => {
    expect(() => resolveDiscreteTransforms({ transforms: ['rotate180'], shape: [8], dimOut: 1, fn: 'g' })).toThrow(/g: 'rotate180' needs an image input/);
    expect(() => resolveDiscreteTransforms({ transforms: ['time-reversal'], shape: [2, 2, 2], dimOut: 1 })).toThrow(ShapeMismatchError);
    expect(() => resolveDiscreteTransforms({ transforms: ['mirror'], shape: [8], dimOut: 1 })).toThrow(/must be one of flip-horizontal.*mirror/);
    expect(() => resolveDiscreteTransforms({ transforms: ['time-reversal'], shape: [8], dimOut: 3, outputPermutation: [1, 0] })).toThrow(/permute the model's 3 outputs; received 2/);
  });
});
