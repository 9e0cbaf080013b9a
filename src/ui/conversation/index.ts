export { ConversationPanel } from './ConversationPanel';
export { ConversationItemView } from './ConversationItemView';
export { ItemAudioView, itemWavBlob, canDrawWaveform } from './ItemAudioView';
export { TextComposer } from './TextComposer';
export { computePeaks } from './peaks';
