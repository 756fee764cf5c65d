// The offline queue for the page modules: moments and kudos entered without a connection,
// kept in IndexedDB until the server has them, and sent one at a time. The rules themselves
// live in queue-core.js, a classic script the service worker loads too, so the pages and the
// worker can never disagree about an entry.

import './queue-core.js';

const core = globalThis.KizukiQueue;

export const {
  FORM_TYPES,
  newClientId,
  fieldsOf,
  toPayload,
  newEntry,
  listEntries,
  getEntry,
  putEntry,
  removeEntry,
  saveSession,
  clearSession,
  getSession,
  syncQueue,
} = core;
