export { Controls } from './Controls';
export { PushToTalk } from './PushToTalk';
export { LevelCanvas } from './LevelCanvas';
