// offcode's browser verifier: the shell around offcode.wasm. It runs the
// camera, keeps the accepted trust bundle in IndexedDB, syncs it from the
// server, and renders verdicts. Every decision (scanning, verifying, whether
// a bundle is accepted) is made by the Go code in the Web Worker.
'use strict';

const $ = (id) => document.getElementById(id);

// ---- Text, Chinese by default, with English ----

const TEXT = {
  zh: {
    title: '离线码核验', hint: '将二维码对准框内', camera: '打开摄像头', picture: '打开图片', next: '下一位',
    'id.placeholder': '核对身份证号（可选）', 'id.check': '核对',
    green: '绿码', yellow: '黄码', red: '红码', rejected: '不通过', none: '无法核验',
    personal: '个人码', kin: '亲属码',
    left: (d) => `有效 · 剩余 ${d}`, stale: (d) => `⚠ 信任数据已过期 ${d}，请联网同步`,
    day: '天', hour: '小时', minute: '分钟',
    trustNone: '尚无信任数据 · 请联网同步', trustHeld: (s, e) => `信任数据 第${s}版 · 有效至 ${e}`,
    trustStale: (s, d) => `信任数据 第${s}版 · 已过期 ${d}`, offline: '离线', synced: '已同步',
    refused: (m) => `服务器的信任数据被拒绝：${m}`, notProvisioned: '未配置根公钥，无法核验',
    notFound: '图片中没有找到二维码', notOffcode: '这不是离线码', cameraFailed: '无法打开摄像头',
    idMatch: (ms) => `✓ 身份证号一致（${ms} 毫秒）`, idMismatch: '✗ 身份证号不一致', idBad: '✗ 身份证号格式有误',
    reasons: {
      expired: '过期', not_yet_valid: '尚未生效', revoked: '已撤销', identity_revoked: '已撤销（此人的码）',
      key_revoked: '签发密钥已撤销', key_not_valid: '签发密钥不在有效期内', kind_not_allowed: '签发机构无权签发此类码',
      unknown_kid: '未知的签发机构', bad_signature: '签名无效', noncanonical_signature: '签名无效',
      stale_trust: '信任数据过期', window_too_long: '有效期过长', no_trust: '尚无信任数据，请联网同步',
      format: '不是有效的离线码（格式错误）',
    },
  },
  en: {
    title: 'Offline code check', hint: 'Hold the QR code inside the frame', camera: 'Open camera', picture: 'Open a picture', next: 'Next',
    'id.placeholder': 'Check ID number (optional)', 'id.check': 'Check',
    green: 'GREEN', yellow: 'YELLOW', red: 'RED', rejected: 'REFUSED', none: 'CANNOT CHECK',
    personal: 'Personal code', kin: 'KINSHIP code',
    left: (d) => `Valid · ${d} left`, stale: (d) => `⚠ Trust data expired ${d} ago — sync online`,
    day: 'd', hour: 'h', minute: 'min',
    trustNone: 'No trust data · sync online', trustHeld: (s, e) => `Trust data #${s} · valid until ${e}`,
    trustStale: (s, d) => `Trust data #${s} · expired ${d} ago`, offline: 'offline', synced: 'synced',
    refused: (m) => `The server's trust data was refused: ${m}`, notProvisioned: 'No root key provisioned; cannot verify',
    notFound: 'No QR code found in the picture', notOffcode: 'Not an offline code', cameraFailed: 'Cannot open the camera',
    idMatch: (ms) => `✓ ID number matches (${ms} ms)`, idMismatch: '✗ ID number does not match', idBad: '✗ Not a valid ID number',
    reasons: {
      expired: 'Expired', not_yet_valid: 'Not yet valid', revoked: 'Revoked', identity_revoked: 'Revoked (this person)',
      key_revoked: 'Issuer key revoked', key_not_valid: 'Issuer key not valid then', kind_not_allowed: 'Issuer may not sign this kind',
      unknown_kid: 'Unknown issuer', bad_signature: 'Invalid signature', noncanonical_signature: 'Invalid signature',
      stale_trust: 'Trust data expired', window_too_long: 'Validity too long', no_trust: 'No trust data; sync online',
      format: 'Not a valid offline code (bad format)',
    },
  },
};

let lang = localStorage.getItem('offcode.lang') === 'en' ? 'en' : 'zh';
const t = (k) => TEXT[lang][k];

function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}${t('day')}${h}${t('hour')}`;
  if (h > 0) return `${h}${t('hour')}${m}${t('minute')}`;
  return `${m}${t('minute')}`;
}

function applyLanguage() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.querySelectorAll('[data-i18n-placeholder]').forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
  $('lang').textContent = lang === 'zh' ? 'EN' : '中文';
  document.title = t('title');
  showTrust();
  if (current) renderVerdict(current);
}

// ---- The worker running offcode.wasm ----

const worker = new Worker('worker.js');
const pending = new Map();
let nextID = 0;
worker.onmessage = (ev) => {
  if (ev.data.fatal) { status(ev.data.fatal); return; }
  const resolve = pending.get(ev.data.id);
  pending.delete(ev.data.id);
  resolve(ev.data.out);
};
function call(fn, args, transfer) {
  return new Promise((resolve) => {
    const id = ++nextID;
    pending.set(id, resolve);
    worker.postMessage({ id, fn, args }, transfer || []);
  });
}

function status(msg) { $('status').textContent = msg; }

// ---- Trust: IndexedDB and sync ----

function db() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('offcode-verifier', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('trust');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
async function dbGet(key) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const req = d.transaction('trust').objectStore('trust').get(key);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
async function dbPut(key, value) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const tx = d.transaction('trust', 'readwrite');
    tx.objectStore('trust').put(value, key);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

let config = null;
let trust = { held: false };
let syncState = '';

async function showTrust() {
  if (!config) return;
  if (!config.roots.length) { setTrust('none', t('notProvisioned')); return; }
  trust = await call('info', [Date.now()]);
  let text, state;
  if (!trust.held) {
    text = t('trustNone'); state = 'none';
  } else if (trust.staleSeconds > 0) {
    text = t('trustStale')(trust.sequence, duration(trust.staleSeconds)); state = 'stale';
  } else {
    text = t('trustHeld')(trust.sequence, new Date(trust.expiresAt).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB'));
    state = 'ok';
  }
  if (syncState === 'offline') text += ' · ' + t('offline');
  if (syncState.startsWith('refused:')) { text += ' · ' + t('refused')(syncState.slice(8)); state = 'refused'; }
  setTrust(state, text);
}
function setTrust(state, text) {
  const el = $('trust');
  el.dataset.state = state;
  el.dataset.sequence = trust.held ? String(trust.sequence) : '';
  el.dataset.sync = syncState;
  el.textContent = text;
}

// sync fetches the bundle or the delta since the sequence held and offers
// it to the Go side, which refuses anything older; only an accepted bundle
// is stored.
async function sync() {
  if (!config || !config.roots.length) return;
  const url = new URL(config.bundleURL, location.href);
  if (trust.held) url.searchParams.set('since', String(trust.sequence));
  let res;
  try {
    res = await fetch(url, { cache: 'no-store' });
  } catch (e) {
    syncState = 'offline';
    await showTrust();
    return;
  }
  if (res.status === 204) {
    syncState = 'synced';
  } else if (res.ok) {
    const data = new Uint8Array(await res.arrayBuffer());
    const r = await call('accept', [data], [data.buffer]);
    if (r.error) {
      syncState = 'refused:' + r.error;
    } else if (r.accepted) {
      await dbPut('bundle', { sequence: r.sequence, payload: r.payload, syncedAt: Date.now() });
      syncState = 'synced';
    } else if (r.upToDate) {
      syncState = 'synced';
    } else {
      syncState = 'refused:' + r.verdict;
      console.warn('offcode: bundle refused:', r.message);
    }
  } else {
    syncState = 'offline';
  }
  await showTrust();
}

// ---- Verdicts ----

let current = null; // the verdict shown
let lastText = '', lastSeen = 0; // the same code in a row is shown once
let shown = 0; // verdicts shown, for tests
const FORMAT_VERDICTS = new Set(['too_large', 'bad_prefix', 'bad_base45', 'malformed', 'trailing_bytes',
  'indefinite_length', 'duplicate_key', 'noncanonical_cbor', 'bad_tag', 'unsupported_alg', 'missing_kid',
  'bad_header', 'missing_claim', 'unknown_claim', 'bad_claim']);

function onResult(r) {
  if (r.error) { status(r.error); return; }
  if (!r.found) return;
  const now = Date.now();
  const repeat = r.text === lastText && now - lastSeen < 3000;
  lastText = r.text; lastSeen = now;
  if (repeat) return;
  current = r;
  renderVerdict(r);
  document.body.dataset.shown = String(++shown);
  tone(r.verdict === 'valid');
}

function renderVerdict(r) {
  const v = $('verdict');
  v.hidden = false;
  v.dataset.verdict = r.verdict;
  v.dataset.colour = r.decoded ? r.colour : '';
  v.dataset.kind = r.decoded ? r.kind : '';
  const valid = r.verdict === 'valid';
  v.dataset.screen = valid ? r.colour : (r.verdict === 'no_trust' ? 'none' : 'rejected');
  $('v-word').textContent = valid ? t(r.colour) : t(r.verdict === 'no_trust' ? 'none' : 'rejected');
  $('v-kind').textContent = r.decoded ? t(r.kind) + (valid ? '' : ' · ' + t(r.colour)) : '';
  const reasons = t('reasons');
  if (valid) {
    $('v-detail').textContent = t('left')(duration((r.expiresAt - Date.now()) / 1000));
  } else {
    $('v-detail').textContent = reasons[r.verdict] || (FORMAT_VERDICTS.has(r.verdict) ? reasons.format : r.verdict);
  }
  $('v-detail').title = r.message || '';
  $('v-stale').textContent = r.staleSeconds > 0 ? t('stale')(duration(r.staleSeconds)) : '';
  $('idform').hidden = !valid;
  $('id-result').textContent = '';
  $('id-result').dataset.idVerdict = '';
}

function hideVerdict() {
  $('verdict').hidden = true;
  current = null;
}

// Two tones, as handheld scanners do: one short high beep for a valid code,
// two low buzzes for a refused one.
let audio = null;
function tone(ok) {
  document.body.dataset.tone = ok ? 'valid' : 'rejected';
  try {
    audio = audio || new AudioContext();
    if (audio.state === 'suspended') audio.resume();
    const beeps = ok ? [[0, 0.12, 1760]] : [[0, 0.18, 220], [0.25, 0.18, 220]];
    for (const [at, len, freq] of beeps) {
      const o = audio.createOscillator(), g = audio.createGain();
      o.type = ok ? 'sine' : 'square';
      o.frequency.value = freq;
      g.gain.value = 0.2;
      o.connect(g).connect(audio.destination);
      o.start(audio.currentTime + at);
      o.stop(audio.currentTime + at + len);
    }
  } catch (e) { /* no audio: the screen still says it */ }
}

// ---- Camera ----

const canvas = $('frame');
const ctx = canvas.getContext('2d', { willReadFrequently: true });
// The camera loop scans one frame at a time: cameraScan is the frame in the
// worker, if any. While cameraHeld > 0 (a benchmark runs) it scans none.
let cameraScan = null;
let cameraHeld = 0;

function grab(source, w, h) {
  canvas.width = w; canvas.height = h;
  ctx.drawImage(source, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h).data;
}

// scanSource scans a frame of source: a live camera's with scanCamera (the
// scanner's cheap first attempt only: the next frame follows 30 ms later),
// a picture opened with scanFrame (every attempt).
async function scanSource(source, w, h, fn) {
  const px = grab(source, w, h);
  const data = new Uint8Array(px.buffer, px.byteOffset, px.byteLength);
  return call(fn, [data, w, h, Date.now()], [data.buffer]);
}

async function startCamera() {
  if (!config || !config.roots.length) { status(t('notProvisioned')); return; }
  const video = $('video');
  try {
    video.srcObject = await navigator.mediaDevices.getUserMedia({
      audio: false, video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
    await video.play();
  } catch (e) {
    status(t('cameraFailed') + ': ' + e.name);
    return;
  }
  $('camera').hidden = true;
  document.body.dataset.camera = 'on';
  const loop = async () => {
    if (!cameraScan && !cameraHeld && video.videoWidth > 0 && document.visibilityState === 'visible') {
      cameraScan = scanSource(video, video.videoWidth, video.videoHeight, 'scanCamera');
      try { onResult(await cameraScan); } finally { cameraScan = null; }
    }
    setTimeout(loop, 30);
  };
  loop();
}

async function openPicture(file) {
  if (!config || !config.roots.length) { status(t('notProvisioned')); return; }
  let bmp;
  try { bmp = await createImageBitmap(file); } catch (e) { status(t('notFound')); return; }
  const scale = Math.min(1, 2048 / Math.max(bmp.width, bmp.height));
  const w = Math.round(bmp.width * scale), h = Math.round(bmp.height * scale);
  const r = await scanSource(bmp, w, h, 'scanFrame');
  bmp.close();
  if (r.found) { lastText = ''; onResult(r); } else status(r.error || (r.notOffcode ? t('notOffcode') : t('notFound')));
}

// ---- Start ----

async function main() {
  applyLanguage();
  $('lang').onclick = () => { lang = lang === 'zh' ? 'en' : 'zh'; localStorage.setItem('offcode.lang', lang); applyLanguage(); };
  $('next').onclick = hideVerdict;
  $('camera').onclick = startCamera;
  $('picture').onchange = (e) => { if (e.target.files[0]) openPicture(e.target.files[0]); e.target.value = ''; };
  $('idform').onsubmit = async (e) => {
    e.preventDefault();
    const input = $('idnum'), id = input.value;
    input.value = ''; // the number is not kept
    const r = await call('checkID', [id, Date.now()]);
    const out = $('id-result');
    out.dataset.idVerdict = r.verdict || 'error';
    out.textContent = r.error ? r.error : r.verdict === 'valid' ? t('idMatch')(Math.round(r.ms))
      : r.verdict === 'id_mismatch' ? t('idMismatch') : t('idBad');
    tone(r.verdict === 'valid');
  };

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('sw.js').catch((e) => console.warn('offcode: service worker:', e));
    navigator.serviceWorker.ready.then(() => { document.documentElement.dataset.offlineReady = '1'; });
  }

  config = await (await fetch('config.json')).json();
  if (config.roots.length) {
    const r = await call('init', [config.roots]);
    if (r.error) status(r.error);
    const held = await dbGet('bundle').catch(() => undefined);
    if (held && held.payload) {
      const rr = await call('restore', [held.payload]);
      if (rr.error) status(rr.error);
    }
  }
  await showTrust();
  await sync();
  document.documentElement.dataset.ready = '1';
  window.addEventListener('online', sync);
  setInterval(sync, 5 * 60 * 1000);
  setInterval(showTrust, 60 * 1000);

  const perm = await navigator.permissions.query({ name: 'camera' }).catch(() => null);
  if (perm && perm.state === 'granted') startCamera();
}

// For benchmarks: run f with the camera loop held, once the frame it has in
// the worker is done, so that the frames f times do not queue behind it.
async function withCameraHeld(f) {
  cameraHeld++;
  try {
    if (cameraScan) await cameraScan;
    return await f();
  } finally {
    cameraHeld--;
  }
}

// For benchmarks: scan one RGBA frame n times as the camera loop does
// (scanCamera); for each, the milliseconds
// from posting it to the worker to its verdict (times), inside offcode.wasm
// (inWasm), and from posting to the worker receiving it (queue).
window.offcodeBench = (rgba, w, h, n) => withCameraHeld(async () => {
  const times = [], inWasm = [], queue = [];
  let last = null;
  for (let i = 0; i < n; i++) {
    const data = rgba.slice();
    const t0 = performance.now();
    last = await call('scanCamera', [data, w, h, Date.now()], [data.buffer]);
    times.push(performance.now() - t0);
    inWasm.push(last.ms);
    queue.push(last.recvAt - (performance.timeOrigin + t0));
  }
  return { times, inWasm, queue, verdict: last && last.verdict };
});

// For benchmarks: scan n frames of the live camera the way the camera loop
// does and return the milliseconds each took inside offcode.wasm, or null
// when the camera is off.
window.offcodeBenchCamera = (n) => withCameraHeld(async () => {
  const video = $('video');
  if (document.body.dataset.camera !== 'on' || !(video.videoWidth > 0)) return null;
  const inWasm = [];
  for (let i = 0; i < n; i++) inWasm.push((await scanSource(video, video.videoWidth, video.videoHeight, 'scanCamera')).ms);
  return { inWasm, width: video.videoWidth, height: video.videoHeight };
});

// For benchmarks: check the last code against an ID number n times and
// return the milliseconds the Argon2id check took in the worker each time.
window.offcodeBenchID = (id, n) => withCameraHeld(async () => {
  const times = [];
  for (let i = 0; i < n; i++) times.push((await call('checkID', [id, Date.now()])).ms);
  return times;
});

main();
