#!/usr/bin/env node
/** The `liesym` command line: analyze, check and project ONNX models (see runCli). */
import { runCli } from './runCli.js';

process.exitCode = await runCli(process.argv.slice(2));
