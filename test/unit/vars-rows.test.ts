// The vars view's machine rows and the machine pickers (issue 57): what needs doing first, in the
// user's words, and no name in the short text, which the sidebar cuts at its edge (the name is the
// row's label). Where the machine was found, and the names, are in the tooltip.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GeneratorStatus, MachineSource } from '../../server/src/lsp/protocol';
import { describeGenerator, describeMachine } from '../../client/src/vars/describeState';

function generator(name: string, state: GeneratorStatus['state'], movedFrom?: string): GeneratorStatus {
  return {
    name,
    machine: 'fast-nixos-box',
    state,
    validation: { kind: 'none' },
    files: [{ name: 'key', secret: true, state: state === 'generated' ? 'generated' : 'missing', kind: 'sops', path: '/c/vars/key', detail: '' }],
    declarations: [],
    dependents: [],
    why: 'declared',
    filesFromDisk: false,
    ...(movedFrom ? { movedFrom } : {}),
  } as GeneratorStatus;
}

const ALL: MachineSource[] = ['matrix', 'machines-dir', 'inventory', 'modules', 'vars'];
/** The model's names for where a machine was found: ours, not the user's. */
const INTERNAL = /machines-dir|\binventory\b|\bmatrix\b|\bmodules\b|\bvars\b/;

test('machine rows: what needs doing first, no names and none of our internal words in the short text', () => {
  const cases = [
    { name: 'fast-nixos-box', sources: ALL, generators: [generator('openssh', 'generated'), generator('wireguard-keys', 'missing')], missingInputs: ['fast-nixpkgs-fork'], legacy: 2 },
    { name: 'fast-nixos-box', sources: ['machines-dir', 'inventory', 'vars'] as MachineSource[], generators: [generator('openssh', 'generated')] },
    { name: 'fast-nixos-box', sources: ['inventory'] as MachineSource[], generators: [generator('openssh', 'generated'), generator('zerotier', 'missing', 'clan facts')] },
    { name: 'fast-nixos-box', sources: ['vars'] as MachineSource[], generators: [] },
  ];
  const shorts = cases.map((m) => describeMachine(m).short);
  assert.deepEqual(shorts, ['1 input not fetched · 1 of 2 to generate · 2 to migrate', '1 generated', '1 of 2 to generate · 1 value to move', 'no generators known']);
  for (const [i, s] of shorts.entries()) {
    assert.doesNotMatch(s, INTERNAL, s);
    for (const name of ['fast-nixos-box', 'fast-nixpkgs-fork', 'openssh', 'wireguard-keys']) assert.ok(!s.includes(name), `${name} in "${s}" (case ${i})`);
  }
  // the tooltip: where it was found in the clan's terms, the names of the inputs to fetch
  const long = describeMachine(cases[0]).long;
  assert.match(long, /^Machine fast-nixos-box, found in the registry matrix, its folder machines\/fast-nixos-box\/, the inventory, a clan\.machines module, vars stored for it/);
  assert.match(long, /'fast-nixpkgs-fork'/);
  assert.doesNotMatch(long, /machines-dir/);
});

test('generator rows: the state first, then how many problems (the icon shows their severity)', () => {
  const g = { ...generator('wireguard-key', 'generated'), problems: [{ severity: 'warning' as const, message: 'x' }] };
  assert.equal(describeGenerator(g, 'sops').short, 'generated · 1 warning');
  assert.equal(describeGenerator(generator('wireguard-key', 'missing'), 'sops').short, 'missing');
});
