/**
 * The base of processors that need each item whole: parts are joined in a per-sequence-instance buffer until the
 * last part of the item (an item that comes in one part is used in place, without copying).
 */
import type { CompileContext } from '../compile-context.js';
import type { Session } from '../session.js';
import type { StateKey } from '../state.js';
import type { Processor } from '../step.js';
import { ByteAccumulator } from './data-format.js';

export function reserveAccumulator(cx: CompileContext): StateKey<ByteAccumulator> {
  return cx.reserveState({ create: () => new ByteAccumulator(), reset: (a) => a.clear(), perSequenceInstance: true });
}

export abstract class DefragProcessor implements Processor {
  constructor(private readonly accumulator: StateKey<ByteAccumulator>) {}

  before(_session: Session): void {}

  process(session: Session, data: Buffer, offset: number, length: number, isLastPart: boolean): void {
    const accumulator = session.state(this.accumulator);
    if (isLastPart && accumulator.isEmpty) {
      this.item(session, data, offset, length);
      return;
    }
    accumulator.append(data, offset, length);
    if (isLastPart) {
      try {
        this.item(session, accumulator.buffer, 0, accumulator.length);
      } finally {
        accumulator.clear();
      }
    }
  }

  after(session: Session): void {
    // An item whose last part never came (a truncated body) is dropped.
    session.state(this.accumulator).clear();
  }

  /** One whole item: `data[offset, offset + length)`, valid only during the call. */
  protected abstract item(session: Session, data: Buffer, offset: number, length: number): void;
}
