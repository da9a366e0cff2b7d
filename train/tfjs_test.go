package train_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/internal/rnntest"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// The exported GraphDefs run by an independent implementation of TF's op
// semantics: TensorFlow.js's graph executor (internal/testdata/tfjs, the
// npm packages @tensorflow/tfjs-core, -backend-cpu and -converter 4.22.0),
// which executes TF 1.x's control flow ops and TensorArrays. Forward
// outputs, final states, the loss and the gradients of every trainable
// variable (through the backward while loop) must match gorgoflow's own
// run to 1e-5.

type jsValue struct {
	DType  string    `json:"dtype"`
	Shape  []int     `json:"shape"`
	Values []float64 `json:"values"`
}

func jsArray(a *tf.Array, dt tf.DType) jsValue {
	v := jsValue{DType: map[tf.DType]string{tf.Float32: "float32", tf.Int32: "int32", tf.Bool: "bool"}[dt],
		Shape: append([]int{}, a.Shape()...), Values: a.Float64s()}
	if v.Shape == nil {
		v.Shape = []int{}
	}
	return v
}

// tfjsModel is a model whose forward and gradient tensors are compared.
type tfjsModel struct {
	g       *tf.Graph
	init    *tf.Operation
	feeds   session.Feed
	fetches []*tf.Tensor
}

// rnnModel builds the chapter's classifier (a cell over 5 steps of 3
// inputs, its last state to 4 logits, sparse softmax cross entropy) or,
// with regress, the time-series regressor (outputs against targets, MSE),
// and fetches the outputs, final states, loss and gradients.
func rnnModel(t *testing.T, cell func() rnn.Cell, seq, regress, timeMajor bool) *tfjsModel {
	t.Helper()
	m := &tfjsModel{g: tf.NewGraph(), feeds: session.Feed{}}
	defer m.g.AsDefault()()
	tf.SetRandomSeed(11)
	rng := rand.New(rand.NewPCG(5, 6))
	X, xs := rnnInputs(m, rng, timeMajor)
	opts := []rnn.Option{rnn.DType(tf.Float32)}
	if timeMajor {
		opts = append(opts, rnn.TimeMajor(true))
	}
	if seq {
		lens := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("seq_length"))
		m.feeds[lens] = []int32{5, 2, 0}
		opts = append(opts, rnn.SequenceLength(lens))
	}
	outputs, states := nn.DynamicRNN(cell(), X, opts...)
	var loss *tf.Tensor
	if regress {
		y := placeholder.New(tf.Float32, outputs.Shape(), placeholder.Name("y"))
		ys := make([][][]float32, len(xs))
		for i := range ys {
			for range xs[i] {
				ys[i] = append(ys[i], []float32{float32(rng.NormFloat64())})
			}
		}
		m.feeds[y] = ys
		loss = tf.ReduceMean(tf.Square(tf.Sub(outputs, y)))
	} else {
		y := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("y"))
		m.feeds[y] = []int32{1, 3, 0}
		logits := layers.FullyConnected(states[len(states)-1], 4, layers.ActivationFn(nil))
		m.fetches = append(m.fetches, logits)
		loss = tf.ReduceMean(nn.SparseSoftmaxCrossEntropyWithLogits(y, logits))
	}
	vars := tf.TrainableVariables()
	xsAny := make([]any, len(vars))
	for i, v := range vars {
		xsAny[i] = v
	}
	grads, err := tf.Gradients(loss, xsAny)
	if err != nil {
		t.Fatal(err)
	}
	m.fetches = append(append(append(m.fetches, outputs), states...), loss)
	m.fetches = append(m.fetches, grads...)
	m.init = tf.GlobalVariablesInitializer()
	if err := m.g.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

// rnnInputs adds the placeholder X of 3 sequences of 5 steps of 3 inputs
// ([None, 5, 3], or [5, None, 3] time-major) to m's graph and feeds it
// normal random values, which it also returns.
func rnnInputs(m *tfjsModel, rng *rand.Rand, timeMajor bool) (*tf.Tensor, [][][]float32) {
	const B, T, D = 3, 5, 3
	shape := tf.Shape{tf.None, T, D}
	if timeMajor {
		shape = tf.Shape{T, tf.None, D}
	}
	X := placeholder.New(tf.Float32, shape, placeholder.Name("X"))
	xs := make([][][]float32, map[bool]int{false: B, true: T}[timeMajor])
	for i := range xs {
		xs[i] = make([][]float32, map[bool]int{false: T, true: B}[timeMajor])
		for j := range xs[i] {
			xs[i][j] = []float32{float32(rng.NormFloat64()), float32(rng.NormFloat64()), float32(rng.NormFloat64())}
		}
	}
	m.feeds[X] = xs
	return X, xs
}

// embeddingModel is word2vec's deterministic part: embeddings looked up by
// ids (the gradient an IndexedSlices), concatenated with a second lookup,
// logits against weights, sigmoid cross entropy against 0/1 labels, and
// the normalized embeddings' similarities.
func embeddingModel(t *testing.T) *tfjsModel {
	t.Helper()
	m := &tfjsModel{g: tf.NewGraph(), feeds: session.Feed{}}
	defer m.g.AsDefault()()
	tf.SetRandomSeed(5)
	ids := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("ids"))
	m.feeds[ids] = []int32{3, 7, 3, 0, 9}
	labels := placeholder.New(tf.Float32, tf.Shape{tf.None, 4}, placeholder.Name("labels"))
	m.feeds[labels] = [][]float32{{1, 0, 0, 1}, {0, 1, 0, 0}, {1, 1, 0, 0}, {0, 0, 0, 1}, {0, 1, 1, 0}}
	emb := tf.NewVariable(tf.RandomUniform(tf.Shape{10, 3}, tf.Float32, tf.Minval(-1), tf.Maxval(1)), tf.Name("embeddings"))
	w := tf.NewVariable(tf.TruncatedNormal(tf.Shape{4, 6}, tf.Float32, tf.Stddev(0.5)), tf.Name("w"))
	a := nn.EmbeddingLookup(emb, ids)
	b := nn.EmbeddingLookup(emb, tf.Constant([]int32{1, 1, 2, 8, 4}, tf.Int32))
	x := tf.Concat([]*tf.Tensor{a, b}, 1)
	logits := tf.MatMul(x, w, tf.TransposeB(true))
	loss := tf.ReduceMean(nn.SigmoidCrossEntropyWithLogits(labels, logits))
	norm := tf.Sqrt(tf.ReduceSum(tf.Square(emb), tf.Axis(1), tf.KeepDims(true)))
	normalized := tf.Div(emb, norm)
	sim := tf.MatMul(nn.EmbeddingLookup(normalized, tf.Constant([]int32{1, 2}, tf.Int32)), normalized, tf.TransposeB(true))
	grads, err := tf.Gradients(loss, []any{emb, w})
	if err != nil {
		t.Fatal(err)
	}
	m.fetches = append([]*tf.Tensor{logits, loss, sim}, grads...)
	m.init = tf.GlobalVariablesInitializer()
	if err := m.g.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

// shardedEmbeddingModel looks ids up in embeddings of three shards
// (partition_strategy "mod", 10 rows as 4, 3, 3) and in weights of two
// (strategy "div", 9 rows as 5, 4) and fetches the lookups, a loss and
// the gradient of every shard (TF's per-shard IndexedSlices made dense).
func shardedEmbeddingModel(t *testing.T) *tfjsModel {
	t.Helper()
	m := &tfjsModel{g: tf.NewGraph(), feeds: session.Feed{}}
	defer m.g.AsDefault()()
	tf.SetRandomSeed(9)
	ids := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("ids"))
	m.feeds[ids] = []int32{3, 7, 3, 0, 9, 5}
	other := placeholder.New(tf.Int32, tf.Shape{tf.None, 2}, placeholder.Name("other"))
	m.feeds[other] = [][]int32{{8, 0}, {4, 4}, {5, 1}}
	var emb, w []*tf.Variable
	for i, rows := range []int{4, 3, 3} {
		emb = append(emb, tf.NewVariable(tf.RandomUniform(tf.Shape{rows, 3}, tf.Float32, tf.Minval(-1), tf.Maxval(1)), tf.Name(fmt.Sprintf("emb_%d", i))))
	}
	for i, rows := range []int{5, 4} {
		w = append(w, tf.NewVariable(tf.RandomUniform(tf.Shape{rows, 3}, tf.Float32, tf.Minval(-1), tf.Maxval(1)), tf.Name(fmt.Sprintf("w_%d", i))))
	}
	a := nn.EmbeddingLookup(emb, ids)                                        // [6, 3]
	b := nn.EmbeddingLookup(w, other, tf.PartitionStrategy(tf.PartitionDiv)) // [3, 2, 3]
	loss := tf.Add(tf.ReduceSum(tf.Square(tf.MatMul(a, tf.Reshape(b, []int{6, 3}), tf.TransposeB(true)))), tf.ReduceSum(tf.Tanh(a)))
	var xs []any
	for _, v := range append(emb, w...) {
		xs = append(xs, v)
	}
	grads, err := tf.Gradients(loss, xs)
	if err != nil {
		t.Fatal(err)
	}
	m.fetches = append([]*tf.Tensor{a, b, loss}, grads...)
	m.init = tf.GlobalVariablesInitializer()
	if err := m.g.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

// splitModel splits x·w by sizes (TF's SplitV, one size inferred) along
// axis 1 and sums a different function of each piece; fetches the pieces,
// the loss and its gradient (the pieces' gradients concatenated back).
func splitModel(t *testing.T) *tfjsModel {
	t.Helper()
	m := &tfjsModel{g: tf.NewGraph(), feeds: session.Feed{}}
	defer m.g.AsDefault()()
	x := placeholder.New(tf.Float32, tf.Shape{tf.None, 6}, placeholder.Name("x"))
	m.feeds[x] = [][]float32{{1, -2, 3, 0.5, -1, 2}, {0.25, 4, -3, 1, 2, -0.5}}
	w := tf.NewVariable([]float32{1, 2, -1, 0.5, 3, -2}, tf.Name("w"))
	parts := tf.Split(tf.Mul(x, w), []int{1, -1, 2}, 1)
	loss := tf.Add(tf.Add(tf.ReduceSum(parts[0]), tf.ReduceSum(tf.Square(parts[1]))), tf.ReduceMean(tf.Tanh(parts[2])))
	grads, err := tf.Gradients(loss, []any{w})
	if err != nil {
		t.Fatal(err)
	}
	m.fetches = append(append(parts, loss), grads...)
	m.init = tf.GlobalVariablesInitializer()
	if err := m.g.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

func graphDefJSON(t *testing.T, bin []byte) json.RawMessage {
	t.Helper()
	b, err := os.ReadFile("../internal/testdata/tensorflow.protoset")
	if err != nil {
		t.Fatal(err)
	}
	var set descriptorpb.FileDescriptorSet
	if err := proto.Unmarshal(b, &set); err != nil {
		t.Fatal(err)
	}
	files, err := protodesc.NewFiles(&set)
	if err != nil {
		t.Fatal(err)
	}
	d, err := files.FindDescriptorByName("tensorflow.GraphDef")
	if err != nil {
		t.Fatal(err)
	}
	msg := dynamicpb.NewMessage(d.(protoreflect.MessageDescriptor))
	if err := proto.Unmarshal(bin, msg); err != nil {
		t.Fatal(err)
	}
	js, err := protojson.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

func TestGraphDefRunsInTensorFlowJS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (apt-get install nodejs; .ci/run installs it): the exported GraphDefs are not run with TensorFlow.js")
	}
	basic := func() rnn.Cell { return rnn.NewBasicRNNCell(4) }
	lstm := func() rnn.Cell { return rnn.NewBasicLSTMCell(4) }
	cases := []struct {
		name                    string
		cell                    func() rnn.Cell
		seq, regress, timeMajor bool
	}{
		{"word2vec embeddings, sigmoid cross entropy, similarity", nil, false, false, false},
		{"split by sizes (SplitV)", nil, false, false, false},
		{"sharded embeddings (DynamicPartition, DynamicStitch)", nil, false, false, false},
		{"BasicRNNCell (fused loop)", basic, false, false, false},
		{"BasicRNNCell sequence_length", basic, true, false, false},
		{"BasicRNNCell time_major", basic, false, false, true},
		{"BasicLSTMCell", lstm, false, false, false},
		{"BasicLSTMCell sequence_length", lstm, true, false, false},
		{"GRUCell", func() rnn.Cell { return rnn.NewGRUCell(4) }, false, false, false},
		{"LSTM stack", func() rnn.Cell {
			return rnn.NewMultiRNNCell([]rnn.Cell{rnn.NewBasicLSTMCell(4), rnn.NewBasicLSTMCell(3), rnn.NewBasicLSTMCell(4)})
		}, false, false, false},
		{"time series OutputProjectionWrapper (generic loop)", func() rnn.Cell {
			return rnn.NewOutputProjectionWrapper(rnn.NewBasicRNNCell(4, rnn.Activation(tf.Relu)), 1)
		}, false, true, false},
		{"time series generic loop sequence_length", func() rnn.Cell {
			return rnn.NewOutputProjectionWrapper(rnn.NewBasicRNNCell(4, rnn.Activation(tf.Relu)), 1)
		}, true, true, false},
		{"user cell x·Wx + h·Wh sequence_length (W_h's gradient deferred)", func() rnn.Cell { return &rnntest.SplitCell{N: 4} }, true, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The models without a cell, by name.
			models := map[string]func(*testing.T) *tfjsModel{
				"word2vec embeddings, sigmoid cross entropy, similarity": embeddingModel,
				"split by sizes (SplitV)":                                splitModel,
				"sharded embeddings (DynamicPartition, DynamicStitch)":   shardedEmbeddingModel,
			}
			var m *tfjsModel
			if c.cell == nil {
				m = models[c.name](t)
			} else {
				m = rnnModel(t, c.cell, c.seq, c.regress, c.timeMajor)
			}
			compareWithTFJS(t, node, m)
		})
	}
}

// compareWithTFJS runs m's graph in gorgoflow and, exported as a
// GraphDef, in TensorFlow.js, and compares every fetch to 1e-5 (relative
// above 1). m.init may be nil.
func compareWithTFJS(t *testing.T, node string, m *tfjsModel) {
	t.Helper()
	s := session.New(session.WithGraph(m.g))
	defer s.Close()
	if m.init != nil {
		if _, err := s.Run(m.init, nil); err != nil {
			t.Fatal(err)
		}
	}
	want, err := s.Run(m.fetches, m.feeds)
	if err != nil {
		t.Fatal(err)
	}
	got := runTFJS(t, node, m, s)
	for i, f := range m.fetches {
		w := want[i].Float64s()
		if len(got[i].Values) != len(w) || !tf.Shape(got[i].Shape).Equal(tf.Shape(want[i].Shape())) {
			t.Errorf("%s: TensorFlow.js gives shape %v, gorgoflow %v", f.Name(), got[i].Shape, want[i].Shape())
			continue
		}
		for j := range w {
			if d := math.Abs(got[i].Values[j] - w[j]); d > 1e-5*math.Max(1, math.Abs(w[j])) {
				t.Errorf("%s[%d]: TensorFlow.js %v, gorgoflow %v", f.Name(), j, got[i].Values[j], w[j])
				break
			}
		}
	}
}

// runTFJS exports m's graph, runs it with TensorFlow.js (node) on m's
// feeds and the variables' values in s, and returns its values of m's
// fetches.
func runTFJS(t *testing.T, node string, m *tfjsModel, s *session.Session) []jsValue {
	t.Helper()
	gd, err := m.g.AsGraphDef()
	if err != nil {
		t.Fatal(err)
	}
	req := map[string]any{"graph": graphDefJSON(t, gd.Marshal())}
	vars := map[string]jsValue{}
	for _, v := range m.g.Variables() {
		val, err := s.Run(v.Value(), nil)
		if err != nil {
			t.Fatal(err)
		}
		vars[v.Name()] = jsArray(val[0], v.DType())
	}
	req["variables"] = vars
	feeds := map[string]jsValue{}
	for p, v := range m.feeds {
		a, err := tfimpl.ConvertToTensor(v, p.DType())
		if err != nil {
			t.Fatal(err)
		}
		name, _ := gd.TensorName(p)
		feeds[name[:len(name)-2]] = jsArray(tf.NewArray(a), p.DType())
	}
	req["feeds"] = feeds
	var names []string
	for _, f := range m.fetches {
		n, ok := gd.TensorName(f)
		if !ok {
			t.Fatalf("no GraphDef name for %s", f.Name())
		}
		names = append(names, n)
	}
	req["fetches"] = names
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "request.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(node, "../internal/testdata/tfjs/run.js", p)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v: %s", err, stderr.String())
	}
	var res map[string]json.RawMessage
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("node's answer %q: %v", out, err)
	}
	if e, ok := res["error"]; ok {
		t.Fatalf("TensorFlow.js: %s", e)
	}
	got := make([]jsValue, len(names))
	for i, n := range names {
		if err := json.Unmarshal(res[n], &got[i]); err != nil {
			t.Fatalf("%s (%s): %v", m.fetches[i].Name(), n, err)
		}
	}
	return got
}

// dropoutCell's step is nn.Dropout of its input at keep probability 1/2:
// output = new state = x/keep·floor(keep + U[0,1)), 0 or 2 for x = 1. The
// gradient of the outputs' sum with respect to x is the same flags scaled,
// so for x = ones it equals the output, when the gradient uses the flags
// the forward step drew.
type dropoutCell struct{ n int }

func (c *dropoutCell) StateSize() []int { return []int{c.n} }
func (c *dropoutCell) OutputSize() int  { return c.n }
func (c *dropoutCell) ZeroState(batch any, dt tf.DType) []*tf.Tensor {
	return rnncell.ZeroState(c, batch, dt)
}
func (c *dropoutCell) Call(x *tf.Tensor, s []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	y := nn.Dropout(x, 0.5)
	return y, []*tf.Tensor{y}
}

// TestGraphDefLoopDropoutUsesForwardDraw: a dropout inside DynamicRNN's
// loop, exported and run by TensorFlow.js, whose random numbers are its
// own: the backward loop's recomputed step reads the flags the forward
// step drew (TensorArrays written by the forward loop, as TF's gradient
// pops a while loop's forward values from stacks) instead of drawing new
// ones, so the gradient equals the output for inputs of ones. Also with
// DropoutWrapper's input dropout in front of a BasicRNNCell, checked the
// same way through the gradient of the first step's input.
func TestGraphDefLoopDropoutUsesForwardDraw(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (apt-get install nodejs; .ci/run installs it): the exported GraphDefs are not run with TensorFlow.js")
	}
	const B, T, n = 4, 6, 5
	m := &tfjsModel{g: tf.NewGraph(), feeds: session.Feed{}}
	restore := m.g.AsDefault()
	tf.SetRandomSeed(2)
	X := placeholder.New(tf.Float32, tf.Shape{tf.None, T, n}, placeholder.Name("X"))
	ones := make([][][]float32, B)
	for i := range ones {
		ones[i] = make([][]float32, T)
		for j := range ones[i] {
			ones[i][j] = []float32{1, 1, 1, 1, 1}
		}
	}
	m.feeds[X] = ones
	outputs, _ := nn.DynamicRNN(&dropoutCell{n}, X, rnn.DType(tf.Float32))
	grads, err := tf.Gradients(tf.ReduceSum(outputs), []any{X})
	restore()
	if err != nil {
		t.Fatal(err)
	}
	m.fetches = []*tf.Tensor{outputs, grads[0]}
	m.init = tf.GlobalVariablesInitializer()
	s := session.New(session.WithGraph(m.g))
	defer s.Close()
	got := runTFJS(t, node, m, s)
	out, grad := got[0].Values, got[1].Values
	if len(out) != B*T*n || len(grad) != len(out) {
		t.Fatalf("TensorFlow.js gives %d outputs and %d gradients, want %d", len(out), len(grad), B*T*n)
	}
	zeros, differ := 0, 0
	for i := range out {
		if out[i] != 0 && out[i] != 2 {
			t.Fatalf("output %d is %v, want 0 or 2", i, out[i])
		}
		if out[i] == 0 {
			zeros++
		}
		if grad[i] != out[i] {
			differ++
		}
	}
	if differ > 0 {
		t.Errorf("the gradient differs from the output (the flags of the forward draw) in %d of %d elements: the backward loop drew again\noutput   %v\ngradient %v", differ, len(out), out, grad)
	}
	if zeros == 0 || zeros == len(out) {
		t.Errorf("%d of %d flags are zero: not a dropout", zeros, len(out))
	}
}

// TestProtosetIsTensorflowProto: the descriptor set the TensorFlow.js test
// decodes GraphDefs with is the one protoc makes of tensorflow.proto.
func TestProtosetIsTensorflowProto(t *testing.T) {
	needProtoc(t)
	out := filepath.Join(t.TempDir(), "set")
	cmd := exec.Command("protoc", "--descriptor_set_out="+out, "tensorflow.proto")
	cmd.Dir = "../internal/testdata"
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("protoc: %v: %s", err, b)
	}
	got, _ := os.ReadFile(out)
	want, _ := os.ReadFile("../internal/testdata/tensorflow.protoset")
	if !bytes.Equal(got, want) {
		t.Error("internal/testdata/tensorflow.protoset is stale: run protoc --descriptor_set_out=tensorflow.protoset tensorflow.proto in internal/testdata")
	}
}
