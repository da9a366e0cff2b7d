package nn_test

import (
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// denseCell's Call builds a layers.Dense on [x, h] (named when name != ""):
// the user-written cell of issue 9's defect.
type denseCell struct {
	n    int
	name string
}

func (c *denseCell) StateSize() []int { return []int{c.n} }
func (c *denseCell) OutputSize() int  { return c.n }
func (c *denseCell) ZeroState(batch any, dt tf.DType) []*tf.Tensor {
	return rnncell.ZeroState(c, batch, dt)
}
func (c *denseCell) Call(x *tf.Tensor, s []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	opts := []layers.Option{layers.Activation(tf.Tanh)}
	if c.name != "" {
		opts = append(opts, layers.Name(c.name))
	}
	h := layers.Dense(tf.Concat([]*tf.Tensor{x, s[0]}, 1), c.n, opts...)
	return h, []*tf.Tensor{h}
}

// TestStaticRNNSharesVariables: as TF's static_rnn (reuse_variables() after
// step 0), a cell building a layer in its Call makes one weight set, named or
// not, and the loop runs; DynamicRNN's body and gradient make the same one.
func TestStaticRNNSharesVariables(t *testing.T) {
	for _, name := range []string{"", "my_cell"} {
		for _, dynamic := range []bool{false, true} {
			g := tf.NewGraph()
			restore := g.AsDefault()
			X := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 3, 2})
			cell := &denseCell{n: 4, name: name}
			var out *tf.Tensor
			if dynamic {
				var st []*tf.Tensor
				_, st = nn.DynamicRNN(cell, X, rnncell.DType(tf.Float64))
				out = st[0]
			} else {
				outs, _ := nn.StaticRNN(cell, tf.Unstack(X, 1), rnncell.DType(tf.Float64))
				out = outs[2]
			}
			loss := tf.ReduceSum(out)
			grads, err := tf.Gradients([]*tf.Tensor{loss}, []any{tf.GlobalVariables()[0]})
			if err != nil {
				t.Fatalf("name %q dynamic %v: %v", name, dynamic, err)
			}
			want := "rnn/dense/kernel[6,4] rnn/dense/bias[4]"
			if name != "" {
				want = strings.ReplaceAll(want, "dense", name)
			}
			var got []string
			for _, v := range g.Variables() {
				got = append(got, v.Name()+v.Shape().String())
			}
			if strings.Join(got, " ") != want {
				t.Errorf("name %q dynamic %v: variables %v, want %s", name, dynamic, got, want)
			}
			sess := session.New(session.WithGraph(g))
			sess.MustRun(tf.GlobalVariablesInitializer(), nil)
			x := [][][]float64{{{1, 2}, {3, 4}, {5, 6}}}
			if _, err := sess.Run([]tf.Fetch{out, grads[0]}, session.Feed{X: x}); err != nil {
				t.Errorf("name %q dynamic %v: %v", name, dynamic, err)
			}
			sess.Close()
			restore()
		}
	}
}
