/**
 * The wire of the `ws` baselines B0 and B1: one JSON object per text frame, the shape every
 * chat tutorial uses. Requests with `i` get `{"t":"ok","i":…}` back.
 *
 * client → server
 *   {"t":"hello","i":1,"u":"alice"}          who I am
 *   {"t":"join","i":2,"r":"room"}            join a room; the other members get `joined`
 *   {"t":"leave","i":3,"r":"room"}           leave it; the other members get `left`
 *   {"t":"pub","r":"room","d":"…"}           to every other member of the room
 *   {"t":"dm","to":"bob","d":"…"}            to one user
 * server → client
 *   {"t":"msg","r":"room","f":"alice","d":"…","ts":…}
 *   {"t":"dm","f":"alice","d":"…","ts":…}
 *   {"t":"joined"|"left","r":"room","u":"alice"}
 */
export type JsonRequest =
  | { t: 'hello'; i: number; u: string }
  | { t: 'join' | 'leave'; i: number; r: string }
  | { t: 'pub'; r: string; d: string }
  | { t: 'dm'; to: string; d: string };
