/**
 * Browser helpers shared by the report's and the live view's scripts (pasted into both): build elements with text
 * set through textContent, never as HTML.
 */
export const DOM_HELPERS = String.raw`function el(tag, cls, text) {
  var node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}
function add(parent, child) { parent.appendChild(child); return child; }
`;
