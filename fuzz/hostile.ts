// Builds a directory of everything a checker may meet and must survive: a FIFO and a directory
// named x.nix, symlink loops, dangling links, invalid UTF-8, NUL bytes, deep nesting, a sparse
// 50 MB file, plus one real mistake the checker must still report. `heavy` adds a 50 MB file of
// real Nix text.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeHostileTree(root: string, options: { heavy?: boolean } = {}): void {
  const w = (rel: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  };
  w('flake.nix', '{ }\n');
  w('machines/mistake.nix', '{ clan.core.vars.generators.a.dependencies = [ "nope" ]; }\n');
  execFileSync('mkfifo', [path.join(root, 'fifo.nix')]); // reading it would block forever
  w('dir.nix/inner.nix', '{ clan.core.vars.generators.inner.files.k = { }; }\n');
  fs.symlinkSync('.', path.join(root, 'loop')); // a directory loop
  fs.symlinkSync('self.nix', path.join(root, 'self.nix')); // ELOOP
  fs.symlinkSync('b.nix', path.join(root, 'a.nix'));
  fs.symlinkSync('a.nix', path.join(root, 'b.nix'));
  fs.symlinkSync('missing.nix', path.join(root, 'dangling.nix'));
  fs.symlinkSync('..', path.join(root, 'machines', 'up'));
  fs.symlinkSync('/', path.join(root, 'rootfs')); // must not index the machine
  fs.symlinkSync(path.dirname(root), path.join(root, 'machines', 'parent'));
  w('invalid-utf8.nix', Buffer.from([0x7b, 0x20, 0x61, 0x20, 0x3d, 0x20, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x3b, 0x20, 0x7d]));
  w('nul.nix', Buffer.from('{ a = 1; }\0\0\0'));
  w('bom.nix', '\ufeff{ clan.core.vars.generators.bom.files.k = { }; }\n');
  // `# imports`: a word the extraction looks for, so that the text is parsed (facts/file.ts unparsedFacts)
  w('deep-lists.nix', '# imports\n' + '[\n'.repeat(10_000) + ']\n'.repeat(10_000));
  w('deep-sets.nix', '{ clan.core.vars.generators.deep = ' + '{ a =\n'.repeat(10_000) + '1' + '; }\n'.repeat(10_000) + '; }\n');
  w('deep-parens.nix', '{ clan.core.vars.generators.x =\n' + '(\n'.repeat(10_000) + '{ dependencies = [ "y" ]; }' + ')\n'.repeat(10_000) + '; }\n');
  w('deep-interp.nix', '{ clan.core.vars.generators.g.script = "' + '${\n'.repeat(10_000) + 'x' + '}\n'.repeat(10_000) + '"; }\n');
  w('long-line.nix', '{ a = "' + 'x'.repeat(100_000) + '"; }\n');
  w('slow-parse.nix', '# imports\n{ a = ' + 'a.'.repeat(8000) + '\n');
  // 14 interpolations in a generator name against a 40-character dependency: a backtracking
  // wildcard regex would run for minutes
  w('machines/wildcards.nix', '{ n, ... }: { clan.core.vars.generators."' + '${n}'.repeat(14) + 'z".files.k = { };\n' +
    '  clan.core.vars.generators.w.dependencies = [ "' + 'a'.repeat(40) + '" ]; }\n');
  // a ring of 3,000 generators: diagnostics must stay linear in size
  w('machines/ring.nix', '{\n' + ringOf('ring', 3000) + '}\n');
  // files the server reads beside the Nix source, pointing at endless devices or blocking FIFOs
  execFileSync('mkfifo', [path.join(root, 'inventory.json')]);
  w('vars/per-machine/m/gen/k/value', 'v\n');
  fs.symlinkSync('/dev/zero', path.join(root, 'vars/per-machine/m/gen/.validation-hash'));
  w('sops/users/eve/.keep', '');
  fs.symlinkSync('/dev/zero', path.join(root, 'sops/users/eve/key.json'));
  w('sops/machines/m/.keep', '');
  execFileSync('mkfifo', [path.join(root, 'sops/machines/m/key.json')]);
  w('vars/per-machine/m/gen/s/secret', '{"data": "ENC[AES256_GCM,data:x,iv:x,tag:x,type:str]", "sops": {}}');
  fs.symlinkSync('../../../../../../sops/users/eve', path.join(root, 'vars/per-machine/m/gen/s/users-eve'));
  fs.closeSync(fs.openSync(path.join(root, 'sparse-50mb.nix'), 'w'));
  fs.truncateSync(path.join(root, 'sparse-50mb.nix'), 50_000_000);
  if (options.heavy) {
    for (let r = 0; r < 50; r++) w(`machines/rings/r${r}.nix`, '{\n' + ringOf(`r${r}-`, 3000) + '}\n');
    const line = '  k = { generator = "g"; };\n';
    const fd = fs.openSync(path.join(root, 'huge-50mb.nix'), 'w');
    fs.writeSync(fd, '{\n');
    const chunk = line.repeat(10_000);
    for (let n = 0; n < 50_000_000; n += chunk.length) fs.writeSync(fd, chunk);
    fs.writeSync(fd, '}\n');
    fs.closeSync(fd);
  }
}

/** `size` generators, each depending on the next, the last on the first. */
function ringOf(prefix: string, size: number): string {
  let out = '';
  for (let i = 0; i < size; i++) out += `  clan.core.vars.generators.${prefix}${i}.dependencies = [ "${prefix}${(i + 1) % size}" ];\n`;
  return out;
}
