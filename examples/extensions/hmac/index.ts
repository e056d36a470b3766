/** `hmac`: signs a variable's text with HMAC-SHA256 (hex) into another variable. The README's extension example. */
import { createHmac } from 'node:crypto';
import type { Extension, VarRef } from 'hyperfoil-ts/extension';

interface HmacConfig {
  readonly fromVar: VarRef;
  readonly toVar: VarRef;
  readonly key: string;
}

const extension: Extension = (api) => ({
  name: 'hmac',
  components: {
    // - hmac: {fromVar: body, toVar: signature, key: secret}
    hmac: api.action(api.object({
      fromVar: api.required(api.varRef, 'Variable whose text is signed.'),
      toVar: api.required(api.varRef, 'Variable receiving the hex HMAC-SHA256.'),
      key: api.required(api.nonEmptyStr(), 'The secret key.'),
    }, { what: 'hmac' }), (config: HmacConfig, cx) => {
      const from = cx.readVar(config.fromVar); // resolved once, when the scenario is compiled
      const to = cx.writeVar(config.toVar, 'object');
      return {
        run(session) { // runs per session: no closure, no lookup by name
          to.setObject(session, createHmac('sha256', config.key).update(String(from.getObject(session))).digest('hex'));
        },
      };
    }),
  },
});

export default extension;
