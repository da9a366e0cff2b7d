package tf_test

import (
	"testing"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// TestLoopBodyConcatMatMul: in a loop body, a MatMul of a Concat along
// axis 1 becomes one ConcatMatMul of the Concat's inputs (no concatenation
// is built), whose gradient reads the parts, not a concatenation; other
// MatMuls stay. The values and gradients are checked through DynamicRNN's
// tests (cells written with concat and matmul, central differences).
func TestLoopBodyConcatMatMul(t *testing.T) {
	g := newGraph(t)
	W := tf.Placeholder(tf.Float64, tf.Shape{5, 4})
	U := tf.Placeholder(tf.Float64, tf.Shape{4, 7})
	V := tf.Placeholder(tf.Float64, tf.Shape{4, 4})
	var cat *tf.Tensor
	f, err := tfimpl.NewFunc(g, "while", []tf.Spec{{DType: tf.Float64, Shape: tf.Shape{tf.None, 2}}, {DType: tf.Float64, Shape: tf.Shape{tf.None, 3}}}, func(a []*tf.Tensor) []*tf.Tensor {
		cat = tf.Concat([]*tf.Tensor{a[0], a[1]}, 1)
		y := tf.MatMul(cat, W)
		return []*tf.Tensor{y, tf.MatMul(y, V), tf.MatMul(tf.Concat([]*tf.Tensor{a[1], y}, 1), U, tf.TransposeB(true))}
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"ConcatMatMul", "MatMul", "MatMul"} {
		if got := f.Outputs[i].Op().Type(); got != want {
			t.Errorf("output %d is a %s, want %s", i, got, want)
		}
	}
	if n := len(f.Outputs[0].Op().Inputs()); n != 3 {
		t.Errorf("the ConcatMatMul has %d inputs, want the 2 parts and W", n)
	}
	fg, err := tfimpl.Gradient(f)
	if err != nil {
		t.Fatal(err)
	}
	kept := 0
	for _, s := range fg.Saved {
		if s == cat {
			t.Errorf("the gradient keeps the fused concatenation %s", s.Name())
		}
		if s.Op().Type() == "ConcatV2" {
			kept++
		}
	}
	if kept != 1 {
		t.Errorf("the gradient keeps %d concatenations, want 1 (the one under a transposed MatMul)", kept)
	}
}
