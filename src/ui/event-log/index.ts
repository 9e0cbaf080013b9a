export { EventLogPanel, type EventLogPanelProps } from './EventLogPanel';
export { EventList } from './EventList';
export { EventRow } from './EventRow';
export { EventComposer } from './EventComposer';
export { EventFilterBar } from './EventFilterBar';
export { clientEventTemplate, COMPOSER_TYPES } from './templates';
