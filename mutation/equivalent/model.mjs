// Equivalent survivors of the model folder (see ../equivalent.mjs).
import { eq } from './eq.mjs';

export default [];
