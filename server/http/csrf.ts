/**
 * Cross-site request forgery rule for /graphql (README "CSRF"). A browser page on another site can
 * make a user's browser send two kinds of request without asking the server first (no CORS
 * preflight): a GET, and a POST whose content type is form-urlencoded, multipart or text/plain.
 * - POST is how mutations run, so a POST must show that it was not such a "simple" request: a
 *   content type other than those three (application/json: every GraphQL client sends it) or a
 *   non-empty `apollo-require-preflight` / `x-apollo-operation-name` header. A browser sends
 *   neither cross-site without a preflight, and the node answers no preflight. This is Apollo's
 *   own check, kept for POST.
 * - GET runs queries only: Apollo answers a mutation or subscription over GET with 405, and no
 *   query changes state. A forged GET can therefore change nothing, and its answer cannot be read
 *   by the foreign page (the node sends no CORS headers). So GET needs no preflight header, which
 *   is what urql's default (GET for queries) and `curl '…/graphql?query={…}'` send.
 * This stays safe because the node authenticates (when it does) with bearer tokens in the
 * Authorization header, never with cookies or other credentials a browser attaches by itself;
 * a cross-site request cannot carry a bearer token. Network position is the one ambient
 * credential left (a page reaching a node on localhost), which is why the POST rule stays.
 */
import type { IncomingMessage } from 'node:http';

const SIMPLE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
const PREFLIGHT_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name'];

export const CSRF_MESSAGE =
  'This request has been blocked as a potential cross-site request forgery (CSRF): send it with ' +
  "'content-type: application/json' (or a non-empty 'apollo-require-preflight' header). GET runs queries only and needs neither.";

/** True when the request could have been forged cross-site and would not be safe to run. */
export function blockedAsCsrf(req: IncomingMessage, method: string): boolean {
  if (method === 'GET' || method === 'HEAD') return false;
  const contentType = req.headers['content-type'];
  if (contentType !== undefined) {
    const essence = contentType.split(';')[0]!.trim().toLowerCase();
    if (!SIMPLE_CONTENT_TYPES.has(essence)) return false;
  }
  return !PREFLIGHT_HEADERS.some((header) => {
    const value = req.headers[header];
    return typeof value === 'string' && value.length > 0;
  });
}
