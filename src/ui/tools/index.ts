export { ToolsPanel } from './ToolsPanel';
