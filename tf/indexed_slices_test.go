package tf_test

import (
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// gatherParams is a 5x2 float64 placeholder and its value 0.1*i.
func gatherParams() (*tf.Tensor, session.Feed) {
	p := tf.Placeholder(tf.Float64, tf.Shape{5, 2})
	return p, session.Feed{p: dense64([]int{5, 2}, seq(10, 0, 0.1))}
}

func TestGatherGradientIsSparse(t *testing.T) {
	g := newGraph(t)
	p, feed := gatherParams()
	ids := tf.Constant([][]int32{{3, 0}, {3, 4}}, tf.Int32)
	w := tf.Constant([][][]float64{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}, tf.Float64)
	y := tf.ReduceSum(tf.Mul(tf.Gather(p, ids), w))
	gr, err := tf.Gradients([]*tf.Tensor{y}, []any{p})
	if err != nil {
		t.Fatal(err)
	}
	s := tf.IndexedSlicesOf(gr[0])
	if s == nil {
		t.Fatalf("gradient of Gather is %v, want IndexedSlices", gr[0])
	}
	checkShape(t, "dense shape", s.DenseShape, []int{5, 2})
	out := runAll(t, g, []tf.Fetch{s.Values, s.Indices, gr[0]}, feed)
	checkClose(t, "values", out[0].Float64s(), []float64{1, 2, 3, 4, 5, 6, 7, 8})
	if got := out[1].Int32s(); len(got) != 4 || got[0] != 3 || got[1] != 0 || got[2] != 3 || got[3] != 4 {
		t.Errorf("indices = %v, want [3 0 3 4]", got)
	}
	// Dense: rows summed by hand.
	checkClose(t, "dense", out[2].Float64s(), []float64{3, 4, 0, 0, 0, 0, 1 + 5, 2 + 6, 7, 8})
	// Numerically.
	tftest.CheckGradients(t, g, y, []*tf.Tensor{p}, feed, 1e-6, 1e-8)
}

func TestSparseGradientsAggregate(t *testing.T) {
	g := newGraph(t)
	p, feed := gatherParams()
	a := tf.ReduceSum(tf.Square(tf.Gather(p, []int32{1, 2})))
	b := tf.ReduceSum(tf.Mul(tf.Gather(p, []int64{2}), 3.0))
	// Two sparse gradients stay sparse: values and indices concatenated.
	gr, err := tf.Gradients([]*tf.Tensor{tf.Add(a, b)}, []any{p})
	if err != nil {
		t.Fatal(err)
	}
	s := tf.IndexedSlicesOf(gr[0])
	if s == nil {
		t.Fatalf("sum of two sparse gradients is dense: %v", gr[0])
	}
	out := runAll(t, g, []tf.Fetch{s.Indices, gr[0]}, feed)
	if got := out[0].Int64s(); len(got) != 3 || got[0] != 2 || got[1] != 1 || got[2] != 2 {
		t.Errorf("indices = %v, want [2 1 2] (b's gradient first, as built in reverse)", got)
	}
	// d/dp: 2p on rows 1, 2 plus 3 on row 2.
	checkClose(t, "sum", out[1].Float64s(), []float64{0, 0, 0.4, 0.6, 0.8 + 3, 1.0 + 3, 0, 0, 0, 0})
	// A dense gradient too makes the sum dense.
	c := tf.ReduceSum(tf.Mul(p, p))
	gr, err = tf.Gradients([]*tf.Tensor{tf.Add(a, c)}, []any{p})
	if err != nil {
		t.Fatal(err)
	}
	if tf.IndexedSlicesOf(gr[0]) != nil {
		t.Errorf("sum of a sparse and a dense gradient is sparse")
	}
	want := make([]float64, 10)
	for i := range want {
		want[i] = 2 * 0.1 * float64(i)
	}
	want[2], want[3], want[4], want[5] = 2*want[2], 2*want[3], 2*want[4], 2*want[5]
	checkClose(t, "mixed", eval(t, gr[0], feed).Float64s(), want)
	tftest.CheckGradients(t, g, tf.Add(tf.Add(a, b), c), []*tf.Tensor{p}, feed, 1e-6, 1e-8)
}

func TestSparseGradientThroughDenseOps(t *testing.T) {
	g := newGraph(t)
	p, feed := gatherParams()
	// The sparse gradient of the inner Gather flows into Identity (kept
	// sparse) and into a second-order use: the gradient of its dense value.
	y := tf.ReduceSum(tf.Square(tf.Gather(tf.Identity(p), []int32{4, 4, 1})))
	gr, err := tf.Gradients([]*tf.Tensor{y}, []any{p})
	if err != nil {
		t.Fatal(err)
	}
	if tf.IndexedSlicesOf(gr[0]) == nil {
		t.Errorf("Identity made the gradient dense")
	}
	tftest.CheckGradients(t, g, y, []*tf.Tensor{p}, feed, 1e-6, 1e-8)
	// The dense value of slices is differentiable in the values.
	v := tf.Placeholder(tf.Float64, tf.Shape{3, 2})
	d := tf.NewIndexedSlices(v, []int32{1, -1, 1}, tf.Shape{4, 2})
	z := tf.ReduceSum(tf.Mul(tf.Square(d), tf.Constant([][]float64{{1, 2}, {3, 4}, {5, 6}, {7, 8}}, tf.Float64)))
	tftest.CheckGradients(t, g, z, []*tf.Tensor{v}, session.Feed{v: dense64([]int{3, 2}, seq(6, 0.5, 0.25))}, 1e-6, 1e-8)
}

func TestNewIndexedSlices(t *testing.T) {
	g := newGraph(t)
	d := tf.NewIndexedSlices(tf.Constant([][]float32{{1, 2}, {3, 4}, {5, 6}}, tf.Float32), []int32{2, -1, 2}, tf.Shape{3, 2})
	checkClose(t, "dense", eval(t, d, nil).Float64s(), []float64{0, 0, 0, 0, 6, 8})
	bad := tf.NewIndexedSlices(tf.Constant([][]float32{{1, 2}}, tf.Float32), []int32{3}, tf.Shape{3, 2})
	wantErr(t, "index out of range", runErr(bad, nil), "IndexedSlicesToDense", "indices[0] = 3 is not in [0, 3)")
	wantErr(t, "unknown shape", tf.NewIndexedSlices(tf.Constant([]float32{1}, tf.Float32), []int32{0}, tf.Shape{tf.None}).Err(), "must be fully defined")
	wantErr(t, "values shape", tf.NewIndexedSlices(tf.Constant([][]float32{{1}}, tf.Float32), []int32{0}, tf.Shape{3, 2}).Err(), "must have shape [1,2]")
	_ = g
}
