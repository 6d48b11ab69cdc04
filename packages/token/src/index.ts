export type { TokenKind, TokenFailure, TokenCheck, VerifyOptions } from './types.js';
export { verifyToken, MAX_TOKEN_LENGTH } from './verify.js';
export {
  buildRtmToken006,
  parseAccessToken006,
  Privilege006,
  VERSION_006,
  type AccessToken006,
} from './access-token-006.js';
export {
  buildRtmToken007,
  parseAccessToken007,
  ServiceType007,
  RTM_LOGIN_PRIVILEGE_007,
  VERSION_007,
  type AccessToken007,
  type Service007,
} from './access-token-007.js';
export {
  buildSignalingToken,
  parseSignalingToken,
  type SignalingToken,
} from './signaling-token.js';
