// Equivalent survivors of the rules folder (see ../equivalent.mjs).
import { eq } from './eq.mjs';

export default [];
