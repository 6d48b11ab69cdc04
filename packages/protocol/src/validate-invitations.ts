/** Validators of the call-invitation requests (see invitation-frames.ts). */
import type { Validator } from './validation.js';

export const invitationValidators: Record<string, Validator> = {};
