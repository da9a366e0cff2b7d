// Runs a TensorFlow GraphDef (protobuf JSON form) with TensorFlow.js's
// graph executor (@tensorflow/tfjs-converter on the pure-JavaScript CPU
// backend), an implementation of TF's op semantics independent of
// gorgoflow's. Used by train/tfjs_test.go.
//
//   node run.js request.json > response.json
//
// request: {graph: GraphDef JSON, variables: {name: value}, feeds: {name:
// value}, fetches: [tensor names]}, value = {dtype, shape, values}.
// response: {name: value} for every fetch, or {error: message}.
//
// The graph is pruned to what the fetches need, variables are frozen into
// constants (tfjs has no VariableV2), every Const node's TensorProto
// becomes a weight, and seven TF ops tfjs-converter lacks are registered
// here from TF's documentation: TanhGrad, SigmoidGrad,
// BroadcastGradientArgs, SparseSoftmaxCrossEntropyWithLogits,
// DynamicPartition and DynamicStitch, MirrorPadGrad and StridedSliceGrad,
// and UnsortedSegmentSum with tfjs-core's own op.
'use strict';
globalThis.require = require;
const vm = require('vm');
const fs = require('fs');
const path = require('path');
for (const f of ['tf-core.min.js', 'tf-backend-cpu.min.js', 'tf-converter.min.js']) {
  vm.runInThisContext(fs.readFileSync(path.join(__dirname, f), 'utf8'), {filename: f});
}
const tf = globalThis.tf;

const dtypes = {DT_FLOAT: 'float32', DT_INT32: 'int32', DT_BOOL: 'bool', DT_INT64: 'int32'};

// TanhGrad(y, dy) = dy * (1 - y^2)
tf.registerOp('TanhGrad', (node) => {
  const [y, dy] = node.inputs;
  return tf.mul(dy, tf.sub(1, tf.square(y)));
});
// SigmoidGrad(y, dy) = dy * y * (1 - y)
tf.registerOp('SigmoidGrad', (node) => {
  const [y, dy] = node.inputs;
  return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
});
// BroadcastGradientArgs(s0, s1): the axes to sum a broadcast result's
// gradient over to get each operand's (numpy broadcasting, shapes aligned
// on the right).
tf.registerOp('BroadcastGradientArgs', (node) => {
  const s0 = Array.from(node.inputs[0].dataSync());
  const s1 = Array.from(node.inputs[1].dataSync());
  const n = Math.max(s0.length, s1.length);
  const a = Array(n - s0.length).fill(1).concat(s0);
  const b = Array(n - s1.length).fill(1).concat(s1);
  const r0 = [];
  const r1 = [];
  for (let i = 0; i < n; i++) {
    if (a[i] === 1 && b[i] !== 1) r0.push(i);
    else if (b[i] === 1 && a[i] !== 1) r1.push(i);
    else if (a[i] !== b[i]) throw new Error(`BroadcastGradientArgs: incompatible shapes ${s0} and ${s1}`);
    else if (a[i] === 1) { r0.push(i); r1.push(i); }
  }
  return [tf.tensor1d(r0, 'int32'), tf.tensor1d(r1, 'int32')];
});
// SparseSoftmaxCrossEntropyWithLogits(features [B,C], labels [B]):
// loss = -log softmax(features)[label], backprop = softmax - onehot(label).
tf.registerOp('SparseSoftmaxCrossEntropyWithLogits', (node) => {
  const [features, labels] = node.inputs;
  const logp = tf.logSoftmax(features);
  const onehot = tf.oneHot(tf.cast(labels, 'int32'), features.shape[1]);
  const loss = tf.neg(tf.sum(tf.mul(onehot, logp), 1));
  return [loss, tf.sub(tf.exp(logp), onehot)];
});

// UnsortedSegmentSum(data, segment_ids, num_segments): tfjs-core has the
// op (tf.unsortedSegmentSum); tfjs-converter does not map it.
tf.registerOp('UnsortedSegmentSum', (node) => {
  const [data, ids, n] = node.inputs;
  return tf.unsortedSegmentSum(data, tf.cast(ids, 'int32'), n.dataSync()[0]);
});
// The math and nn ops of math_ops.js.
require('./math_ops.js')(tf);

// DynamicPartition(data, partitions, num_partitions): outputs[i] holds
// the rows of data (in order) whose partition is i (partitions as long as
// data's first dimension, as TF's embedding_lookup uses it).
tf.registerOp('DynamicPartition', (node) => {
  const [data, partitions] = node.inputs;
  const n = node.attrs.num_partitions;
  const p = Array.from(partitions.dataSync());
  const outs = [];
  for (let i = 0; i < n; i++) {
    const rows = [];
    p.forEach((q, j) => { if (q === i) rows.push(j); });
    outs.push(tf.gather(data, tf.tensor1d(rows, 'int32')));
  }
  return outs;
});
// DynamicStitch(indices[N], data[N]): merged[indices[m][i]] = data[m][i]
// (1-D indices), later entries winning.
tf.registerOp('DynamicStitch', (node) => {
  const n = node.inputs.length / 2;
  const idx = node.inputs.slice(0, n).map((t) => Array.from(t.dataSync()));
  const data = node.inputs.slice(n);
  let size = 0;
  idx.forEach((a) => a.forEach((v) => { size = Math.max(size, v + 1); }));
  const rowShape = data[0].shape.slice(1);
  const src = Array(size);
  idx.forEach((a, m) => a.forEach((v, i) => { src[v] = [m, i]; }));
  const all = tf.concat(data.map((d) => tf.reshape(d, [-1].concat(rowShape))), 0);
  const offsets = [];
  let off = 0;
  for (const a of idx) { offsets.push(off); off += a.length; }
  return tf.gather(all, tf.tensor1d(src.map(([m, i]) => offsets[m] + i), 'int32'));
});

// MirrorPadGrad(grad, paddings, mode): each axis's mirrored margins
// (reversed) added back onto the positions they copy, the REFLECT ones
// starting one position in from the edge, as TF's MirrorPadGrad.
tf.registerOp('MirrorPadGrad', (node) => {
  let [g, pads] = node.inputs;
  const p = Array.from(pads.dataSync());
  const off = String(node.attrs.mode).toUpperCase() === 'REFLECT' ? 1 : 0;
  for (let d = 0; d < g.shape.length; d++) {
    const [b, a] = [p[2 * d], p[2 * d + 1]];
    const n = g.shape[d] - b - a;
    const part = (start, size) => {
      const begin = g.shape.map(() => 0);
      const sz = g.shape.slice();
      begin[d] = start;
      sz[d] = size;
      return tf.slice(g, begin, sz);
    };
    const at = (x, before) => {
      const pd = g.shape.map(() => [0, 0]);
      pd[d] = [before, n - before - x.shape[d]];
      return tf.pad(x, pd);
    };
    let core = part(b, n);
    if (b > 0) core = tf.add(core, at(tf.reverse(part(0, b), d), off));
    if (a > 0) core = tf.add(core, at(tf.reverse(part(b + n, a), d), n - off - a));
    g = core;
  }
  return g;
});

// StridedSliceGrad(shape, begin, end, strides, dy): dy put back where the
// strided slice took it, zeros elsewhere: the slice of the positions
// 0..n-1 of a tensor of that shape says where each element of dy goes.
tf.registerOp('StridedSliceGrad', (node) => {
  const [shapeT, begin, end, strides, dy] = node.inputs;
  const shape = Array.from(shapeT.dataSync());
  const n = shape.reduce((a, b) => a * b, 1);
  const a = node.attrs;
  const pos = tf.stridedSlice(tf.reshape(tf.range(0, n, 1, 'int32'), shape), Array.from(begin.dataSync()),
    Array.from(end.dataSync()), Array.from(strides.dataSync()), a.beginMask || a.begin_mask || 0, a.endMask || a.end_mask || 0,
    a.ellipsisMask || a.ellipsis_mask || 0, a.newAxisMask || a.new_axis_mask || 0, a.shrinkAxisMask || a.shrink_axis_mask || 0);
  return tf.reshape(tf.scatterND(tf.reshape(pos, [-1, 1]), tf.reshape(dy, [-1]), [n]), shape);
});

function nodeOf(input) {
  const s = input.replace(/^\^/, '');
  const c = s.lastIndexOf(':');
  return c >= 0 ? s.slice(0, c) : s;
}

// tensorValue decodes a TensorProto (JSON form).
function tensorValue(t) {
  const dtype = dtypes[t.dtype];
  if (!dtype) throw new Error(`unsupported dtype ${t.dtype}`);
  // protojson omits a dimension's size of 0 (an empty axes list).
  const shape = ((t.tensorShape || {}).dim || []).map((d) => Number(d.size || 0));
  const size = shape.reduce((a, b) => a * b, 1);
  let values;
  if (t.tensorContent) {
    const buf = Buffer.from(t.tensorContent, 'base64');
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
    if (t.dtype === 'DT_FLOAT') values = Array.from(new Float32Array(ab));
    else if (t.dtype === 'DT_INT32') values = Array.from(new Int32Array(ab));
    else if (t.dtype === 'DT_BOOL') values = Array.from(new Uint8Array(ab));
    else throw new Error(`tensor_content of ${t.dtype}`);
  } else {
    const v = (t.floatVal || t.intVal || t.boolVal || t.int64Val || []).map(Number);
    values = Array(size).fill(v.length ? v[0] : 0).map((x, i) => (i < v.length ? v[i] : v[v.length - 1]));
  }
  return {dtype, shape, values};
}

function toTensor(v) {
  return tf.tensor(v.dtype === 'bool' ? v.values.map(Boolean) : v.values, v.shape, v.dtype);
}

async function main() {
  await tf.setBackend('cpu');
  const req = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const byName = new Map(req.graph.node.map((n) => [n.name, n]));
  const keep = new Set();
  const stack = req.fetches.map(nodeOf);
  while (stack.length) {
    const n = stack.pop();
    if (keep.has(n)) continue;
    if (!byName.has(n)) throw new Error(`no node ${n}`);
    keep.add(n);
    for (const i of byName.get(n).input || []) stack.push(nodeOf(i));
  }
  const nodes = [];
  const weights = [];
  for (const n of req.graph.node) {
    if (!keep.has(n.name)) continue;
    let node = n;
    if (n.op === 'VariableV2') {
      const v = req.variables[n.name];
      if (!v) throw new Error(`no value for variable ${n.name}`);
      node = {name: n.name, op: 'Const', attr: {dtype: {type: n.attr.dtype.type}}};
      weights.push([n.name, v]);
    } else if (n.op === 'Const') {
      weights.push([n.name, tensorValue(n.attr.value.tensor)]);
    }
    nodes.push(node);
  }
  const specs = [];
  const chunks = [];
  for (const [name, v] of weights) {
    specs.push({name, shape: v.shape, dtype: v.dtype});
    const arr = v.dtype === 'float32' ? new Float32Array(v.values) : v.dtype === 'int32' ? new Int32Array(v.values) : new Uint8Array(v.values);
    chunks.push(Buffer.from(arr.buffer));
  }
  const all = Buffer.concat(chunks);
  const model = await tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: {node: nodes, versions: req.graph.versions},
    weightSpecs: specs,
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.length),
  }));
  const feeds = {};
  for (const [name, v] of Object.entries(req.feeds)) feeds[name] = toTensor(v);
  const outs = await model.executeAsync(feeds, req.fetches);
  const res = {};
  (Array.isArray(outs) ? outs : [outs]).forEach((t, i) => {
    res[req.fetches[i]] = {dtype: t.dtype, shape: t.shape, values: Array.from(t.dataSync())};
  });
  process.stdout.write(JSON.stringify(res));
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({error: String(e && e.stack || e)}));
});
