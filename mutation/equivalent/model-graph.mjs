// Equivalent survivors of the model folder in moduleGraph.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

export default [];
