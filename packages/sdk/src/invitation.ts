/** LocalInvitation (caller side) and RemoteInvitation (callee side). */
import { EventEmitter } from './emitter.js';

export class LocalInvitation extends EventEmitter {}
export class RemoteInvitation extends EventEmitter {}
