export { HistoryPanel, exportRecording } from './HistoryPanel';
export { sessionFileName, replayName } from './file-name';
export { HistoryButton } from './HistoryDialog';
export { SessionViewer } from './SessionViewer';
