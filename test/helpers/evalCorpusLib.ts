// Corpus cases for lib-free versions of nixpkgs lib functions and registry/matrix helpers
// (compared with nix-instantiate by test/unit/eval-nix.test.ts): the pure files of the registry
// pattern cannot use `lib`, so they carry their own small helpers; these are written the way such
// helpers are, and exercise built-ins together.
const LIB = `let
  genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
  mapAttrsToList = f: s: map (n: f n s.\${n}) (builtins.attrNames s);
  filterAttrs = pred: s: builtins.listToAttrs (builtins.concatMap (n: if pred n s.\${n} then [ { name = n; value = s.\${n}; } ] else [ ]) (builtins.attrNames s));
  optionalAttrs = c: s: if c then s else { };
  optional = c: x: if c then [ x ] else [ ];
  hasPrefix = p: s: builtins.substring 0 (builtins.stringLength p) s == p;
  hasSuffix = x: s: let n = builtins.stringLength s; m = builtins.stringLength x; in n >= m && builtins.substring (n - m) m s == x;
  removePrefix = p: s: if hasPrefix p s then builtins.substring (builtins.stringLength p) (-1) s else s;
  splitString = sep: s: builtins.filter builtins.isString (builtins.split (builtins.replaceStrings [ "." "-" ] [ "\\\\." "\\\\-" ] sep) s);
  toUpper = builtins.replaceStrings (builtins.genList (i: builtins.substring i 1 "abcdefghijklmnopqrstuvwxyz") 26) (builtins.genList (i: builtins.substring i 1 "ABCDEFGHIJKLMNOPQRSTUVWXYZ") 26);
  unique = builtins.foldl' (acc: x: if builtins.elem x acc then acc else acc ++ [ x ]) [ ];
  flatten = x: if builtins.isList x then builtins.concatMap flatten x else [ x ];
  recursiveUpdate = a: b: a // builtins.mapAttrs (n: v: if builtins.isAttrs v && builtins.isAttrs (a.\${n} or null) then recursiveUpdate a.\${n} v else v) b;
  attrByPath = path: d: s: if path == [ ] then s else if builtins.isAttrs s && s ? \${builtins.head path} then attrByPath (builtins.tail path) d s.\${builtins.head path} else d;
  foldr = op: nul: list: let len = builtins.length list; go = i: if i == len then nul else op (builtins.elemAt list i) (go (i + 1)); in go 0;
  imap0 = f: list: builtins.genList (i: f i (builtins.elemAt list i)) (builtins.length list);
  last = list: builtins.elemAt list (builtins.length list - 1);
  range = a: b: if a > b then [ ] else builtins.genList (i: a + i) (b - a + 1);
  count = pred: builtins.foldl' (c: x: if pred x then c + 1 else c) 0;
  escapeShellArg = s: "'" + builtins.replaceStrings [ "'" ] [ "'\\\\''" ] s + "'";
  envName = key: toUpper (builtins.replaceStrings [ "-" "." ] [ "_" "_" ] key);
in`;

export const LIB_CASES: string[] = [
  `${LIB} genAttrs [ "lea" "emily" ] (m: "\${m}-host")`,
  `${LIB} mapAttrsToList (n: v: "\${n}=\${toString v}") { b = 2; a = 1; }`,
  `${LIB} filterAttrs (n: v: v.secret) { a = { secret = true; }; b = { secret = false; }; c = { secret = true; }; }`,
  `${LIB} [ (optionalAttrs true { x = 1; }) (optionalAttrs false { x = 1; }) (optional true "y") (optional false "y") ]`,
  `${LIB} map (s: [ (hasPrefix "grafana-" s) (hasSuffix "-key" s) (removePrefix "grafana-" s) ]) [ "grafana-admin" "api-key" "" ]`,
  `${LIB} [ (splitString "." "a.b..c") (splitString "-" "openrouter-api-key") (splitString ", " "x, y") ]`,
  `${LIB} map envName [ "openrouter" "grafana-admin" "cloudflare.account-id" ]`,
  `${LIB} unique [ "a" "b" "a" "c" "b" ]`,
  `${LIB} flatten [ 1 [ 2 [ 3 [ ] 4 ] ] [ [ 5 ] ] ]`,
  `${LIB} recursiveUpdate { a = { b = 1; c = 2; }; d = 3; } { a = { c = 20; e = 5; }; f = 6; }`,
  `${LIB} [ (attrByPath [ "a" "b" ] "none" { a.b = "here"; }) (attrByPath [ "a" "x" ] "none" { a.b = 1; }) (attrByPath [ ] 0 5) ]`,
  `${LIB} foldr (x: acc: "\${x}(\${acc})") "end" [ "a" "b" "c" ]`,
  `${LIB} imap0 (i: x: "\${toString i}:\${x}") [ "a" "b" ]`,
  `${LIB} [ (last [ 1 2 3 ]) (range 3 6) (range 2 1) (count (x: x > 1) [ 1 2 3 ]) ]`,
  `${LIB} map escapeShellArg [ "plain" "it's" "" ]`,
  // a registry built by helpers, a matrix with shared lists, and the generators a machine gets
  `${LIB} let
    mk = key: { generator ? "\${key}-secret", secret ? true, files ? [ "value" ] }: { inherit generator secret; envVar = envName key; files = genAttrs files (f: { inherit secret; }); };
    registry = builtins.mapAttrs mk { openrouter = { generator = "openrouter-api-key"; }; grafana-admin = { }; timezone = { secret = false; files = [ "tz" ]; }; };
    shared = [ "timezone" ];
    matrix = { lea = shared ++ [ "openrouter" ]; emily = shared ++ [ "grafana-admin" "openrouter" ]; };
    gens = keys: builtins.listToAttrs (map (k: { name = registry.\${k}.generator; value = registry.\${k}; }) keys);
  in builtins.mapAttrs (m: keys: builtins.attrNames (gens keys)) matrix`,
  `${LIB} let
    registry = { a = { generator = "g-a"; }; b = { generator = "g-b"; }; };
    check = keys: let bad = builtins.filter (k: !(registry ? \${k})) keys; in if bad == [ ] then keys else throw "Unknown secret keys: \${builtins.concatStringsSep ", " bad}";
  in [ (check [ "a" "b" ]) (builtins.tryEval (check [ "a" "zz" "yy" ])) ]`,
  `${LIB} let
    registry = { a = { generator = "g"; }; b = { generator = "g"; }; c = { generator = "h"; }; };
    byGen = builtins.groupBy (k: registry.\${k}.generator) (builtins.attrNames registry);
  in filterAttrs (g: keys: builtins.length keys > 1) byGen`,
  `${LIB} let
    validName = n: builtins.match "[a-z][a-z0-9-]*" n != null;
    keys = [ "ok-1" "Bad" "also_bad" "fine" ];
  in { valid = builtins.filter validName keys; invalid = builtins.filter (k: !(validName k)) keys; }`,
  `${LIB} let
    versions = { tool = "1.10.2"; other = "1.9"; };
    newest = builtins.head (builtins.sort (a: b: builtins.compareVersions versions.\${a} versions.\${b} > 0) (builtins.attrNames versions));
  in { inherit newest; parts = builtins.splitVersion versions.\${newest}; }`,
  `${LIB} builtins.toJSON (recursiveUpdate { validation = { name = "m"; }; } { validation.domains = genAttrs [ "zt" "lan" ] (d: d); })`,
  `${LIB} builtins.hashString "sha256" (builtins.toJSON { name = "cinnabar"; domains = genAttrs [ "zt" ] (d: d); })`,
];
