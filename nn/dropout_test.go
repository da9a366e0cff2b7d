package nn_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// TestDropout: TF's x/keep·floor(keep + U): every element is 0 or x/keep,
// about keep of them kept; with a noise shape of 1 along a dimension the
// flags are shared along it; the gradient is the flags/keep of the same
// Run; keep 1 returns x itself; the batch may be None.
func TestDropout(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Placeholder(tf.Float64, tf.Shape{tf.None, 4, 50})
	keep := tf.PlaceholderWithDefault(1.0, tf.Shape{})
	y := nn.Dropout(x, 0.25, tf.Seed(3))
	shared := nn.Dropout(x, keep, tf.NoiseShape(tf.Shape{tf.None, 1, 50}))
	if same := nn.Dropout(x, 1.0); same != x {
		t.Errorf("Dropout with keep 1 is a new tensor; TF returns x")
	}
	grads, err := tf.Gradients([]*tf.Tensor{tf.ReduceSum(y)}, []any{x})
	if err != nil {
		t.Fatal(err)
	}
	const B = 20
	xv := make([][][]float64, B)
	for b := range xv {
		xv[b] = make([][]float64, 4)
		for s := range xv[b] {
			xv[b][s] = make([]float64, 50)
			for j := range xv[b][s] {
				xv[b][s][j] = float64(1 + b + s + j)
			}
		}
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	vals, err := sess.Run([]*tf.Tensor{y, grads[0], shared}, session.Feed{x: xv, keep: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	yv, gv, sv := vals[0].Float64s(), vals[1].Float64s(), vals[2].Float64s()
	kept := 0
	for i, v := range yv {
		b, s, j := i/200, i/50%4, i%50
		xi := xv[b][s][j]
		switch {
		case v == 0 && gv[i] == 0:
		case math.Abs(v-xi/0.25) < 1e-12 && gv[i] == 4:
			kept++
		default:
			t.Fatalf("element %d: x %v, dropout %v, gradient %v; want 0 and 0, or x/0.25 and 4", i, xi, v, gv[i])
		}
		// The shared flags: one per (sequence, unit), the same at every step.
		k0 := sv[b*200+j] != 0
		if (sv[i] != 0) != k0 {
			t.Fatalf("noise shape [?,1,50]: element (%d,%d,%d) differs from step 0's flag", b, s, j)
		}
	}
	if f := float64(kept) / float64(len(yv)); math.Abs(f-0.25) > 0.03 {
		t.Errorf("kept %.3f of the elements; want about 0.25", f)
	}
	for _, c := range []struct {
		y    *tf.Tensor
		want string
	}{
		{nn.Dropout(x, 0.0), "range (0, 1]"},
		{nn.Dropout(x, tf.Placeholder(tf.Float32, tf.Shape{2})), "want a floating-point scalar"},
		{nn.Dropout(x, 0.5, tf.NoiseShape(tf.Shape{3, 1, 50})), "not broadcastable"},
		{nn.Dropout(x, 0.5, tf.NoiseShape(tf.Shape{1, 50})), "rank"},
		{nn.Dropout(tf.Placeholder(tf.Int32, tf.Shape{2}), 0.5), "want float32 or float64"},
	} {
		if err := c.y.Err(); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "dropout_test.go:") {
			t.Errorf("error %v; want one naming dropout_test.go:line and saying %q", err, c.want)
		}
	}
}
