/** Rules for user ids and channel ids, shared by the SDK and the server. */
import { Limits } from './limits.js';

// The RTM 1.x character set: a-z A-Z 0-9 space ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ ,
const ID_PATTERN = /^[ A-Za-z0-9!#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,64}$/;

export const ID_RULE =
  '1-64 characters of a-z A-Z 0-9 space and !#$%&()+-:;<=.>?@[]^_{}|~, other than "null"';

/** True for a valid uid or channel id. Every allowed character is ASCII, so chars = bytes. */
export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && id !== 'null' && ID_PATTERN.test(id);
}

const APP_ID_PATTERN = new RegExp(`^[A-Za-z0-9_.-]{1,${Limits.maxAppIdBytes}}$`);

/** App ids (Agora's are 32 hex characters): 1–64 of A-Z a-z 0-9 _ . - */
export function isValidAppId(id: unknown): id is string {
  return typeof id === 'string' && APP_ID_PATTERN.test(id);
}
