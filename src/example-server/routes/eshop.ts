import { cannedResponse, jsonArrayText } from '../response.js';
import type { RouteDefinition } from '../route.js';

const BASE = '/quickstarts/eshop';

/** One product in the warehouse. */
export interface Item {
  readonly id: number;
  readonly product: string;
  readonly units: number;
}

/** The stock the eshop quickstarts browse; buyers pick one of these ids (query `.[].id`). */
export const ITEMS: readonly Item[] = Object.freeze([
  { id: 418, product: 'Teapots', units: 123 },
  { id: 420, product: 'Various herbs', units: 321 },
  { id: 450, product: 'Magazines', units: 456 },
]);

const ok = cannedResponse(200);

/**
 * Eshop quickstarts (eshop, eshop-scale, eshop-forks): browse the item list, buy an item, and operators
 * restock random ids (1..999, so any id is accepted). Nothing is stateful: stock never changes.
 */
export const eshopRoutes: readonly RouteDefinition[] = [
  { method: 'GET', path: `${BASE}/items`, response: cannedResponse(200, {}, jsonArrayText(ITEMS)) },
  { method: 'POST', path: `${BASE}/items/:id/buy`, response: ok },
  { method: 'POST', path: `${BASE}/items/:id/restock`, response: ok },
];
