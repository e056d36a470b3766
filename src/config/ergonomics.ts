/** `ergonomics:` — automatic behaviours added to every HTTP request, with Hyperfoil's defaults. */
import { bool, deprecated, INVALID, map, object, oneOf, optional } from './codec.js';
import type { Codec } from './codec.js';
import type { Ergonomics } from './model.js';
import { keyNodeOf } from './yaml-nodes.js';

export const DEFAULT_ERGONOMICS: Ergonomics = {
  repeatCookies: true,
  userAgentFromSession: true,
  autoRangeCheck: true,
  stopOnInvalid: true,
  followRedirect: 'NEVER',
  compensateInternalLatency: false,
};

export const ergonomicsCodec: Codec<Ergonomics> = map(object({
  repeatCookies: optional(bool, 'Store cookies from responses in the session and send them back. Default true.'),
  userAgentFromSession: optional(bool, 'Send `User-Agent` naming the session and the agent. Default true.'),
  autoRangeCheck: optional(bool, 'Mark 4xx and 5xx responses invalid. Default true.'),
  stopOnInvalid: optional(bool, 'Stop the session after an invalid response. Default true.'),
  followRedirect: optional(oneOf(['NEVER', 'LOCATION_ONLY', 'HTML_ONLY', 'ALWAYS'], { ignoreCase: true }),
    'Default for `httpRequest.handler.followRedirect`. Default NEVER.'),
  compensateInternalLatency: optional(bool,
    'In open-model phases, time the first request of a session from its scheduled start. Default false.'),
  privatePools: deprecated(bool, 'replaced by `http.connectionStrategy` in Hyperfoil 0.15'),
}, { what: '`ergonomics`', empty: () => ({}) }), (value, node, cx) => {
  if (value.privatePools !== undefined) {
    cx.problem(keyNodeOf(node, 'privatePools'), '`privatePools` is no longer accepted: set `connectionStrategy: SESSION_POOLS` in `http` instead');
    return INVALID;
  }
  return {
    repeatCookies: value.repeatCookies ?? DEFAULT_ERGONOMICS.repeatCookies,
    userAgentFromSession: value.userAgentFromSession ?? DEFAULT_ERGONOMICS.userAgentFromSession,
    autoRangeCheck: value.autoRangeCheck ?? DEFAULT_ERGONOMICS.autoRangeCheck,
    stopOnInvalid: value.stopOnInvalid ?? DEFAULT_ERGONOMICS.stopOnInvalid,
    followRedirect: value.followRedirect ?? DEFAULT_ERGONOMICS.followRedirect,
    compensateInternalLatency: value.compensateInternalLatency ?? DEFAULT_ERGONOMICS.compensateInternalLatency,
  };
});
