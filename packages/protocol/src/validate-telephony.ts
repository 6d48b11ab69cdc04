/** Validators of the telephony requests (see telephony-frames.ts). */
import type { Validator } from './validation.js';

export const telephonyValidators: Record<string, Validator> = {};
