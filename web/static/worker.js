// The Web Worker that runs offcode's Go scanner and verifier (offcode.wasm),
// so that scanning a frame never blocks the page. Messages are
// {id, fn, args} calling globalThis.offcode[fn](...args); replies {id, out}.
'use strict';
importScripts('wasm_exec.js');

let markReady;
const ready = new Promise((resolve) => { markReady = resolve; });
self.offcodeReady = () => markReady();

async function load() {
  const go = new Go();
  let inst;
  try {
    inst = await WebAssembly.instantiateStreaming(fetch('offcode.wasm'), go.importObject);
  } catch (e) {
    // A static server that does not say application/wasm.
    const buf = await (await fetch('offcode.wasm')).arrayBuffer();
    inst = await WebAssembly.instantiate(buf, go.importObject);
  }
  go.run(inst.instance);
}
load().catch((e) => postMessage({ fatal: String(e) }));

self.onmessage = async (ev) => {
  const recvAt = performance.timeOrigin + performance.now();
  await ready;
  const { id, fn, args } = ev.data;
  let out;
  try {
    out = self.offcode[fn](...args);
  } catch (e) {
    out = { error: String(e) };
  }
  out.recvAt = recvAt; // for benchmarks: when the message reached the worker
  postMessage({ id, out });
};
