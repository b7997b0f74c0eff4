// Modules that declare no clan vars generators by construction: nixpkgs' own modules. clan vars
// generators are an option of clan-core's modules (`clan.core.vars`), which nixpkgs never imports,
// so a machine importing `modulesPath + "/installer/scan/not-detected.nix"` has nothing more for it.
import type { ModuleRef } from '../facts/types';

/**
 * nixpkgs' module folder or tree, as modules name it: the `modulesPath` module argument (nixpkgs'
 * `nixos/modules`; nix-darwin's own modules on darwin, which declare none either), `<nixpkgs/...>`,
 * and the source of nixpkgs from its packages (`pkgs.path`, `nixpkgs.path`).
 */
const NIXPKGS_TEXT = /^(?:import\s+)?(?:modulesPath\s*\+|"\$\{modulesPath\}\/|<nixpkgs[/>]|(?:pkgs|nixpkgs)\.path\s*\+|"\$\{(?:pkgs|nixpkgs)\.path\}\/)/;

/**
 * Whether a module reference is a module of nixpkgs (or nix-darwin's module folder): no files, no
 * generators. An input named `nixpkgs` counts too: clan itself takes the clan's `nixpkgs` input
 * as the nixpkgs its machines are built with (`self.inputs.nixpkgs`, lib/clan/default.nix).
 */
export function isNixpkgsModule(ref: ModuleRef): boolean {
  if (ref.input) return ref.input.name === 'nixpkgs';
  return ref.unknown !== undefined && NIXPKGS_TEXT.test(ref.unknown);
}
