// Equivalent survivors of the model folder in machineModel.ts and registryMachines.ts (see ../equivalent.mjs): what the machine model knows of a machine's generators.
import { eq } from './eq.mjs';

const R = 'server/src/model/registryMachines.ts';

export default [
  eq(R, 'ArrayDeclaration', '[]', '["Stryker was here"]', "registryGeneratorsOf's fallback for a registry the generator index has no list of, never taken: clan.registry exists only with the registry file's facts (scanned, so the index lists it) or its evaluation's registry (GeneratorIndex.setFile then lists the file with the evaluation's generators); the other [] (no registry) is killed by model-machine-known", 'registryGeneratorsOf'),
];
