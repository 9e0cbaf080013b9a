/** The realtime protocol library: wire types, format table and (as they land) the client. */
export * from './protocol';
export * from './formats';
