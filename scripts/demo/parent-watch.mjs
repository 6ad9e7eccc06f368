// Preloaded (`node --import`) into the receiver that `npm start` forks: when
// the demo's process goes away without stopping it (killed, crashed), the IPC
// channel closes and the receiver stops as on Ctrl-C, so no process is left
// behind. The channel does not keep the receiver alive by itself.
if (process.send) {
  process.channel?.unref();
  process.once('disconnect', () => {
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.exit(1), 5000).unref();
  });
}
