package train_test

import (
	"bytes"
	"encoding/json"
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
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
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
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var m *tfjsModel
			if c.cell == nil {
				m = embeddingModel(t)
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
	for i, f := range m.fetches {
		var got jsValue
		if err := json.Unmarshal(res[names[i]], &got); err != nil {
			t.Fatalf("%s: %v", names[i], err)
		}
		w := want[i].Float64s()
		if len(got.Values) != len(w) || !tf.Shape(got.Shape).Equal(tf.Shape(want[i].Shape())) {
			t.Errorf("%s (%s): TensorFlow.js gives shape %v, gorgoflow %v", f.Name(), names[i], got.Shape, want[i].Shape())
			continue
		}
		for j := range w {
			if d := math.Abs(got.Values[j] - w[j]); d > 1e-5*math.Max(1, math.Abs(w[j])) {
				t.Errorf("%s (%s)[%d]: TensorFlow.js %v, gorgoflow %v", f.Name(), names[i], j, got.Values[j], w[j])
				break
			}
		}
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
