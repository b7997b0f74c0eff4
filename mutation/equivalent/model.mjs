// Equivalent survivors of the model folder (see ../equivalent.mjs), one file per group of its sources.
import graph from './model-graph.mjs';
import lookup from './model-lookup.mjs';
import machine from './model-machine.mjs';
import machineKnown from './model-machine-known.mjs';
import computed from './model-computed.mjs';

export default [...graph, ...lookup, ...machine, ...machineKnown, ...computed];
