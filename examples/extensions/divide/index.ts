/**
 * `divide`: the custom step of Hyperfoil's quickstart 8, as an extension. `- divide: foo /= 3` (or
 * `{ fromVar, toVar, divisor }`) sets `toVar` to `fromVar / divisor`, truncated towards zero like Java's int
 * division, and waits until `fromVar` is set. Load it with `--extension examples/extensions/divide`.
 */
import type { Codec, Extension, ReadAccess, Session, Step, VarRef, WriteAccess } from 'hyperfoil-ts/extension';

interface DivideConfig {
  readonly fromVar: VarRef;
  readonly toVar: VarRef;
  /** Never 0. */
  readonly divisor: number;
}

class DivideStep implements Step {
  constructor(private readonly from: ReadAccess, private readonly to: WriteAccess, private readonly divisor: number) {}

  invoke(session: Session): boolean {
    if (!this.from.isSet(session)) return false; // blocked, nothing changed: the session retries when woken
    this.to.setInt(session, Math.trunc(this.from.getInt(session) / this.divisor) | 0);
    return true;
  }
}

const INT_MAX = 2147483647;

const extension: Extension = (api) => {
  const inline = api.inline<DivideConfig>('`variable /= divisor` such as `foo /= 3`', (text) => {
    const match = /^(.+?)\s*\/=\s*([-+]?\d+)$/.exec(text);
    if (!match) return api.fail(`expected \`variable /= divisor\` such as \`foo /= 3\`, got \`${text}\``);
    const ref = api.parseVarRef(match[1] ?? '');
    if (!ref.ok) return ref;
    const divisor = Number(match[2]);
    if (divisor === 0) return api.fail('divide: cannot divide by 0');
    if (Math.abs(divisor) > INT_MAX) return api.fail(`divide: ${divisor} is outside the int range`);
    return api.ok({ fromVar: ref.value, toVar: ref.value, divisor });
  });
  const mapping: Codec<DivideConfig> = api.map(api.object({
    fromVar: api.required(api.varRef, 'Int variable divided.'),
    toVar: api.required(api.varRef, 'Int variable receiving the quotient.'),
    divisor: api.required(api.int({ min: -INT_MAX - 1, max: INT_MAX }), 'Divisor (not 0).'),
  }, { what: 'divide' }), (value, node, cx) => {
    if (value.divisor !== 0) return value;
    cx.problem(node, 'divide: cannot divide by 0');
    return api.INVALID;
  });
  return {
    name: 'divide',
    components: {
      divide: api.step(api.forms('divide', { inline, mapping }),
        (config, cx) => new DivideStep(cx.readVar(config.fromVar), cx.writeVar(config.toVar, 'int'), config.divisor)),
    },
  };
};

export default extension;
