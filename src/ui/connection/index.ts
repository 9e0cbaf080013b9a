export { ConnectionBar, ConnectButton, ConnectionStatusPill, ReconnectControls } from './ConnectionBar';
export { ErrorBanner } from './ErrorBanner';
export { SetupCheck } from './SetupCheck';
