// A thread of bench/floor.ts: reads and parses the next file until none is left, then says so.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { Language, Parser } from 'web-tree-sitter';

const { files, next, wasm } = workerData;
await Parser.init({ locateFile: () => path.join(wasm, 'tree-sitter.wasm') });
const parser = new Parser();
parser.setLanguage(await Language.load(fs.readFileSync(path.join(wasm, 'tree-sitter-nix.wasm'))));
for (let i = Atomics.add(next, 0, 1); i < files.length; i = Atomics.add(next, 0, 1)) parser.parse(fs.readFileSync(files[i], 'utf8')).delete();
parentPort.postMessage('done');
