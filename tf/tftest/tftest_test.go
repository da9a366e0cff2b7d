package tftest_test

import (
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// The checker itself must catch a wrong gradient: a deliberately wrong
// OpDef.Grad (2x instead of 3x^2) must give a large error.
func TestGradientErrorDetectsWrongGradient(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Placeholder(tf.Float64, tf.Shape{3})
	cube := &tf.OpDef{
		Type:  "Cube",
		Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) { return []tf.Spec{in[0]}, nil },
		Kernel: func(c *tf.KernelContext) error {
			out := c.Alloc(0)
			o, in := out.Float64s(), c.In[0].Float64s()
			for i, v := range in {
				o[i] = v * v * v
			}
			return nil
		},
		Grad: func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
			return []*tf.Tensor{tf.Mul(dy[0], tf.Mul(op.Inputs()[0], 2.0))} // wrong on purpose
		},
	}
	y := tf.AddOp(tf.OpSpec{Def: cube, Inputs: []any{x}}).Output(0)
	e, err := tftest.GradientError(g, y, []*tf.Tensor{x}, session.Feed{x: []float64{1, 2, 3}}, 1e-6)
	if err != nil {
		t.Fatal(err)
	}
	// at x=3: analytic 6, numeric 27: relative error 21/27.
	if e < 0.5 {
		t.Fatalf("wrong gradient not detected: error %v", e)
	}
	// And a right one passes: d/dx sum(x*x*x) via Mul.
	y2 := tf.Mul(x, tf.Mul(x, x))
	tftest.CheckGradients(t, g, y2, []*tf.Tensor{x}, session.Feed{x: []float64{1, -2, 3}}, 1e-6, 1e-7)
}
