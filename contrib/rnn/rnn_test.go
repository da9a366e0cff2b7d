package rnn_test

import (
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/internal/rnntest"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// refRNN is h_t = act([x_t, h_{t-1}]·K + b) in plain Go, with TF's
// sequence_length rule (zero outputs, state copied past a length). x is
// [B][T][I], K is [(I+n)][n]. It returns outputs [B][T][n] and the final h.
func refRNN(x [][][]float64, K [][]float64, b []float64, h0 [][]float64, lens []int, act func(float64) float64) ([][][]float64, [][]float64) {
	n := len(b)
	out := make([][][]float64, len(x))
	hs := make([][]float64, len(x))
	for i := range x {
		h := make([]float64, n)
		if h0 != nil {
			copy(h, h0[i])
		}
		out[i] = make([][]float64, len(x[i]))
		for t := range x[i] {
			out[i][t] = make([]float64, n)
			if lens != nil && t >= lens[i] {
				continue
			}
			in := append(append([]float64(nil), x[i][t]...), h...)
			nh := make([]float64, n)
			for j := 0; j < n; j++ {
				s := b[j]
				for k, v := range in {
					s += v * K[k][j]
				}
				nh[j] = act(s)
			}
			h = nh
			copy(out[i][t], h)
		}
		hs[i] = h
	}
	return out, hs
}

// randMat and flat are rnntest's, short.
var (
	randMat = rnntest.RandMat
	flat    = rnntest.Flat
)

// step returns x[:, t, :].
func step(x [][][]float64, t int) [][]float64 {
	o := make([][]float64, len(x))
	for i := range x {
		o[i] = x[i][t]
	}
	return o
}

func relu(v float64) float64 { return math.Max(v, 0) }

func TestBasicRNNCellVariables(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X0 := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	X1 := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	cell := rnn.NewBasicRNNCell(5)
	outs, states := rnn.StaticRNN(cell, []*tf.Tensor{X0, X1}, rnn.DType(tf.Float32))
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	if len(outs) != 2 || len(states) != 1 {
		t.Fatalf("got %d outputs and %d states, want 2 and 1", len(outs), len(states))
	}
	vars := g.Variables()
	want := []struct {
		name  string
		shape tf.Shape
	}{{"rnn/basic_rnn_cell/kernel", tf.Shape{8, 5}}, {"rnn/basic_rnn_cell/bias", tf.Shape{5}}}
	if len(vars) != len(want) {
		t.Fatalf("%d variables, want %d: %v", len(vars), len(want), vars)
	}
	for i, w := range want {
		if vars[i].Name() != w.name || !vars[i].Shape().Equal(w.shape) || vars[i].DType() != tf.Float32 {
			t.Errorf("variable %d is %s %v %s, want %s %v float32", i, vars[i].Name(), vars[i].Shape(), vars[i].DType(), w.name, w.shape)
		}
	}
	if cell.Kernel() != vars[0] || cell.Bias() != vars[1] {
		t.Errorf("the cell's Kernel and Bias are not the graph's variables")
	}
	for i, o := range outs {
		if !o.Shape().Equal(tf.Shape{tf.None, 5}) {
			t.Errorf("output %d has shape %v, want [None, 5]", i, o.Shape())
		}
	}
	// A second cell in the same scope gets its own variables, as TF's
	// default scope names; a dynamic loop in scope "rnn2" likewise.
	rnn.StaticRNN(rnn.NewBasicRNNCell(4), []*tf.Tensor{X0}, rnn.DType(tf.Float32))
	nn.DynamicRNN(rnn.NewBasicRNNCell(2), tf.Placeholder(tf.Float32, tf.Shape{tf.None, tf.None, 3}), rnn.DType(tf.Float32), rnn.Scope("rnn2"))
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range g.Variables() {
		names = append(names, v.Name()+v.Shape().String())
	}
	got := strings.Join(names, " ")
	wantNames := "rnn/basic_rnn_cell/kernel[8,5] rnn/basic_rnn_cell/bias[5] rnn/basic_rnn_cell_1/kernel[7,4] rnn/basic_rnn_cell_1/bias[4] rnn2/basic_rnn_cell/kernel[5,2] rnn2/basic_rnn_cell/bias[2]"
	if got != wantNames {
		t.Errorf("variables:\n got %s\nwant %s", got, wantNames)
	}

	// Initial values: glorot-uniform kernel within sqrt(6/(fan_in+fan_out)), zero bias.
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	vals := sess.MustRun([]*tf.Variable{vars[0], vars[1]}, nil)
	limit := math.Sqrt(6.0 / (8 + 5))
	nonzero := 0
	for _, v := range vals[0].Float64s() {
		if math.Abs(v) > limit {
			t.Errorf("kernel value %v outside the glorot-uniform limit %v", v, limit)
		}
		if v != 0 {
			nonzero++
		}
	}
	if nonzero < 35 {
		t.Errorf("kernel has only %d nonzero values of 40", nonzero)
	}
	for _, v := range vals[1].Float64s() {
		if v != 0 {
			t.Errorf("bias value %v, want 0", v)
		}
	}
}

// staticCase builds StaticRNN over a BasicRNNCell with known weights.
type staticCase struct {
	name    string
	lens    []int
	initial bool
	relu    bool
}

var staticCases = []staticCase{
	{name: "plain"},
	{name: "relu", relu: true},
	{name: "seq_len", lens: []int{3, 0, 2, 1}},
	{name: "seq_len_initial", lens: []int{0, 3, 1, 3}, initial: true},
}

const (
	nB, nT, nI, nU = 4, 3, 2, 3
)

type fixture struct {
	g        *tf.Graph
	X, h0    *tf.Tensor
	seq      *tf.Tensor
	xv       [][][]float64
	K        [][]float64
	b        []float64
	h0v      [][]float64
	cell     *rnn.BasicRNNCell
	feed     session.Feed
	loadVars func(s *session.Session)
}

func newFixture(t *testing.T, c staticCase) *fixture {
	t.Helper()
	r := rand.New(rand.NewSource(7))
	f := &fixture{g: tf.NewGraph()}
	f.xv = make([][][]float64, nB)
	for i := range f.xv {
		f.xv[i] = randMat(r, nT, nI)
	}
	f.K, f.b = randMat(r, nI+nU, nU), randMat(r, 1, nU)[0]
	defer f.g.AsDefault()()
	f.X = tf.Placeholder(tf.Float64, tf.Shape{tf.None, nT, nI}, tf.Name("X"))
	f.feed = session.Feed{f.X: f.xv}
	if c.relu {
		f.cell = rnn.NewBasicRNNCell(nU, rnn.Activation(tf.Relu))
	} else {
		f.cell = rnn.NewBasicRNNCell(nU)
	}
	if c.initial {
		f.h0v = randMat(r, nB, nU)
		f.h0 = tf.Placeholder(tf.Float64, tf.Shape{tf.None, nU}, tf.Name("h0"))
		f.feed[f.h0] = f.h0v
	}
	if c.lens != nil {
		f.seq = tf.Placeholder(tf.Int32, tf.Shape{tf.None}, tf.Name("seq"))
		l := make([]int32, len(c.lens))
		for i, v := range c.lens {
			l[i] = int32(v)
		}
		f.feed[f.seq] = l
	}
	f.loadVars = func(s *session.Session) {
		if err := s.LoadVariable(f.cell.Kernel(), f.K); err != nil {
			t.Fatal(err)
		}
		if err := s.LoadVariable(f.cell.Bias(), f.b); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) opts(c staticCase) []rnn.Option {
	var opts []rnn.Option
	if c.initial {
		opts = append(opts, rnn.InitialState(f.h0))
	} else {
		opts = append(opts, rnn.DType(tf.Float64))
	}
	if c.lens != nil {
		opts = append(opts, rnn.SequenceLength(f.seq))
	}
	return opts
}

func TestStaticRNNMatchesReference(t *testing.T) {
	for _, c := range staticCases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, c)
			restore := f.g.AsDefault()
			xs := tf.Unstack(tf.Transpose(f.X, []int{1, 0, 2}), 0)
			outs, state := rnn.StaticRNN(f.cell, xs, f.opts(c)...)
			restore()
			if err := f.g.Err(); err != nil {
				t.Fatal(err)
			}
			sess := session.New(session.WithGraph(f.g))
			defer sess.Close()
			f.loadVars(sess)
			vals, err := sess.Run(append(outs, state...), f.feed)
			if err != nil {
				t.Fatal(err)
			}
			act := math.Tanh
			if c.relu {
				act = relu
			}
			wantOut, wantH := refRNN(f.xv, f.K, f.b, f.h0v, c.lens, act)
			for s := 0; s < nT; s++ {
				if ok, msg := tftest.AllClose(vals[s].Float64s(), flat(step(wantOut, s)), 1e-12, 1e-12); !ok {
					t.Errorf("output %d: %s", s, msg)
				}
			}
			if ok, msg := tftest.AllClose(vals[nT].Float64s(), flat(wantH), 1e-12, 1e-12); !ok {
				t.Errorf("state: %s", msg)
			}
			if c.lens == nil {
				// The final state of a BasicRNNCell is its last output.
				if ok, msg := tftest.AllClose(vals[nT].Float64s(), vals[nT-1].Float64s(), 0, 0); !ok {
					t.Errorf("state != last output: %s", msg)
				}
			}
		})
	}
}

// TestStaticDynamicAgree builds both loops over one cell (so one set of
// weights) and compares outputs, states and gradients.
func TestStaticDynamicAgree(t *testing.T) {
	for _, c := range staticCases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, c)
			restore := f.g.AsDefault()
			xs := tf.Unstack(tf.Transpose(f.X, []int{1, 0, 2}), 0)
			sOuts, sState := rnn.StaticRNN(f.cell, xs, f.opts(c)...)
			sOut := tf.Transpose(tf.Stack(sOuts, 0), []int{1, 0, 2})
			dOut, dState := nn.DynamicRNN(f.cell, f.X, f.opts(c)...)
			r := rand.New(rand.NewSource(9))
			wOut := tf.Constant([][][]float64{randMat(r, nT, nU), randMat(r, nT, nU), randMat(r, nT, nU), randMat(r, nT, nU)}, tf.Float64)
			wState := tf.Constant(randMat(r, nB, nU), tf.Float64)
			loss := func(out, st *tf.Tensor) *tf.Tensor {
				return tf.Add(tf.ReduceSum(tf.Mul(out, wOut)), tf.ReduceSum(tf.Mul(st, wState)))
			}
			sLoss, dLoss := loss(sOut, sState[0]), loss(dOut, dState[0])
			wrt := []any{f.X, f.cell.Kernel(), f.cell.Bias()}
			if c.initial {
				wrt = append(wrt, f.h0)
			}
			sGrads, err := tf.Gradients([]*tf.Tensor{sLoss}, wrt)
			if err != nil {
				t.Fatal(err)
			}
			dGrads, err := tf.Gradients([]*tf.Tensor{dLoss}, wrt)
			if err != nil {
				t.Fatal(err)
			}
			restore()
			if len(f.g.Variables()) != 2 {
				t.Fatalf("the loops made %d variables, want the cell's 2", len(f.g.Variables()))
			}
			sess := session.New(session.WithGraph(f.g))
			defer sess.Close()
			f.loadVars(sess)
			fetch := append([]*tf.Tensor{sOut, sState[0], dOut, dState[0]}, append(sGrads, dGrads...)...)
			vals, err := sess.Run(fetch, f.feed)
			if err != nil {
				t.Fatal(err)
			}
			names := []string{"outputs", "state", "dX", "dKernel", "dBias", "dh0"}
			for i, name := range names[:2+len(wrt)] {
				si, di := i, i+2
				if i >= 2 {
					si, di = 4+i-2, 4+len(wrt)+i-2
				}
				if ok, msg := tftest.AllClose(vals[di].Float64s(), vals[si].Float64s(), 1e-6, 1e-6); !ok {
					t.Errorf("%s: dynamic != static: %s", name, msg)
				}
			}
			// The outputs and state against the plain-Go reference too.
			act := math.Tanh
			if c.relu {
				act = relu
			}
			wantOut, wantH := refRNN(f.xv, f.K, f.b, f.h0v, c.lens, act)
			var wo []float64
			for _, m := range wantOut {
				wo = append(wo, flat(m)...)
			}
			if ok, msg := tftest.AllClose(vals[2].Float64s(), wo, 1e-12, 1e-12); !ok {
				t.Errorf("dynamic outputs vs reference: %s", msg)
			}
			if ok, msg := tftest.AllClose(vals[3].Float64s(), flat(wantH), 1e-12, 1e-12); !ok {
				t.Errorf("dynamic state vs reference: %s", msg)
			}
		})
	}
}

// TestLoopGradientsNumerically checks the gradients of both loops with
// respect to the inputs, the initial state and the cell's variables by
// central differences.
func TestLoopGradientsNumerically(t *testing.T) {
	for _, dynamic := range []bool{false, true} {
		for _, c := range staticCases {
			name := "static/" + c.name
			if dynamic {
				name = "dynamic/" + c.name
			}
			t.Run(name, func(t *testing.T) {
				f := newFixture(t, c)
				restore := f.g.AsDefault()
				var out, st *tf.Tensor
				if dynamic {
					o, s := nn.DynamicRNN(f.cell, f.X, f.opts(c)...)
					out, st = o, s[0]
				} else {
					xs := tf.Unstack(tf.Transpose(f.X, []int{1, 0, 2}), 0)
					o, s := rnn.StaticRNN(f.cell, xs, f.opts(c)...)
					out, st = tf.Transpose(tf.Stack(o, 0), []int{1, 0, 2}), s[0]
				}
				r := rand.New(rand.NewSource(11))
				w := tf.Constant([][][]float64{randMat(r, nT, nU), randMat(r, nT, nU), randMat(r, nT, nU), randMat(r, nT, nU)}, tf.Float64)
				loss := tf.Add(tf.ReduceSum(tf.Mul(out, w)), tf.ReduceSum(tf.Square(st)))
				grads, err := tf.Gradients([]*tf.Tensor{loss}, []any{f.cell.Kernel(), f.cell.Bias()})
				restore()
				if err != nil {
					t.Fatal(err)
				}
				xs := []*tf.Tensor{f.X}
				if c.initial {
					xs = append(xs, f.h0)
				}
				tftest.CheckGradients(t, f.g, loss, xs, f.feed, 1e-6, 1e-7)
				// The variables cannot be fed: perturb them with LoadVariable.
				sess := session.New(session.WithGraph(f.g))
				defer sess.Close()
				f.loadVars(sess)
				an, err := sess.Run(grads, f.feed)
				if err != nil {
					t.Fatal(err)
				}
				for vi, v := range []*tf.Variable{f.cell.Kernel(), f.cell.Bias()} {
					base := flat(f.K)
					if vi == 1 {
						base = f.b
					}
					rnntest.CheckVariableGradient(t, sess, loss, f.feed, v, base, an[vi].Float64s(), tf.Float64, nil, 1e-6, 1e-7)
				}
			})
		}
	}
}
