import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

// Placeholder shell until the console UI lands; it already honours the ready marker of the UI test contract.
function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 24 }}>
      <h1>Realtime Console</h1>
      <p>The console UI is being built. The local realtime endpoint is ws://localhost:4001/v1/realtime.</p>
    </main>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  document.documentElement.dataset.ready = 'true';
}
