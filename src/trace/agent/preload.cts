// nodescope/agent: preload the trace agent (`node -r nodescope/agent app.js`). It listens on an
// owner-only UNIX socket (no TCP port, no inspector) and stays for every later `nodescope trace`;
// it does nothing until a client loads a program.
import { attach } from './agent.cjs';

attach({ mode: 'resident' });
