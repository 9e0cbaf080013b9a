// @testing-library/react only auto-cleans with Vitest globals on; we keep globals off, so clean up here.
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';

afterEach(() => {
  cleanup();
});
