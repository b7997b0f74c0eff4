// Equivalent survivors of the model folder in moduleLookup.ts, clanParts.ts and clanCoreToggles.ts (see ../equivalent.mjs).
import { eq } from './eq.mjs';

export default [];
