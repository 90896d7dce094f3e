import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { setBackend } from './lib/backend';
import { tauriBackend } from './lib/backend/tauri';

setBackend(tauriBackend);

// Errors the window met, for the end-to-end suite to check there are none.
const errors: string[] = [];
(window as unknown as { __copydeskErrors: string[] }).__copydeskErrors = errors;
const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  errors.push(args.map(String).join(' '));
  consoleError(...args);
};
window.addEventListener('error', (event) => errors.push(String(event.message)));
window.addEventListener('unhandledrejection', (event) => errors.push(String(event.reason?.message ?? event.reason)));

export default mount(App, { target: document.getElementById('app')! });
