// Runs one WASI preview1 command module under node's built-in node:wasi,
// with the command line `wgi run` takes for the same run:
//
//   node --no-warnings node_wasi.mjs [--dir HOST::GUEST]... [--env NAME=VALUE]... app.wasm [ARGS...]
//
// The reference half of tests/wasi/differential_test.cc (see
// tests/wasi/programs/README.md for the conventions):
//
//   - argv: the program gets [app.wasm as given on the command line, ARGS...]
//     (argv[0] is the module's path exactly as written, like wasmtime and
//     `wgi run`; not its basename).
//   - --dir HOST::GUEST pre-opens the host directory HOST under the guest
//     name GUEST (fd 3, 4, ... in the order given). `--dir DIR` alone means
//     DIR::DIR.
//   - --env NAME=VALUE adds one variable; the program sees only these (in
//     the order given), never node's own environment.
//   - fds 0, 1, 2 are this process's stdin, stdout and stderr.
//   - The exit status is the program's: the argument of proc_exit, 0 when
//     _start returns. A trap prints "node_wasi: trap: MESSAGE" on stderr and
//     exits 3 (wgi's status for a trap); a module that cannot be read,
//     compiled or instantiated exits 1, a bad command line 2 (wgi's too).
//
// node:wasi is "experimental" in node 20 and warns so on stderr; the warning
// would show up as a difference in stderr. `node --no-warnings` silences it,
// and so does the filter below, which is installed before node:wasi is
// loaded (hence the dynamic import).
import { readFileSync } from 'node:fs';

const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0] && rest[0].type;
  const name = warning && warning.name;
  if (type === 'ExperimentalWarning' || name === 'ExperimentalWarning') return;
  return emitWarning.call(process, warning, ...rest);
};

function usage(message) {
  process.stderr.write(`node_wasi: ${message}\n` +
    'usage: node node_wasi.mjs [--dir HOST::GUEST]... [--env NAME=VALUE]... app.wasm [ARGS...]\n');
  process.exit(2);
}

const argv = process.argv.slice(2);
const preopens = {};
const env = {};
let i = 0;
for (; i < argv.length; ++i) {
  const a = argv[i];
  if (a === '--') { ++i; break; }
  if (!a.startsWith('--')) break;
  let flag = a, value;
  const eq = a.indexOf('=');
  if (eq > 0 && (a.startsWith('--dir=') || a.startsWith('--env='))) {
    flag = a.slice(0, eq);
    value = a.slice(eq + 1);
  } else {
    if (i + 1 >= argv.length) usage(`${a} needs a value`);
    value = argv[++i];
  }
  if (flag === '--dir') {
    const sep = value.indexOf('::');
    const host = sep >= 0 ? value.slice(0, sep) : value;
    const guest = sep >= 0 ? value.slice(sep + 2) : value;
    if (host === '' || guest === '') usage(`bad --dir '${value}' (want HOST::GUEST)`);
    if (Object.prototype.hasOwnProperty.call(preopens, guest)) usage(`--dir: guest name '${guest}' given twice`);
    preopens[guest] = host;
  } else if (flag === '--env') {
    const e = value.indexOf('=');
    if (e <= 0) usage(`bad --env '${value}' (want NAME=VALUE)`);
    env[value.slice(0, e)] = value.slice(e + 1);
  } else {
    usage(`unknown option ${a}`);
  }
}
if (i >= argv.length) usage('no module given');
const modulePath = argv[i];
const args = argv.slice(i);  // [module as given, ARGS...]

const { WASI } = await import('node:wasi');

let instance, wasi;
try {
  wasi = new WASI({
    version: 'preview1',
    args,
    env,
    preopens,
    returnOnExit: true,
    stdin: 0,
    stdout: 1,
    stderr: 2,
  });
  const module = await WebAssembly.compile(readFileSync(modulePath));
  instance = await WebAssembly.instantiate(module, wasi.getImportObject());
} catch (e) {
  process.stderr.write(`node_wasi: ${modulePath}: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
}

let status;
try {
  status = wasi.start(instance);
} catch (e) {
  process.stderr.write(`node_wasi: trap: ${e && e.message ? e.message : e}\n`);
  process.exit(3);
}
// start() returns proc_exit's argument, or 0 (undefined in some versions)
// when _start returns. WASI's exit codes are u32; a shell sees the low byte.
process.exitCode = (status ?? 0) & 0xff;
