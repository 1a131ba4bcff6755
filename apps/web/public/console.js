/* global document, window, URLSearchParams */
// Progressive enhancement only: every page works without this file.
import { initAll } from '/javascripts/govuk-frontend.min.js';

initAll();

// GOV.UK-style timeout warning: two minutes before the idle session ends, offer to stay signed in.
const warning = document.getElementById('timeout-warning');
if (warning) {
  const idleMs = Number(warning.dataset.idleSeconds) * 1000;
  const warnBeforeMs = Math.min(120_000, idleMs / 2);
  const dialog = warning.querySelector('[role=alertdialog]');
  const remaining = warning.querySelector('.console-timeout__remaining');
  let warnTimer;
  let endTimer;
  let tick;
  let lastFocus = null;
  const arm = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    clearInterval(tick);
    warnTimer = setTimeout(show, idleMs - warnBeforeMs);
    endTimer = setTimeout(() => window.location.assign('/sign-out'), idleMs - 5_000);
  };
  const show = () => {
    lastFocus = document.activeElement;
    const until = Date.now() + warnBeforeMs;
    const update = () => {
      const seconds = Math.max(0, Math.round((until - Date.now()) / 1000));
      remaining.textContent =
        seconds >= 60 ? `${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}` : `${seconds} seconds`;
    };
    update();
    tick = setInterval(update, 15_000);
    warning.hidden = false;
    dialog.focus();
  };
  document.getElementById('timeout-stay').addEventListener('click', async () => {
    const body = new URLSearchParams({ _csrf: warning.dataset.csrf });
    const response = await fetch('/session/keep-alive', {
      method: 'POST',
      body,
      credentials: 'same-origin',
      redirect: 'manual',
    });
    if (response.status !== 204) return window.location.assign('/sign-in');
    warning.hidden = true;
    lastFocus?.focus?.();
    arm();
  });
  warning.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') document.getElementById('timeout-stay').click();
  });
  arm();
}
