// Drives a toxiproxy-compatible API with toxiproxy-node-client (npm), as its users' test
// code would, and measures each fault's effect from outside on a live conversation
// through the proxy it makes.
//   node toxiproxy_node.js API_URL UPSTREAM
// UPSTREAM is an echo server. Prints one JSON object of findings on stdout; exits 1 on an
// unexpected error. The client is found through NODE_PATH.
const net = require("net");
const { Toxiproxy } = require("toxiproxy-node-client");

const [apiUrl, upstream] = process.argv.slice(2);
const found = {};

function connect(listen) {
  const at = listen.lastIndexOf(":");
  return new Promise((resolve, reject) => {
    const socket = net.connect(
      { host: listen.slice(0, at), port: Number(listen.slice(at + 1)), noDelay: true },
      () => resolve(socket),
    );
    socket.once("error", reject);
  });
}

// A round trip of `payload` on `socket`, in milliseconds.
function rtt(socket, payload = Buffer.from("ping\n")) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    let got = 0;
    const onData = (chunk) => {
      got += chunk.length;
      if (got >= payload.length) {
        socket.off("data", onData);
        resolve(Number(process.hrtime.bigint() - start) / 1e6);
      }
    };
    socket.on("data", onData);
    socket.once("close", () => reject(new Error(`closed after ${got} bytes`)));
    socket.write(payload);
  });
}

// Sends `bytes` and counts what comes back until the connection closes.
function untilClosed(socket, bytes) {
  return new Promise((resolve) => {
    let got = 0;
    socket.on("data", (chunk) => (got += chunk.length));
    socket.on("error", () => {});
    socket.once("close", () => resolve(got));
    socket.write(Buffer.alloc(bytes, "x"));
  });
}

async function refused(call) {
  try {
    await call();
    return "accepted";
  } catch (err) {
    return err.message;
  }
}

(async () => {
  const tp = new Toxiproxy(apiUrl);
  found.version = JSON.parse(await tp.getVersion()).version;
  const proxy = await tp.createProxy({
    name: "node",
    listen: "127.0.0.1:0",
    upstream,
    enabled: true,
  });
  found.listen_bound = !proxy.listen.endsWith(":0");
  let socket = await connect(proxy.listen);
  found.rtt_before_ms = await rtt(socket);

  const latency = await proxy.addToxic({
    name: "lat",
    type: "latency",
    stream: "downstream",
    toxicity: 1,
    attributes: { latency: 150, jitter: 0 },
  });
  found.rtt_latency_ms = await rtt(socket);
  // The client updates with POST, toxiproxy's older form.
  const slower = await latency.update({ ...latency.toJson(), attributes: { latency: 300 } });
  found.updated_attributes = slower.attributes;
  found.rtt_updated_ms = await rtt(socket);
  found.got_toxic = (await proxy.getToxic("lat")).attributes;
  await slower.remove();
  found.rtt_removed_ms = await rtt(socket);

  const limit = await proxy.addToxic({
    name: "lim",
    type: "limit_data",
    stream: "downstream",
    toxicity: 1,
    attributes: { bytes: 1000 },
  });
  found.limit_echoed = await untilClosed(socket, 5000);
  await limit.remove();

  found.unknown_type = await refused(() => proxy.addToxic({ type: "nope" }));
  found.taken_name = await refused(() =>
    tp.createProxy({ name: "node", listen: "127.0.0.1:0", upstream }),
  );
  found.unknown_proxy = await refused(() => tp.get("never"));

  const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream });
  found.disabled = disabled.enabled === false;
  found.disabled_refuses = await connect(proxy.listen).then(
    (s) => (s.destroy(), false),
    () => true,
  );
  await tp.reset();
  socket = await connect(proxy.listen);
  found.rtt_after_reset_ms = await rtt(socket);
  socket.destroy();

  const populated = await tp.populate([
    { name: "node", listen: proxy.listen, upstream },
    { name: "node2", listen: "127.0.0.1:0", upstream },
  ]);
  found.populated = Object.keys(populated).sort();
  found.all = Object.keys(await tp.getAll()).sort();
  await populated.node2.remove();
  await proxy.remove();
  found.all_after = Object.keys(await tp.getAll()).sort();
  console.log(JSON.stringify(found));
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
