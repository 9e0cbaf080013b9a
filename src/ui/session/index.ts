export { SessionEditor } from './SessionEditor';
export { SessionDiff } from './SessionDiff';
