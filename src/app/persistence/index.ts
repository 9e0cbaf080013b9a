// Session history in IndexedDB: the writer (started by main.tsx), the reading side for the history panel.
export * from './db';
export * from './repository';
export * from './recorder';
export * from './context';
