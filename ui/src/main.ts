import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { setBackend } from './lib/backend';
import { tauriBackend } from './lib/backend/tauri';

setBackend(tauriBackend);

export default mount(App, { target: document.getElementById('app')! });
