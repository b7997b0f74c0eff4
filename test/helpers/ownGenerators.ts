// The generators a test clan's own modules give a machine: clan-core's own (state-version, on by
// default on every NixOS machine; machine-id) left out, for tests about how modules reach machines.
// test/unit/model-clan-core-toggles.test.ts is about those.
const CLAN_CORE_OWN = new Set(['state-version', 'machine-id']);

export function ownGenerators(names: Iterable<string>): string[] {
  return [...names].filter((n) => !CLAN_CORE_OWN.has(n));
}
