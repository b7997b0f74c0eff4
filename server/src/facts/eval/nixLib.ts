// The part of nixpkgs' `lib` that modules use to build generator sets (genAttrs, mapAttrs',
// listToAttrs through nameValuePair, filterAttrs, mkIf/mkMerge, ...) and module sets
// (`filesystem.listFilesRecursive`, through builtins.readDir: where the evaluation may list
// folders), written here in Nix from the functions' documented behaviour. The module-system
// wrappers keep nixpkgs' shape (`{ _type = "if"; condition; content; }`), so a reader can unwrap
// them as the module system does.
// The set is open: any other `lib` attribute is unknown, never an error.
import type { Context } from './context';
import { evalNode } from './evalNode';
import { parseSource } from './parseSource';
import type { SNode } from './ast';
import { Scope } from './thunk';
import { unknown, type Value } from './values';

const LIB_SOURCE = `
let
  nameValuePair = name: value: { inherit name value; };
  attrNames = builtins.attrNames;
  attrValues = builtins.attrValues;
  listToAttrs = builtins.listToAttrs;
  genAttrs = names: f: listToAttrs (map (n: nameValuePair n (f n)) names);
  mapAttrs = builtins.mapAttrs;
  mapAttrs' = f: set: listToAttrs (map (name: f name set.\${name}) (attrNames set));
  mapAttrsToList = f: set: map (name: f name set.\${name}) (attrNames set);
  filterAttrs = pred: set: listToAttrs (builtins.concatMap (name: if pred name set.\${name} then [ (nameValuePair name set.\${name}) ] else [ ]) (attrNames set));
  concatMapAttrs = f: set: builtins.foldl' (acc: x: acc // x) { } (attrValues (mapAttrs f set));
  foldr = op: nul: list: let len = builtins.length list; go = n: if n == len then nul else op (builtins.elemAt list n) (go (n + 1)); in go 0;
  flatten = x: if builtins.isList x then builtins.concatMap flatten x else [ x ];
  optional = cond: elem: if cond then [ elem ] else [ ];
  optionals = cond: elems: if cond then elems else [ ];
  optionalAttrs = cond: set: if cond then set else { };
  optionalString = cond: s: if cond then s else "";
  concatStrings = builtins.concatStringsSep "";
  concatMapStrings = f: list: concatStrings (map f list);
  concatMapStringsSep = sep: f: list: builtins.concatStringsSep sep (map f list);
  hasPrefix = prefix: s: builtins.substring 0 (builtins.stringLength prefix) s == prefix;
  hasSuffix = suffix: s: let ls = builtins.stringLength s; lx = builtins.stringLength suffix; in ls >= lx && builtins.substring (ls - lx) lx s == suffix;
  removePrefix = prefix: s: if hasPrefix prefix s then builtins.substring (builtins.stringLength prefix) (-1) s else s;
  removeSuffix = suffix: s: if hasSuffix suffix s then builtins.substring 0 (builtins.stringLength s - builtins.stringLength suffix) s else s;
  upper = [ "A" "B" "C" "D" "E" "F" "G" "H" "I" "J" "K" "L" "M" "N" "O" "P" "Q" "R" "S" "T" "U" "V" "W" "X" "Y" "Z" ];
  lower = [ "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n" "o" "p" "q" "r" "s" "t" "u" "v" "w" "x" "y" "z" ];
  toLower = builtins.replaceStrings upper lower;
  toUpper = builtins.replaceStrings lower upper;
  range = first: last: if first > last then [ ] else builtins.genList (n: first + n) (last - first + 1);
  imap0 = f: list: builtins.genList (n: f n (builtins.elemAt list n)) (builtins.length list);
  imap1 = f: list: builtins.genList (n: f (n + 1) (builtins.elemAt list n)) (builtins.length list);
  unique = builtins.foldl' (acc: e: if builtins.elem e acc then acc else acc ++ [ e ]) [ ];
  recursiveUpdate = lhs: rhs: lhs // mapAttrs (n: v: if lhs ? \${n} && builtins.isAttrs v && builtins.isAttrs lhs.\${n} then recursiveUpdate lhs.\${n} v else v) rhs;
  listFilesRecursive = dir: flatten (mapAttrsToList (name: type: if type == "directory" then listFilesRecursive (dir + "/\${name}") else dir + "/\${name}") (builtins.readDir dir));
  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkOrder = priority: content: { _type = "order"; inherit priority content; };
  strings = { inherit concatStrings concatMapStrings concatMapStringsSep hasPrefix hasSuffix removePrefix removeSuffix toLower toUpper optionalString; concatStringsSep = builtins.concatStringsSep; };
  any = builtins.any;
  all = builtins.all;
  lists = { inherit foldr flatten optional optionals range imap0 imap1 unique any all; foldl' = builtins.foldl'; };
  attrsets = { inherit nameValuePair genAttrs mapAttrs mapAttrs' mapAttrsToList filterAttrs concatMapAttrs optionalAttrs recursiveUpdate attrNames attrValues listToAttrs; };
in
strings // lists // attrsets // {
  filesystem = { inherit listFilesRecursive; };
  inherit strings lists attrsets mkIf mkMerge mkOverride mkOrder;
  mkDefault = mkOverride 1000;
  mkForce = mkOverride 50;
  mkBefore = mkOrder 500;
  mkAfter = mkOrder 1500;
  id = x: x;
  const = x: _: x;
  flip = f: a: b: f b a;
  pipe = builtins.foldl' (x: f: f x);
  concatLists = builtins.concatLists;
  concatMap = builtins.concatMap;
  head = builtins.head;
  tail = builtins.tail;
  length = builtins.length;
  elem = builtins.elem;
  elemAt = builtins.elemAt;
  filter = builtins.filter;
  hasAttr = builtins.hasAttr;
  getAttr = builtins.getAttr;
  isString = builtins.isString;
  isList = builtins.isList;
  isAttrs = builtins.isAttrs;
  isBool = builtins.isBool;
  isFunction = builtins.isFunction;
  genList = builtins.genList;
  replaceStrings = builtins.replaceStrings;
  concatStringsSep = builtins.concatStringsSep;
  stringLength = builtins.stringLength;
  substring = builtins.substring;
  toString = builtins.toString;
  zipAttrsWith = builtins.zipAttrsWith;
  catAttrs = builtins.catAttrs;
}
`;

/** The lib subset as an open set, evaluated in `ctx`. */
let libAst: SNode | undefined;

export function nixLib(ctx: Context): Value {
  // Our own source, parsed once per process and without a time budget: a parse that a busy
  // machine stretched past its budget would otherwise lose every generator built with lib.
  if (!ctx.parser) return unknown('lib');
  libAst ??= parseSource(ctx.parser, LIB_SOURCE, Number.POSITIVE_INFINITY);
  const v = evalNode(ctx, libAst, new Scope(null, null, null, false), { file: '<clan-vars lib>', dir: '.' });
  if (v.t !== 'attrs') return unknown('lib');
  v.open = true;
  return v;
}
