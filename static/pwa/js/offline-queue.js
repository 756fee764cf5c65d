// The offline queue: moments and kudos entered without a connection, kept in IndexedDB until
// the server has them. One record per entry, keyed by its client id, so storing the same
// entry twice is impossible and a retry reuses the id the server deduplicates on.
// The service worker (sw.js) opens the same database with the same stores.

const DB_NAME = 'kizuki';
const DB_VERSION = 1;

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('queue')) db.createObjectStore('queue', { keyPath: 'client_id' });
      if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta', { keyPath: 'key' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(store, mode, make) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const request = make(tx.objectStore(store));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** Every queued entry of `userId`, oldest first. */
export async function listEntries(userId) {
  const all = await run('queue', 'readonly', (store) => store.getAll());
  return all
    .filter((entry) => String(entry.user_id) === String(userId))
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** One entry by client id, or undefined. */
export const getEntry = (clientId) => run('queue', 'readonly', (store) => store.get(clientId));

/** Store (or replace) an entry: {type, client_id, user_id, payload, fields, created_at, status}. */
export const putEntry = (entry) => run('queue', 'readwrite', (store) => store.put(entry));

/** Forget an entry (sent, or discarded by its author). */
export const removeEntry = (clientId) => run('queue', 'readwrite', (store) => store.delete(clientId));

/** Remember who is signed in (and their CSRF token) for Background Sync in the worker. */
export const saveSession = (userId, csrf) =>
  run('meta', 'readwrite', (store) => store.put({ key: 'session', user_id: userId, csrf }));

/** Forget the signed-in person: the worker then sends nothing until someone signs in. */
export const clearSession = () => run('meta', 'readwrite', (store) => store.delete('session'));

/** The signed-in person recorded by the last page they opened, or undefined. */
export const getSession = () => run('meta', 'readonly', (store) => store.get('session'));
