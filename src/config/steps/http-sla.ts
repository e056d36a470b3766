/**
 * The `sla` of an httpRequest: the shared SLA decoder of `src/config/sla.ts` (also used by `customSla`), so both
 * read SLAs the same way (defaults, units, percentiles stored on HdrHistogram's 0..100 scale).
 */
export { slaCodec, slaListCodec as slaList } from '../sla.js';
