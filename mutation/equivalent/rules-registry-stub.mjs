// Equivalent survivors of rules/registryStub.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

const STUB = 'server/src/rules/registryStub.ts';

export default [
  eq(STUB, 'LogicalOperator', 'style.template && old', 'style.template || old', "registryStyle (the only maker of style; mergeEvaluatedRegistry copies the literal one) sets template and templateKey together from the same binding or leaves both null, so && and || agree", 'registryStubFix'),
  eq(STUB, 'Regex', '/^("[^"]*"|[^\\s=]+)/', '/("[^"]*"|[^\\s=]+)/', "the template is a binding's text, which starts with its attrpath (an identifier or a quoted name, never whitespace or =): [^\\s=]+ matches at offset 0, so the leftmost match is the same with or without ^", 'registryStubFix'),
  eq(STUB, 'OptionalChaining', 'entry?.generator', 'entry.generator', "templateKey is the last single-name binding of the registry's top-level set, which extractRegistry reads as an entry of the same name (nameRefOf of the one part); an evaluated registry keeps every key of the shapes topLevel understands (let, function headers, //), so the entry is always found", 'registryStubFix'),
];
