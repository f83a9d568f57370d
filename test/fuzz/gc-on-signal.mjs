// Preloaded into the platform by the MQTT stress run (node --expose-gc --import): SIGUSR2 runs a
// full garbage collection, so resident memory is compared after a GC settle, not at whatever
// point V8 has reached in its lazy collection of old space.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
});
