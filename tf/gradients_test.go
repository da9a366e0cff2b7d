package tf_test

import (
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

func TestGradientsSemantics(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{3})
	u := tf.Placeholder(tf.Float64, tf.Shape{3})
	// Two paths from x to y: d/dx (x*x + 3x) = 2x + 3.
	y := tf.Add(tf.Mul(x, x), tf.Mul(x, 3.0))
	gr, err := tf.Gradients([]*tf.Tensor{y}, []any{x, u})
	if err != nil {
		t.Fatal(err)
	}
	if gr[1] != nil {
		t.Errorf("gradient for unconnected u is %v, want nil", gr[1])
	}
	feed := session.Feed{x: []float64{1, -2, 0.5}}
	checkClose(t, "2x+3", runAll(t, g, gr[0], feed)[0].Float64s(), []float64{5, -1, 4})

	// Several ys are summed; gradYs weight each.
	y2 := tf.Mul(x, tf.Constant([]float64{10, 20, 30}, tf.Float64))
	gr, err = tf.Gradients([]*tf.Tensor{y, y2}, []any{x})
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "sum of ys", runAll(t, g, gr[0], feed)[0].Float64s(), []float64{15, 19, 34})
	w1 := tf.Constant([]float64{1, 0, 2}, tf.Float64)
	w2 := tf.Constant([]float64{0.5, 1, 0}, tf.Float64)
	gr, err = tf.Gradients([]*tf.Tensor{y, y2}, []any{x}, w1, w2)
	if err != nil {
		t.Fatal(err)
	}
	// (2x+3)·w1 + (10,20,30)·w2 = (5+5, 0+20, 8+0).
	checkClose(t, "gradYs", runAll(t, g, gr[0], feed)[0].Float64s(), []float64{10, 20, 8})

	// The gradient of an intermediate tensor, and of y with respect to itself.
	m := tf.Mul(x, x)
	z := tf.ReduceSum(tf.Mul(m, 2.0))
	gr, err = tf.Gradients([]*tf.Tensor{z}, []any{m, z})
	if err != nil {
		t.Fatal(err)
	}
	out := runAll(t, g, gr, feed)
	checkClose(t, "dz/dm", out[0].Float64s(), []float64{2, 2, 2})
	checkClose(t, "dz/dz", out[1].Float64s(), []float64{1})

	// A path through an integer cast is cut; a comparison carries none.
	c := tf.Add(tf.Cast(tf.Cast(x, tf.Int32), tf.Float64), tf.Cast(tf.Greater(x, 0), tf.Float64))
	gr, err = tf.Gradients([]*tf.Tensor{c}, []any{x})
	if err != nil {
		t.Fatal(err)
	}
	if gr[0] != nil {
		t.Errorf("gradient through int cast and comparison is %v, want nil", gr[0])
	}

	// Second derivative: d²/dx² x³ = 6x.
	cube := tf.Mul(x, tf.Mul(x, x))
	d1, err := tf.Gradients([]*tf.Tensor{cube}, []any{x})
	if err != nil {
		t.Fatal(err)
	}
	d2, err := tf.Gradients([]*tf.Tensor{d1[0]}, []any{x})
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "6x", runAll(t, g, d2[0], feed)[0].Float64s(), []float64{6, -12, 3})
}

func TestGradientsErrors(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{2})
	y := tf.Square(x)
	_, err := tf.Gradients(nil, []any{x})
	wantErr(t, "no ys", err, "Gradients", "gradients_test.go:")
	_, err = tf.Gradients([]*tf.Tensor{y}, []any{x}, y, y)
	wantErr(t, "gradYs count", err, "2 gradYs for 1 ys")
	_, err = tf.Gradients([]*tf.Tensor{y}, []any{3.0})
	wantErr(t, "x type", err, "float64")
	other := tf.NewGraph()
	restore := other.AsDefault()
	ox := tf.Placeholder(tf.Float64, tf.Shape{2})
	restore()
	_, err = tf.Gradients([]*tf.Tensor{y}, []any{ox})
	wantErr(t, "other graph", err, "another graph")
	// An op without a gradient on the path.
	noGrad := &tf.OpDef{
		Type:   "NoGradOp",
		Infer:  func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) { return []tf.Spec{in[0]}, nil },
		Kernel: func(c *tf.KernelContext) error { c.Set(0, c.In[0]); return nil },
	}
	n := tf.AddOp(tf.OpSpec{Def: noGrad, Inputs: []any{x}}).Output(0)
	_, err = tf.Gradients([]*tf.Tensor{tf.Square(n)}, []any{x})
	wantErr(t, "no gradient", err, "no gradient defined", "NoGradOp", "gradients_test.go:")
	_ = g
}

// A composite: a small dense layer with softmax-free loss, through every
// kind of op at once, checked numerically.
func TestGradientsComposite(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 3})
	w := tf.Placeholder(tf.Float64, tf.Shape{3, 2})
	b := tf.Placeholder(tf.Float64, tf.Shape{2})
	h := tf.Tanh(tf.Add(tf.MatMul(x, w), b))
	loss := tf.ReduceMean(tf.Square(tf.Sub(tf.Sigmoid(h), tf.ReduceMax(h, tf.Axis(1), tf.KeepDims(true)))))
	feed := session.Feed{
		x: dense64([]int{4, 3}, wobble(12, 0)),
		w: dense64([]int{3, 2}, wobble(6, 1)),
		b: dense64([]int{2}, []float64{0.1, -0.2}),
	}
	tftest.CheckGradients(t, g, loss, []*tf.Tensor{x, w, b}, feed, gradH, gradTol)
}

// TF's tf.gradients takes one tensor or a list for ys and for xs; so does
// ours: []*tf.Tensor, []*tf.Variable (tf.TrainableVariables()), []any, or a
// single tensor or variable. d(sum(w*x))/dw = x and /dx = w.
func TestGradientsArgumentForms(t *testing.T) {
	newGraph(t)
	x := tf.Constant([]float64{1, 2}, tf.Float64)
	w := tf.NewVariable(tf.Constant([]float64{3, 4}, tf.Float64), tf.Name("w"))
	y := tf.ReduceSum(tf.Mul(w, x))
	forms := []struct {
		name   string
		ys, xs any
		want   [][]float64
	}{
		{"[]*Tensor, []*Variable", []*tf.Tensor{y}, tf.TrainableVariables(), [][]float64{{1, 2}}},
		{"*Tensor, *Variable", y, w, [][]float64{{1, 2}}},
		{"*Tensor, []*Tensor", y, []*tf.Tensor{x, w.Value()}, [][]float64{{3, 4}, {1, 2}}},
		{"[]any, []any", []any{y}, []any{w, x}, [][]float64{{1, 2}, {3, 4}}},
		{"*Tensor, *Tensor", y, x, [][]float64{{3, 4}}},
	}
	for _, f := range forms {
		grads, err := tf.Gradients(f.ys, f.xs)
		if err != nil {
			t.Errorf("%s: %v", f.name, err)
			continue
		}
		if len(grads) != len(f.want) {
			t.Errorf("%s: %d gradients, want %d", f.name, len(grads), len(f.want))
			continue
		}
		sess := session.New()
		sess.MustRun(tf.GlobalVariablesInitializer(), nil)
		for i, gr := range grads {
			checkClose(t, f.name, sess.MustEval(gr, nil).Float64s(), f.want[i])
		}
		sess.Close()
	}
	_, err := tf.Gradients(y, "w")
	wantErr(t, "xs string", err, "xs is a string", "gradients_test.go:")
	_, err = tf.Gradients(42, w)
	wantErr(t, "ys int", err, "ys is a int", "gradients_test.go:")
	_, err = tf.Gradients(y, nil)
	wantErr(t, "xs nil", err, "xs is nil", "gradients_test.go:")
}
