/** Validators of the channel, attribute and metadata requests (see channel-frames.ts). */
import type { Validator } from './validation.js';

export const channelValidators: Record<string, Validator> = {};
