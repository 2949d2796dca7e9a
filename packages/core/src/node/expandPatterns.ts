/// <reference types="node" />
/**
 * File patterns → file lists for {@link readSampleInputs}: a file, a folder (its supported
 * files), or a glob with `*`, `?`, `[…]` classes (`[0-3]`, `[!a]`) and `**`. Node 20 has no `fs.glob`, and a small matcher
 * keeps core free of a glob dependency.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { EmptyInputError, InputFileError, InvalidArgumentError, describe } from '../errors.js';

/** The extensions {@link readSampleInputs} reads (lower case, with the dot). */
const SAMPLE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.npy', '.json', '.wav'] as const;

const isSupported = (path: string): boolean => (SAMPLE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
const hasWildcard = (segment: string): boolean => /[*?]|\[[^\]/]+\]/.test(segment);
/** Code-unit order: the same on every machine and locale. */
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One path segment of a glob as regular-expression source: `*`, `?`, `[abc]`, `[a-z]`, `[!a]` (`[^a]`); a `[` without its `]` is literal. */
function segmentSource(seg: string): string {
  let src = '';
  for (let i = 0; i < seg.length; i++) {
    const ch = seg[i]!;
    if (ch === '*') src += '[^/]*';
    else if (ch === '?') src += '[^/]';
    else if (ch === '[' && seg.indexOf(']', i + 2) > i) {
      const end = seg.indexOf(']', i + 2);
      let body = seg.slice(i + 1, end);
      const negate = body[0] === '!' || body[0] === '^';
      if (negate) body = body.slice(1);
      src += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else src += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return src;
}

/** A glob (relative to its static base, `/`-separated) as a regular expression. */
function globRegExp(rest: readonly string[]): RegExp {
  let src = '';
  rest.forEach((seg, k) => {
    const last = k === rest.length - 1;
    if (seg === '**') {
      src += last ? '.*' : '(?:[^/]+/)*';
      return;
    }
    src += segmentSource(seg);
    if (!last) src += '/';
  });
  return new RegExp(`^${src}$`);
}

/** A file, or a symlink to one (symlinked folders are not followed: no cycles). */
function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Every file under `dir` (relative, `/`-separated), hidden entries (a leading dot) left out. */
function walk(dir: string, options: { prefix?: string; depth: number }): string[] {
  const prefix = options.prefix ?? '';
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    // Without ** a glob of k segments never matches deeper than k levels: do not descend further.
    if (e.isDirectory()) {
      if (options.depth > 1) out.push(...walk(join(dir, e.name), { prefix: rel, depth: options.depth - 1 }));
    }
    else if (isFile(join(dir, e.name))) out.push(rel);
  }
  return out;
}

/**
 * The files of one pattern, sorted by code unit: a file itself; a folder's supported files (not
 * recursive); or the files a glob matches (`*` and `?` within one path segment, `**` any number
 * of folders; hidden files are never matched).
 * @throws InputFileError for a missing file or folder; EmptyInputError when nothing matches;
 *   InvalidArgumentError for a file with an unsupported extension
 */
export function expandPattern(pattern: string, fn: string): string[] {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    throw new InvalidArgumentError(`${fn}: 'patterns' must be non-empty strings (files, folders or globs); received ${describe(pattern)}`);
  }
  const unsupported = (file: string): InvalidArgumentError =>
    new InvalidArgumentError(`${fn}: '${file}' (from pattern '${pattern}') must have one of the extensions ${SAMPLE_EXTENSIONS.join(' ')}; received '${extname(file) || '(none)'}'`);
  const segments = pattern.split('/');
  // A file whose name has brackets (data[1].png) is that file, not a class.
  const literal = !/[*?]/.test(pattern) && isFile(pattern);
  const first = literal ? -1 : segments.findIndex(hasWildcard);
  if (first < 0) {
    let st;
    try {
      st = statSync(pattern);
    } catch {
      throw new InputFileError(`${fn}: 'patterns' entry '${pattern}' must be an existing file, folder or glob; no such file or folder`);
    }
    if (st.isDirectory()) {
      const files = readdirSync(pattern, { withFileTypes: true })
        .filter((e) => !e.name.startsWith('.') && isSupported(e.name) && isFile(join(pattern, e.name)))
        .map((e) => join(pattern, e.name))
        .sort(byCodeUnit);
      if (files.length === 0) throw new EmptyInputError(`${fn}: folder '${pattern}' must hold at least one file ending in ${SAMPLE_EXTENSIONS.join(' ')}; received none`);
      return files;
    }
    if (!isSupported(pattern)) throw unsupported(pattern);
    return [pattern];
  }
  const baseSegments = segments.slice(0, first);
  const base = baseSegments.length === 0 ? '.' : baseSegments.join('/') || '/';
  let rel: string[] = [];
  try {
    const rest = segments.slice(first);
    if (statSync(base).isDirectory()) rel = walk(base, { depth: rest.includes('**') ? Infinity : rest.length });
  } catch {
    rel = [];
  }
  const re = globRegExp(segments.slice(first));
  const files = rel.filter((r) => re.test(r)).map((r) => (baseSegments.length === 0 ? r : `${base === '/' ? '' : base}/${r}`)).sort(byCodeUnit);
  if (files.length === 0) throw new EmptyInputError(`${fn}: pattern '${pattern}' must match at least one file; it matched none`);
  const bad = files.find((f) => !isSupported(f));
  if (bad !== undefined) throw unsupported(bad);
  return files;
}
