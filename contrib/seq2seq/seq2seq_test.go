package seq2seq_test

import (
	"fmt"
	"math"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/seq2seq"
	"github.com/gorgoflow/gorgoflow/internal/rnntest"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

const (
	batch    = 3
	memTime  = 4
	memDepth = 3
	inDepth  = 2
	units    = 4 // the decoder cell's
	vocab    = 6
	steps    = 5
)

var (
	seqLens = []int32{5, 2, 4}
	memLens = []int32{4, 2, 3}
)

func randn(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return v
}

func dense(v []float64, shape ...int) any {
	d, err := tfimpl.ConvertToTensor(v, tf.Float64)
	if err != nil {
		panic(err)
	}
	if err := d.Reshape(shape...); err != nil {
		panic(err)
	}
	return d
}

// attnCase is a decoder over a BasicRNNCell, with or without attention.
type attnCase struct {
	name            string
	mech            string // "", "bahdanau", "luong"
	attUnits        int
	normalize       bool // Bahdanau
	scale           bool // Luong
	attnLayer       int  // attention_layer_size, 0: none
	outputAttention bool
	memLengths      bool
	impute          bool
	history         bool
	greedy          bool // GreedyEmbeddingHelper, else TrainingHelper
	maxIter         int  // 0: none
	endToken        int  // greedy
	lens            []int32
	early           bool // every sequence finishes before the last step
	outTimeMajor    bool
	customFns       bool // ProbabilityFn softmax(2·score), CellInputFn [attention, inputs]
}

func (tc attnCase) seqLens() []int32 {
	if tc.lens != nil {
		return tc.lens
	}
	return seqLens
}

var attnCases = []attnCase{
	{name: "no attention", impute: true},
	{name: "no attention not imputed"},
	{name: "bahdanau", mech: "bahdanau", attUnits: 5, attnLayer: 3, outputAttention: true, memLengths: true, impute: true, history: true},
	{name: "bahdanau normalized cell output", mech: "bahdanau", attUnits: 5, normalize: true, memLengths: true},
	{name: "bahdanau context", mech: "bahdanau", attUnits: 2, outputAttention: true, maxIter: 3},
	{name: "luong", mech: "luong", attUnits: units, attnLayer: 2, outputAttention: true, memLengths: true, impute: true},
	{name: "luong scaled", mech: "luong", attUnits: units, scale: true, outputAttention: true, history: true},
	{name: "bahdanau custom functions", mech: "bahdanau", attUnits: 5, attnLayer: 3, outputAttention: true, memLengths: true, customFns: true},
	{name: "luong time major", mech: "luong", attUnits: units, attnLayer: 3, memLengths: true, outTimeMajor: true, impute: true},
	{name: "all done early not imputed", mech: "luong", attUnits: units, outputAttention: true, lens: []int32{3, 2, 3}, history: true, early: true},
	{name: "a length 0", mech: "bahdanau", attUnits: 5, attnLayer: 3, outputAttention: true, impute: true, lens: []int32{3, 0, 2}, early: true},
	{name: "greedy bahdanau", mech: "bahdanau", attUnits: 5, attnLayer: 3, outputAttention: true, memLengths: true, greedy: true, maxIter: 6, impute: true, history: true, endToken: 1},
	{name: "greedy no attention", greedy: true, maxIter: 7, endToken: 0, early: true},
	{name: "greedy no attention imputed", greedy: true, maxIter: 7, endToken: 0, impute: true, early: true},
}

type attnModel struct {
	g                     *tf.Graph
	sess                  *session.Session
	feed                  session.Feed
	inputs, memory        *tf.Tensor
	outputs               seq2seq.BasicDecoderOutput
	state                 []*tf.Tensor
	lengths               *tf.Tensor
	loss                  *tf.Tensor
	vars                  map[string]*tf.Variable
	embedding             *tf.Variable
	nSteps                int
	inputVals, memoryVals []float64
}

func buildAttn(t *testing.T, tc attnCase) *attnModel {
	t.Helper()
	m := &attnModel{g: tf.NewGraph(), vars: map[string]*tf.Variable{}}
	defer m.g.AsDefault()()
	tf.SetRandomSeed(7)
	rng := rand.New(rand.NewSource(3))
	m.inputs = tf.Placeholder(tf.Float64, tf.Shape{batch, steps, inDepth}, tf.Name("inputs"))
	m.memory = tf.Placeholder(tf.Float64, tf.Shape{batch, memTime, memDepth}, tf.Name("memory"))
	seqLen := tf.Constant(tc.seqLens(), tf.Int32)
	var cell rnncell.Cell = rnncell.NewBasicRNNCell(units)
	var wrapper *seq2seq.AttentionWrapper
	if tc.mech != "" {
		var opts []seq2seq.Option
		if tc.memLengths {
			opts = append(opts, seq2seq.MemorySequenceLength(tf.Constant(memLens, tf.Int32)))
		}
		var mech seq2seq.AttentionMechanism
		if tc.customFns {
			opts = append(opts, seq2seq.ProbabilityFn(func(score *tf.Tensor) *tf.Tensor { return nn.Softmax(tf.Mul(score, 2.0)) }))
		}
		if tc.mech == "bahdanau" {
			mech = seq2seq.NewBahdanauAttention(tc.attUnits, m.memory, append(opts, seq2seq.Normalize(tc.normalize))...)
		} else {
			mech = seq2seq.NewLuongAttention(tc.attUnits, m.memory, append(opts, seq2seq.Scale(tc.scale))...)
		}
		wopts := []seq2seq.Option{seq2seq.OutputAttention(tc.outputAttention), seq2seq.AlignmentHistory(tc.history)}
		if tc.attnLayer > 0 {
			wopts = append(wopts, seq2seq.AttentionLayerSize(tc.attnLayer))
		}
		if tc.customFns {
			wopts = append(wopts, seq2seq.CellInputFn(func(inputs, attention *tf.Tensor) *tf.Tensor {
				return tf.Concat([]*tf.Tensor{attention, inputs}, 1)
			}))
		}
		wrapper = seq2seq.NewAttentionWrapper(cell, mech, wopts...)
		cell = wrapper
	}
	var helper seq2seq.Helper
	if tc.greedy {
		m.embedding = tf.GetVariable("embedding", tf.Shape{vocab, inDepth}, tf.WithDType(tf.Float64))
		helper = seq2seq.NewGreedyEmbeddingHelper(m.embedding, []int32{1, 2, 3}, tc.endToken)
	} else {
		helper = seq2seq.NewTrainingHelper(m.inputs, seqLen)
	}
	init := cell.ZeroState(batch, tf.Float64)
	decoder := seq2seq.NewBasicDecoder(cell, helper, init, seq2seq.OutputLayer(layers.NewDense(vocab)))
	var dopts []seq2seq.Option
	if tc.impute {
		dopts = append(dopts, seq2seq.ImputeFinished(true))
	}
	if tc.maxIter > 0 {
		dopts = append(dopts, seq2seq.MaximumIterations(tc.maxIter))
	}
	if tc.outTimeMajor {
		dopts = append(dopts, seq2seq.OutputTimeMajor(true), seq2seq.SwapMemory(true))
	}
	m.outputs, m.state, m.lengths = seq2seq.DynamicDecode(decoder, dopts...)
	if tc.outTimeMajor {
		// Back to batch major for the comparisons and the loss.
		m.outputs.RNNOutput = tf.Transpose(m.outputs.RNNOutput, []int{1, 0, 2})
		m.outputs.SampleID = tf.Transpose(m.outputs.SampleID, []int{1, 0})
	}
	for _, x := range append([]*tf.Tensor{m.outputs.RNNOutput, m.outputs.SampleID, m.lengths}, m.state...) {
		if x.Err() != nil {
			t.Fatal(x.Err())
		}
	}
	m.nSteps = m.outputs.RNNOutput.Shape()[1]
	targets := make([]int32, batch*m.nSteps)
	weights := make([]float64, batch*m.nSteps)
	for i := range targets {
		targets[i] = int32(rng.Intn(vocab))
		weights[i] = float64(i%3) * 0.5
	}
	m.loss = seq2seq.SequenceLoss(m.outputs.RNNOutput, tf.Reshape(tf.Constant(targets, tf.Int32), []int{batch, m.nSteps}),
		tf.Reshape(tf.Constant(weights, tf.Float64), []int{batch, m.nSteps}))
	if m.loss.Err() != nil {
		t.Fatal(m.loss.Err())
	}
	for _, v := range m.g.Variables() {
		m.vars[v.Name()] = v
	}
	m.inputVals, m.memoryVals = randn(rng, batch*steps*inDepth), randn(rng, batch*memTime*memDepth)
	m.feed = session.Feed{
		m.inputs: dense(m.inputVals, batch, steps, inDepth),
		m.memory: dense(m.memoryVals, batch, memTime, memDepth),
	}
	m.sess = session.New(session.WithGraph(m.g))
	init2 := func() *tf.Operation { defer m.g.AsDefault()(); return tf.GlobalVariablesInitializer() }()
	m.sess.MustRun(init2, nil)
	// Random values everywhere (not the initializers' zeros and ones), so
	// that every variable matters to the comparisons.
	names := make([]string, 0, len(m.vars))
	for n := range m.vars {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := m.vars[n]
		size := 1
		for _, d := range v.Shape() {
			size *= d
		}
		vals := randn(rng, size)
		for i := range vals {
			vals[i] *= 0.7
		}
		var val any = vals[0]
		if len(v.Shape()) > 0 {
			val = dense(vals, v.Shape()...)
		}
		if err := m.sess.LoadVariable(v, val); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func (m *attnModel) value(t *testing.T, name string) []float64 {
	t.Helper()
	v, ok := m.vars[name]
	if !ok {
		var names []string
		for n := range m.vars {
			names = append(names, n)
		}
		sort.Strings(names)
		t.Fatalf("no variable %s; have %v", name, names)
	}
	return m.sess.MustRun(v, nil)[0].Float64s()
}

// TestVariableNames checks the variables' names and shapes against TF's.
func TestVariableNames(t *testing.T) {
	m := buildAttn(t, attnCases[2])
	defer m.sess.Close()
	want := map[string]tf.Shape{
		"memory_layer/kernel":                                             {memDepth, 5},
		"decoder/attention_wrapper/basic_rnn_cell/kernel":                 {inDepth + 3 + units, units},
		"decoder/attention_wrapper/basic_rnn_cell/bias":                   {units},
		"decoder/attention_wrapper/bahdanau_attention/query_layer/kernel": {units, 5},
		"decoder/attention_wrapper/bahdanau_attention/attention_v":        {5},
		"decoder/attention_wrapper/attention_layer/kernel":                {units + memDepth, 3},
		"decoder/dense/kernel":                                            {3, vocab},
		"decoder/dense/bias":                                              {vocab},
	}
	var got []string
	for n, v := range m.vars {
		got = append(got, fmt.Sprint(n, v.Shape()))
	}
	sort.Strings(got)
	var exp []string
	for n, s := range want {
		exp = append(exp, fmt.Sprint(n, s))
	}
	sort.Strings(exp)
	if strings.Join(got, "\n") != strings.Join(exp, "\n") {
		t.Errorf("variables:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(exp, "\n"))
	}
	for _, tc := range []struct {
		c    attnCase
		name string
		want tf.Shape
	}{
		{attnCases[3], "decoder/attention_wrapper/bahdanau_attention/attention_g", tf.Shape{}},
		{attnCases[3], "decoder/attention_wrapper/bahdanau_attention/attention_b", tf.Shape{5}},
		{attnCases[6], "decoder/attention_wrapper/luong_attention/attention_g", tf.Shape{}},
		{attnCases[0], "decoder/basic_rnn_cell/kernel", tf.Shape{inDepth + units, units}},
	} {
		m := buildAttn(t, tc.c)
		v, ok := m.vars[tc.name]
		if !ok || fmt.Sprint(v.Shape()) != fmt.Sprint(tc.want) {
			t.Errorf("%s: no variable %s %v", tc.c.name, tc.name, tc.want)
		}
		m.sess.Close()
	}
	// Initial values: attention_g sqrt(1/units), attention_b zeros, Luong's g 1.
	m3 := buildAttn(t, attnCases[3])
	defer m3.sess.Close()
	m3.sess.MustRun(func() *tf.Operation { defer m3.g.AsDefault()(); return tf.GlobalVariablesInitializer() }(), nil)
	if g := m3.value(t, "decoder/attention_wrapper/bahdanau_attention/attention_g"); math.Abs(g[0]-math.Sqrt(1/5.)) > 1e-15 {
		t.Errorf("attention_g = %v, want sqrt(1/5)", g)
	}
	if b := m3.value(t, "decoder/attention_wrapper/bahdanau_attention/attention_b"); fmt.Sprint(b) != "[0 0 0 0 0]" {
		t.Errorf("attention_b = %v, want zeros", b)
	}
	m6 := buildAttn(t, attnCases[6])
	defer m6.sess.Close()
	m6.sess.MustRun(func() *tf.Operation { defer m6.g.AsDefault()(); return tf.GlobalVariablesInitializer() }(), nil)
	if g := m6.value(t, "decoder/attention_wrapper/luong_attention/attention_g"); g[0] != 1 {
		t.Errorf("luong attention_g = %v, want 1", g)
	}
}

// reference computes the case with the plain-Go reimplementation, from
// the model's variable values and feeds.
func (m *attnModel) reference(t *testing.T, tc attnCase) refDecodeResult {
	t.Helper()
	prefix := "decoder/"
	attSize := memDepth
	if tc.attnLayer > 0 {
		attSize = tc.attnLayer
	}
	cellIn := inDepth
	if tc.mech != "" {
		prefix += "attention_wrapper/"
		cellIn += attSize
	}
	cell := refRNN{kernel: newMat(m.value(t, prefix+"basic_rnn_cell/kernel"), cellIn+units, units), bias: m.value(t, prefix+"basic_rnn_cell/bias")}
	outSize := units
	if tc.mech != "" && tc.outputAttention {
		outSize = attSize
	}
	denseK, denseB := newMat(m.value(t, "decoder/dense/kernel"), outSize, vocab), m.value(t, "decoder/dense/bias")
	atts := make([]refAttention, batch)
	if tc.mech != "" {
		a := refAttention{luong: tc.mech == "luong", normalize: tc.normalize, scale: tc.scale, outputAttention: tc.outputAttention, double: tc.customFns,
			memoryKernel: newMat(m.value(t, "memory_layer/kernel"), memDepth, tc.attUnits)}
		scope := prefix + "bahdanau_attention/"
		if a.luong {
			scope = prefix + "luong_attention/"
		} else {
			a.queryKernel = newMat(m.value(t, scope+"query_layer/kernel"), units, tc.attUnits)
			a.v = m.value(t, scope+"attention_v")
		}
		if tc.normalize || tc.scale {
			a.g = m.value(t, scope+"attention_g")[0]
		}
		if tc.normalize {
			a.b = m.value(t, scope+"attention_b")
		}
		if tc.attnLayer > 0 {
			a.attentionKernel = newMat(m.value(t, prefix+"attention_layer/kernel"), units+memDepth, tc.attnLayer)
		}
		for b := range atts {
			atts[b] = a
			atts[b].memory = newMat(m.memoryVals[b*memTime*memDepth:(b+1)*memTime*memDepth], memTime, memDepth)
			atts[b].length = memTime
			if tc.memLengths {
				atts[b].length = int(memLens[b])
			}
		}
	}
	var emb mat
	if tc.greedy {
		emb = newMat(m.value(t, "embedding"), vocab, inDepth)
	}
	input := func(b, time int) []float64 {
		o := (b*steps + time) * inDepth
		return m.inputVals[o : o+inDepth]
	}
	initState := make([][][]float64, batch)
	for b := range initState {
		initState[b] = [][]float64{make([]float64, units)}
		if tc.mech != "" {
			initState[b] = append(initState[b], make([]float64, attSize), make([]float64, memTime))
		}
	}
	step := func(b int, x []float64, st [][]float64) ([]float64, [][]float64) {
		var out []float64
		var next [][]float64
		if tc.mech == "" {
			h := cell.step(x, st[0])
			out, next = h, [][]float64{h}
		} else {
			out, next = refAttentionCell{cell: cell, att: atts[b], swap: tc.customFns}.step(x, st)
		}
		logits := vecMat(out, denseK)
		for i := range logits {
			logits[i] += denseB[i]
		}
		return logits, next
	}
	starts := []int{1, 2, 3}
	initialize := func(b int) (bool, []float64) {
		if tc.greedy {
			return false, emb[starts[b]]
		}
		return tc.seqLens()[b] == 0, input(b, 0)
	}
	nextInputs := func(time, b, id int) (bool, []float64) {
		if tc.greedy {
			return id == tc.endToken, emb[id]
		}
		if time+1 < steps {
			return time+1 >= int(tc.seqLens()[b]), input(b, time+1)
		}
		return true, make([]float64, inDepth)
	}
	maxIter := -1
	if tc.maxIter > 0 {
		maxIter = tc.maxIter
	}
	return refDynamicDecode(batch, m.nSteps, maxIter, tc.impute, initState, initialize, step, nextInputs, tc.history)
}

// TestDynamicDecodeMatchesReference checks outputs, sample ids, final
// state, lengths and alignment history against the reimplementation.
func TestDynamicDecodeMatchesReference(t *testing.T) {
	for _, tc := range attnCases {
		t.Run(tc.name, func(t *testing.T) {
			m := buildAttn(t, tc)
			defer m.sess.Close()
			want := m.reference(t, tc)
			fetches := append([]*tf.Tensor{m.outputs.RNNOutput, m.outputs.SampleID, m.lengths}, m.state...)
			vals, err := m.sess.Run(fetches, m.feed)
			if err != nil {
				t.Fatal(err)
			}
			check := func(what string, got, want []float64) {
				t.Helper()
				if ok, msg := tftest.AllClose(got, want, 1e-9, 1e-9); !ok {
					t.Errorf("%s: %s", what, msg)
				}
			}
			var wOut, wIDs, wLens []float64
			for b := 0; b < batch; b++ {
				for s := 0; s < m.nSteps; s++ {
					wOut = append(wOut, want.out[b][s]...)
					wIDs = append(wIDs, float64(want.ids[b][s]))
				}
				wLens = append(wLens, float64(want.lengths[b]))
			}
			check("rnn_output", vals[0].Float64s(), wOut)
			check("sample_id", vals[1].Float64s(), wIDs)
			check("final_sequence_lengths", vals[2].Float64s(), wLens)
			nState := len(want.state[0])
			for i := 0; i < nState; i++ {
				var w []float64
				for b := 0; b < batch; b++ {
					w = append(w, want.state[b][i]...)
				}
				check(fmt.Sprintf("final state %d", i), vals[3+i].Float64s(), w)
			}
			if tc.history {
				if len(vals) != 3+nState+1 {
					t.Fatalf("%d final state tensors, want %d and the history", len(vals)-3, nState)
				}
				var w []float64
				for _, st := range want.history {
					for _, al := range st {
						w = append(w, al...)
					}
				}
				check("alignment_history", vals[len(vals)-1].Float64s(), w)
			} else if len(vals) != 3+nState {
				t.Errorf("%d final state tensors, want %d", len(vals)-3, nState)
			}
			t.Logf("lengths %v, ids %v", want.lengths, want.ids)
			longest := 0
			for _, l := range want.lengths {
				longest = max(longest, l)
			}
			if tc.early != (longest < m.nSteps) {
				t.Errorf("the case is meant to have early = %v, lengths %v of %d steps", tc.early, want.lengths, m.nSteps)
			}
		})
	}
}

// TestDynamicDecodeGradients checks the gradients of a sequence loss over
// the decoder's outputs by central differences: of the inputs and the
// memory with tftest.CheckGradients, of every variable by loading
// perturbed values.
func TestDynamicDecodeGradients(t *testing.T) {
	for _, tc := range attnCases {
		t.Run(tc.name, func(t *testing.T) {
			m := buildAttn(t, tc)
			defer m.sess.Close()
			var xs []*tf.Tensor
			if !tc.greedy {
				xs = append(xs, m.inputs)
			}
			if tc.mech != "" {
				xs = append(xs, m.memory)
			}
			if len(xs) > 0 {
				tftest.CheckGradients(t, m.g, m.loss, xs, m.feed, 1e-6, 1e-6)
			}
			names := make([]string, 0, len(m.vars))
			for n := range m.vars {
				names = append(names, n)
			}
			sort.Strings(names)
			vars := make([]*tf.Variable, len(names))
			for i, n := range names {
				vars[i] = m.vars[n]
			}
			grads, err := func() ([]*tf.Tensor, error) {
				defer m.g.AsDefault()()
				vs := make([]any, len(vars))
				for i, v := range vars {
					vs[i] = v
				}
				return tf.Gradients(m.loss, vs)
			}()
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range vars {
				if grads[i] == nil {
					t.Errorf("no gradient for %s", v.Name())
					continue
				}
				g := m.sess.MustRun(grads[i], m.feed)[0].Float64s()
				p := m.sess.MustRun(v, nil)[0].Float64s()
				rnntest.CheckVariableGradient(t, m.sess, m.loss, m.feed, v, p, g, tf.Float64, nil, 1e-6, 1e-6)
			}
		})
	}
}

// TestSequenceLoss checks SequenceLoss's four averaging modes and a custom
// loss function against the formulas computed here.
func TestSequenceLoss(t *testing.T) {
	const B, T, C = 2, 3, 4
	rng := rand.New(rand.NewSource(5))
	logits := randn(rng, B*T*C)
	targets := []int32{0, 3, 1, 2, 2, 0}
	weights := []float64{1, 0.5, 0, 1, 1, 0.25}
	xent := make([]float64, B*T)
	for i := range xent {
		row := logits[i*C : (i+1)*C]
		p := softmax(row)
		xent[i] = -math.Log(p[targets[i]]) * weights[i]
	}
	sum := func(idx func(b, s int) int, n, over int, byRow bool) []float64 {
		out := make([]float64, n)
		ws := make([]float64, n)
		for b := 0; b < B; b++ {
			for s := 0; s < T; s++ {
				k := b
				if !byRow {
					k = s
				}
				if n == 1 {
					k = 0
				}
				out[k] += xent[idx(b, s)]
				ws[k] += weights[idx(b, s)]
			}
		}
		for k := range out {
			out[k] /= ws[k] + 1e-12
		}
		return out
	}
	at := func(b, s int) int { return b*T + s }
	cases := []struct {
		name string
		opts []seq2seq.Option
		want []float64
	}{
		{"both", nil, sum(at, 1, 0, true)},
		{"time", []seq2seq.Option{seq2seq.AverageAcrossBatch(false)}, sum(at, B, 0, true)},
		{"batch", []seq2seq.Option{seq2seq.AverageAcrossTimesteps(false)}, sum(at, T, 0, false)},
		{"neither", []seq2seq.Option{seq2seq.AverageAcrossTimesteps(false), seq2seq.AverageAcrossBatch(false)}, xent},
		{"custom loss", []seq2seq.Option{seq2seq.AverageAcrossBatch(false), seq2seq.SoftmaxLossFunction(func(labels, logits *tf.Tensor) *tf.Tensor {
			// The same cross-entropy, spelt out: logsumexp - logit[label].
			if len(labels.Shape()) != 1 || len(logits.Shape()) != 2 {
				return tfimpl.ErrTensor(fmt.Errorf("flattened shapes %v %v", labels.Shape(), logits.Shape()))
			}
			onehot := tf.Cast(tf.Equal(tf.ExpandDims(labels, 1), tf.Constant([][]int32{{0, 1, 2, 3}}, tf.Int32)), tf.Float64)
			lse := tf.Log(tf.ReduceSum(tf.Exp(logits), tf.Axis(1)))
			return tf.Sub(lse, tf.ReduceSum(tf.Mul(onehot, logits), tf.Axis(1)))
		})}, sum(at, B, 0, true)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := tf.NewGraph()
			defer g.AsDefault()()
			l := tf.Placeholder(tf.Float64, tf.Shape{tf.None, T, C})
			loss := seq2seq.SequenceLoss(l, tf.Constant([][]int32{targets[:3], targets[3:]}, tf.Int32),
				tf.Constant([][]float64{weights[:3], weights[3:]}, tf.Float64), tc.opts...)
			sess := session.New(session.WithGraph(g))
			defer sess.Close()
			feed := session.Feed{l: dense(logits, B, T, C)}
			got, err := sess.Run(loss, feed)
			if err != nil {
				t.Fatal(err)
			}
			if ok, msg := tftest.AllClose(got[0].Float64s(), tc.want, 1e-12, 1e-12); !ok {
				t.Error(msg)
			}
			tftest.CheckGradients(t, g, loss, []*tf.Tensor{l}, feed, 1e-6, 1e-7)
		})
	}
}
