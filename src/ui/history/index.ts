export { HistoryPanel, exportRecording, sessionFileName } from './HistoryPanel';
export { HistoryButton } from './HistoryDialog';
export { SessionViewer } from './SessionViewer';
