package nn_test

import (
	"math/rand"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/rnntest"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// maskCell multiplies its input by a random mask of 0s and 2s drawn in its
// Call (dropout of keep probability 1/2, written from tf.RandomUniform):
// output = new state = x ⊙ mask. The gradient of the sum of the outputs
// with respect to x is the mask, which is also the output for x = ones:
// the two agree only when the gradient uses the forward pass's mask.
type maskCell struct{ batch, n int }

func (c *maskCell) StateSize() []int { return []int{c.n} }
func (c *maskCell) OutputSize() int  { return c.n }
func (c *maskCell) ZeroState(batch any, dt tf.DType) []*tf.Tensor {
	return rnncell.ZeroState(c, batch, dt)
}
func (c *maskCell) Call(x *tf.Tensor, s []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	u := tf.RandomUniform(tf.Shape{c.batch, c.n}, x.DType())
	mask := tf.Add(tf.Sign(tf.Sub(u, 0.5)), 1)
	y := tf.Mul(x, mask)
	return y, []*tf.Tensor{y}
}

// TestRandomCellGradientMatchesOutput: a cell drawing random numbers gets,
// under DynamicRNN as under StaticRNN, the gradient of the mask its forward
// pass drew (issue 8, defect 1: the gradient called the cell again and
// drew a new mask).
func TestRandomCellGradientMatchesOutput(t *testing.T) {
	const B, T, n = 3, 4, 5
	for _, loop := range []string{"dynamic", "static"} {
		t.Run(loop, func(t *testing.T) {
			g := tf.NewGraph()
			restore := g.AsDefault()
			tf.SetRandomSeed(7)
			X := tf.Placeholder(tf.Float64, tf.Shape{B, T, n})
			var outputs *tf.Tensor
			if loop == "dynamic" {
				outputs, _ = nn.DynamicRNN(&maskCell{B, n}, X, rnncell.DType(tf.Float64))
			} else {
				steps := tf.Unstack(X, 1)
				outs, _ := nn.StaticRNN(&maskCell{B, n}, steps, rnncell.DType(tf.Float64))
				outputs = tf.Stack(outs, 1)
			}
			grads, err := tf.Gradients([]*tf.Tensor{tf.ReduceSum(outputs)}, []any{X})
			restore()
			if err != nil {
				t.Fatal(err)
			}
			sess := session.New(session.WithGraph(g))
			defer sess.Close()
			ones := make([]float64, B*T*n)
			for i := range ones {
				ones[i] = 1
			}
			feed := session.Feed{X: tensor.New(tensor.WithShape(B, T, n), tensor.WithBacking(ones))}
			for run := 0; run < 3; run++ {
				v, err := sess.Run([]*tf.Tensor{outputs, grads[0]}, feed)
				if err != nil {
					t.Fatal(err)
				}
				out, grad := v[0].Float64s(), v[1].Float64s()
				zeros, differ := 0, 0
				for i := range out {
					if out[i] != grad[i] {
						differ++
					}
					if out[i] == 0 {
						zeros++
					}
				}
				if differ > 0 {
					t.Errorf("run %d: gradient differs from the output (the mask) in %d of %d elements:\noutput %v\ngradient %v", run, differ, len(out), out, grad)
				}
				if zeros == 0 || zeros == len(out) {
					t.Errorf("run %d: the mask has %d zeros of %d: not random", run, zeros, len(out))
				}
			}
		})
	}
}

// newVarCell makes its weights with tf.NewVariable inside Call (issue 8,
// defect 3): h' = tanh([x, h]·w).
type newVarCell struct {
	n int
	w *tf.Variable
}

func (c *newVarCell) StateSize() []int { return []int{c.n} }
func (c *newVarCell) OutputSize() int  { return c.n }
func (c *newVarCell) ZeroState(batch any, dt tf.DType) []*tf.Tensor {
	return rnncell.ZeroState(c, batch, dt)
}
func (c *newVarCell) Call(x *tf.Tensor, s []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	c.w = tf.NewVariable(tf.RandomNormal(tf.Shape{x.Shape()[1] + c.n, c.n}, x.DType(), tf.Stddev(0.5)), tf.Name("w"))
	h := tf.Tanh(tf.MatMul(tf.Concat([]*tf.Tensor{x, s[0]}, 1), c.w))
	return h, []*tf.Tensor{h}
}

// TestCellsMakingVariablesTrain: cells that make their variables inside
// Call (an unnamed layers.Dense, tf.NewVariable) build, train and have
// gradients matching central differences under DynamicRNN, with respect to
// the inputs and to every variable (issue 8, defects 2 and 3: the gradient
// called the cell again under a reuse scope, and a variable's initial value
// computed in the loop body could not be run).
func TestCellsMakingVariablesTrain(t *testing.T) {
	const B, T, I, n = 2, 3, 2, 3
	cells := map[string]func() rnncell.Cell{
		"dense":       func() rnncell.Cell { return &denseCell{n: n} },
		"NewVariable": func() rnncell.Cell { return &newVarCell{n: n} },
	}
	for name, mk := range cells {
		t.Run(name, func(t *testing.T) {
			g := tf.NewGraph()
			restore := g.AsDefault()
			tf.SetRandomSeed(3)
			X := tf.Placeholder(tf.Float64, tf.Shape{tf.None, T, I})
			lens := tf.Placeholder(tf.Int32, tf.Shape{tf.None})
			outputs, state := nn.DynamicRNN(mk(), X, rnncell.DType(tf.Float64), rnncell.SequenceLength(lens))
			r := rand.New(rand.NewSource(4))
			loss := tf.Add(tf.ReduceSum(tf.Mul(outputs, tf.Constant(rand3(r, B, T, n), tf.Float64))),
				tf.ReduceSum(tf.Square(state[0])))
			vars := g.TrainableVariables()
			if len(vars) == 0 {
				restore()
				t.Fatal("the cell made no variables")
			}
			grads, err := tf.Gradients([]*tf.Tensor{loss}, []any{vars[0], vars[len(vars)-1]})
			if err != nil {
				restore()
				t.Fatal(err)
			}
			trainOp := trainStep(loss)
			init := tf.GlobalVariablesInitializer()
			restore()
			if err := g.Err(); err != nil {
				t.Fatal(err)
			}
			feed := session.Feed{X: rand3(r, B, T, I), lens: []int32{3, 2}}
			tftest.CheckGradients(t, g, loss, []*tf.Tensor{X}, feed, 1e-6, 1e-7)

			sess := session.New(session.WithGraph(g))
			defer sess.Close()
			sess.MustRun(init, nil)
			// The variables' gradients against central differences, the
			// variable loaded with each element moved by ±h.
			for i, v := range []*tf.Variable{vars[0], vars[len(vars)-1]} {
				an := sess.MustRun(grads[i], feed)[0].Float64s()
				val := sess.MustRun(v, nil)[0].Float64s()
				rnntest.CheckVariableGradient(t, sess, loss, feed, v, val, an, tf.Float64, nil, 1e-6, 1e-7)
			}
			first := sess.MustRun(loss, feed)[0].Float64s()[0]
			for i := 0; i < 50; i++ {
				sess.MustRun(trainOp, feed)
			}
			if last := sess.MustRun(loss, feed)[0].Float64s()[0]; !(last < first) {
				t.Errorf("loss %g after 50 steps, %g before", last, first)
			}
		})
	}
}

// trainStep returns a plain gradient-descent step on every trainable
// variable of the default graph (the train package is not imported here).
func trainStep(loss *tf.Tensor) *tf.Operation {
	vars := tf.TrainableVariables()
	xs := make([]any, len(vars))
	for i, v := range vars {
		xs[i] = v
	}
	grads, err := tf.Gradients([]*tf.Tensor{loss}, xs)
	if err != nil {
		return tf.Group(nil)
	}
	ops := make([]*tf.Operation, len(vars))
	for i, v := range vars {
		ops[i] = tf.Assign(v, tf.Sub(v, tf.Mul(grads[i], 0.01))).Op()
	}
	return tf.Group(ops)
}

// TestDynamicRNNCallsTheCellOnce: building the loop and its gradient calls
// the cell's Call exactly once (TF's while_loop traces its body once).
func TestDynamicRNNCallsTheCellOnce(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	c := &countingCell{denseCell: denseCell{n: 3}}
	X := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 4, 2})
	outputs, _ := nn.DynamicRNN(c, X, rnncell.DType(tf.Float32))
	if _, err := tf.Gradients([]*tf.Tensor{tf.ReduceSum(outputs)}, []any{X}); err != nil {
		t.Fatal(err)
	}
	if _, err := tf.Gradients([]*tf.Tensor{tf.ReduceMean(outputs)}, []any{X}); err != nil {
		t.Fatal(err)
	}
	if c.calls != 1 {
		t.Errorf("Call ran %d times, want 1", c.calls)
	}
	var names []string
	for _, v := range g.Variables() {
		names = append(names, v.Name())
	}
	if got := strings.Join(names, " "); got != "rnn/dense/kernel rnn/dense/bias" {
		t.Errorf("variables %q, want rnn/dense/kernel rnn/dense/bias", got)
	}
}

type countingCell struct {
	denseCell
	calls int
}

func (c *countingCell) Call(x *tf.Tensor, s []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	c.calls++
	return c.denseCell.Call(x, s)
}

// inputVarCell makes a variable whose initial value is computed from the
// step's input, which cannot be lifted out of the loop.
type inputVarCell struct{ newVarCell }

func (c *inputVarCell) Call(x *tf.Tensor, s []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	v := tf.NewVariable(tf.Mul(x, 2))
	return tf.Add(v, s[0]), []*tf.Tensor{tf.Add(v, s[0])}
}

func TestNewVariableFromLoopInputIsAnError(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	X := tf.Placeholder(tf.Float32, tf.Shape{2, 4, 3})
	outputs, _ := nn.DynamicRNN(&inputVarCell{newVarCell{n: 3}}, X, rnncell.DType(tf.Float32))
	err := outputs.Err()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"tf.Variable at rnn_body_test.go:", "computed inside a loop body", "tf.GetVariable", "depends on the loop's input"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
