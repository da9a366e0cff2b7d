package nn_test

import (
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/rnntest"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// concatCell is BasicRNNCell's math written by a user from plain ops,
// h' = tanh(concat([x, h])·kernel + bias), its variables made with
// GetVariable on the first call.
type concatCell struct {
	n            int
	kernel, bias *tf.Variable
}

func (c *concatCell) StateSize() []int { return []int{c.n} }
func (c *concatCell) OutputSize() int  { return c.n }
func (c *concatCell) ZeroState(batch any, dt tf.DType) []*tf.Tensor {
	return rnncell.ZeroState(c, batch, dt)
}
func (c *concatCell) Call(x *tf.Tensor, s []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	if c.kernel == nil {
		defer tf.VariableScope("concat_cell", tf.ReuseInherit)()
		c.kernel = tf.GetVariable("kernel", tf.Shape{x.Shape()[1] + c.n, c.n}, tf.WithDType(x.DType()))
		c.bias = tf.GetVariable("bias", tf.Shape{c.n}, tf.WithDType(x.DType()))
	}
	h := tf.Tanh(tf.Add(tf.MatMul(tf.Concat([]*tf.Tensor{x, s[0]}, 1), c.kernel), c.bias))
	return h, []*tf.Tensor{h}
}

// newSplitCell returns rnntest's SplitCell of n units, its bias drawn
// from [-0.5, 0.5) (op seed 3).
func newSplitCell(n int) rnncell.Cell {
	return &rnntest.SplitCell{N: n, BiasInit: tf.RandomUniformInitializer(tf.Minval(-0.5), tf.Maxval(0.5), tf.Seed(3))}
}

// splitCases run splitCell through the generic loop, with and without
// sequence lengths and initial states.
var splitCases = []stackCase{
	{name: "user split cell lengths", cell: func() rnncell.Cell { return newSplitCell(4) }, dtype: tf.Float64, B: 4, T: 5, I: 3,
		lens: []int32{5, 0, 2, 3}, initState: true},
	{name: "user split cell time major", cell: func() rnncell.Cell { return newSplitCell(3) }, dtype: tf.Float64, B: 3, T: 4, I: 2, timeMajor: true},
	{name: "float32 user split cell lengths", cell: func() rnncell.Cell { return newSplitCell(5) }, dtype: tf.Float32, B: 3, T: 4, I: 2,
		lens: []int32{4, 1, 3}, initState: true},
}

// TestDynamicRNNDefersStateProduct checks that the generic loop over
// splitCell hoists x·W_x and defers W_h's gradient (a Zero hoisted entry
// whose Deferred block is all of W_h), so that no step computes h·dy.
func TestDynamicRNNDefersStateProduct(t *testing.T) {
	m := buildStackModel(t, splitCases[0], true)
	defer m.sess.Close()
	var body *tfimpl.Func
	for _, op := range m.g.Operations() {
		if op.Type() == "DynamicRNNLoop" {
			body = op.Attrs()["loop"].(interface{ Body() *tfimpl.Func }).Body()
		}
	}
	if body == nil {
		t.Fatal("no DynamicRNNLoop op")
	}
	var zero, hoisted int
	for _, h := range body.Hoisted {
		if h.Zero {
			zero++
		} else {
			hoisted++
		}
	}
	if zero != 1 || hoisted != 1 || len(body.Deferred) != 1 {
		t.Fatalf("%d hoisted products, %d zero entries, %d deferred blocks; want 1, 1, 1", hoisted, zero, len(body.Deferred))
	}
	d := body.Deferred[0]
	if w := body.Captured[d.W]; d.A != 1 || d.Row != 0 || d.Rows != 4 || !strings.Contains(w.Name(), "split_cell/wh") {
		t.Errorf("deferred block %+v of %q; want argument 1 (the state), rows [0, 4) of split_cell/wh", d, w.Name())
	}
}

// TestDynamicRNNHoistedMatchesUnhoisted checks the generic loop with the
// step input's products hoisted out of the loop (one product for all
// steps, the weight gradients after the reverse pass) against the loop
// computing them in each step: outputs, loss, final states and every
// gradient, to 1e-6, on LSTM, GRU, stacked and user-written cells.
func TestDynamicRNNHoistedMatchesUnhoisted(t *testing.T) {
	cases := append([]stackCase{
		{name: "user concat cell", cell: func() rnncell.Cell { return &concatCell{n: 4} }, dtype: tf.Float64, B: 3, T: 4, I: 2},
		{name: "user concat cell lengths time major", cell: func() rnncell.Cell { return &concatCell{n: 3} }, dtype: tf.Float64, B: 4, T: 5, I: 3,
			timeMajor: true, lens: []int32{5, 0, 2, 3}, initState: true},
		{name: "float32 user concat cell lengths", cell: func() rnncell.Cell { return &concatCell{n: 5} }, dtype: tf.Float32, B: 3, T: 4, I: 2,
			lens: []int32{4, 1, 3}, initState: true},
	}, append(splitCases, stackCases...)...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			restore := nn.SetHoistProducts(false)
			f := buildStackModel(t, tc, true)
			restore()
			defer f.sess.Close()
			g := buildStackModel(t, tc, true)
			defer g.sess.Close()
			if f.loopType != "DynamicRNNLoop" || g.loopType != "DynamicRNNLoop" {
				t.Fatalf("loop ops %q and %q, want DynamicRNNLoop", f.loopType, g.loopType)
			}
			checkFetchesClose(t, tc.dtype, f.run(t), g.run(t), 1e-6, 1e-5, fetchNumber, "hoisted vs not")
		})
	}
}

// TestDynamicRNNSplitBatchMatchesWhole checks the generic loop running its
// batch in parts, one goroutine each, against the loop running it whole:
// outputs, loss, final states and every gradient, to 1e-6. (The batches
// here are small: the test lets parts be of one row.)
func TestDynamicRNNSplitBatchMatchesWhole(t *testing.T) {
	cases := append([]stackCase{
		{name: "user concat cell lengths", cell: func() rnncell.Cell { return &concatCell{n: 4} }, dtype: tf.Float64, B: 5, T: 4, I: 2,
			lens: []int32{4, 0, 2, 3, 1}, initState: true},
		{name: "user concat cell time major", cell: func() rnncell.Cell { return &concatCell{n: 3} }, dtype: tf.Float64, B: 4, T: 5, I: 3, timeMajor: true},
	}, append(splitCases, stackCases...)...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			restore := nn.SetMinPartRows(1 << 30)
			f := buildStackModel(t, tc, true)
			fv := f.run(t)
			f.sess.Close()
			restore()
			defer nn.SetMinPartRows(1)()
			g := buildStackModel(t, tc, true)
			defer g.sess.Close()
			checkFetchesClose(t, tc.dtype, fv, g.run(t), 1e-6, 1e-5, fetchNumber, "split vs whole")
		})
	}
}

// TestDynamicRNNGenericEmpty runs the generic loop (hoisted products,
// states read in place) on an empty batch and on no steps, forward and
// backward: outputs of the right shapes, the initial state as the final
// state, zero gradients.
func TestDynamicRNNGenericEmpty(t *testing.T) {
	for _, shape := range [][]int{{0, 3, 2}, {2, 0, 2}} {
		g := tf.NewGraph()
		restore := g.AsDefault()
		X := tf.Placeholder(tf.Float64, tf.Shape{tf.None, tf.None, 2})
		cell := &concatCell{n: 3}
		outs, state := nn.DynamicRNN(cell, X, rnncell.DType(tf.Float64))
		loss := tf.Add(tf.ReduceSum(outs), tf.ReduceSum(state[0]))
		grads, err := tf.Gradients(loss, []any{X, cell.kernel, cell.bias})
		init := tf.GlobalVariablesInitializer()
		restore()
		if err != nil {
			t.Fatal(err)
		}
		sess := session.New(session.WithGraph(g))
		sess.MustRun(init, nil)
		x := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(make([]float64, shape[0]*shape[1]*shape[2])))
		vals, err := sess.Run(append([]*tf.Tensor{outs, state[0]}, grads...), session.Feed{X: x})
		sess.Close()
		if err != nil {
			t.Fatalf("shape %v: %v", shape, err)
		}
		if got, want := tf.Shape(vals[0].Shape()), (tf.Shape{shape[0], shape[1], 3}); !got.Equal(want) {
			t.Errorf("shape %v: outputs %v, want %v", shape, got, want)
		}
		for i, v := range vals[1:] {
			for _, e := range v.Float64s() {
				if e != 0 {
					t.Errorf("shape %v: fetch %d has %v, want zeros", shape, i+1, v.Float64s())
					break
				}
			}
		}
	}
}
