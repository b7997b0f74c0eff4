// Equivalent survivors of the model folder in machineModel.ts and sharing.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

export default [];
