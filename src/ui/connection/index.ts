export { ConnectionBar, ConnectButton, ConnectionStatusPill } from './ConnectionBar';
export { ErrorBanner } from './ErrorBanner';
export { SetupCheck } from './SetupCheck';
