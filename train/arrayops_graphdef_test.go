package train_test

import (
	"os/exec"
	"testing"

	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// arrayOpsModel uses tf's array ops (Tile, Pad in its three modes and
// with a constant value, BroadcastTo, OneHot, SequenceMask, Range,
// LinSpace, Eye, StopGradient, Cumsum, Cumprod, GatherNd, ScatterNd, a
// batched MatMul, Split with sizes, BooleanMask, Squeeze, strided slices,
// and Range, Tile, BroadcastTo and ScatterNd with arguments computed from
// shapes) on a trainable variable and fetches
// each op's value, a loss over all of them and the loss's gradients
// (TileGrad, the Pad gradients, MirrorPadGrad, the BroadcastTo sum, the
// reversed running sums, ScatterNd and GatherNd, BatchMatMulV2's).
func arrayOpsModel(t *testing.T) *tfjsModel {
	t.Helper()
	m := &tfjsModel{g: tf.NewGraph(), feeds: session.Feed{}}
	defer m.g.AsDefault()()
	tf.SetRandomSeed(7)
	x := placeholder.New(tf.Float32, tf.Shape{tf.None, 3}, placeholder.Name("x"))
	m.feeds[x] = [][]float32{{0.5, -1, 2}, {1.5, 0.25, -0.75}}
	labels := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("labels"))
	m.feeds[labels] = []int32{2, 0}
	lens := placeholder.New(tf.Int32, tf.Shape{tf.None}, placeholder.Name("lengths"))
	m.feeds[lens] = []int32{1, 3}
	w := tf.NewVariable(tf.RandomNormal(tf.Shape{2, 3}, tf.Float32), tf.Name("w"))
	v := tf.NewVariable(tf.RandomNormal(tf.Shape{3}, tf.Float32), tf.Name("v"))

	h := tf.Mul(w, x)
	tiled := tf.Tile(h, []int{2, 1})
	padded := tf.Pad(tiled, [][]int{{1, 0}, {0, 2}})
	reflect := tf.Pad(h, [][]int{{1, 1}, {2, 1}}, tf.Mode("REFLECT"))
	symmetric := tf.Pad(h, [][]int{{2, 0}, {0, 3}}, tf.Mode("SYMMETRIC"))
	padV2 := tf.Pad(h, [][]int{{0, 1}, {1, 0}}, tf.ConstantValues(0.5))
	broadcast := tf.BroadcastTo(v, []int{2, 3})
	oneHot := tf.OneHot(labels, 3, tf.OnValue(2.0), tf.OffValue(-1.0))
	oneHotBy := tf.OneHot(labels, tf.Index(tf.ShapeOf(x), "1")) // depth from a shape
	mask := tf.SequenceMask(lens, tf.Maxlen(3), tf.WithDType(tf.Float32))
	rng := tf.Cast(tf.Range(1, tf.Limit(7), tf.Delta(2)), tf.Float32)
	lin := tf.LinSpace(0.5, 1.5, 3)
	eye := tf.Eye(3, tf.NumColumns(3))
	stopped := tf.StopGradient(h)
	cumsum := tf.Cumsum(h, tf.Axis(1), tf.Reversed(true))
	cumprod := tf.Cumprod(h, tf.Exclusive(true))
	gatherNd := tf.GatherNd(h, [][]int{{1, 2}, {0, 0}, {1, 2}})
	gatherRows := tf.GatherNd(h, [][]int{{1}, {0}, {1}}) // a sparse gradient
	scatterNd := tf.ScatterNd([][]int{{2}, {0}}, h, []int{3, 3})
	batched := tf.MatMul(tf.Stack([]*tf.Tensor{h, tf.Mul(h, 2.0)}, 0), w, tf.TransposeB(true))
	pieces := tf.Split(h, []int{1, -1}, 1)
	// Shape-deciding arguments computed from shapes.
	batch := tf.Index(tf.ShapeOf(x), "0")
	rows := tf.Cast(tf.Range(batch), tf.Float32)
	tiledBy := tf.Tile(h, tf.Stack([]any{1, tf.Index(tf.ShapeOf(x), "1")}, 0))
	broadcastBy := tf.BroadcastTo(tf.Reshape(v, []int{1, 3}), tf.ShapeOf(x))
	squeezed := tf.Squeeze(tf.ExpandDims(h, 1), tf.Axis(1))
	sliced := tf.Index(h, ":, 1:")
	ranks := tf.Cast(tf.Range(tf.Rank(x)), tf.Float32)
	size := tf.Cast(tf.Size(x), tf.Float32)
	padTo := tf.Pad(h, tf.Stack([]any{[]int32{1, 0}, tf.Stack([]any{0, tf.Sub(5, tf.Index(tf.ShapeOf(x), "1"))}, 0)}, 0))
	masked := tf.BooleanMask(h, []bool{false, true})
	maskedCols := tf.BooleanMask(h, []bool{true, false, true}, tf.Axis(1))
	scatterBy := tf.ScatterNd([][]int{{1}}, tf.Slice(h, []int{0, 0}, []int{1, -1}), tf.ShapeOf(x))

	losses := []any{
		tf.ReduceSum(tf.Square(padded)),
		tf.ReduceSum(tf.Mul(reflect, tf.Constant([]float32{1, -2, 3, 0.5, 1, -1}, tf.Float32))),
		tf.ReduceSum(tf.Square(symmetric)),
		tf.ReduceSum(tf.Square(padV2)),
		tf.ReduceSum(tf.Mul(tf.Mul(broadcast, oneHot), mask)),
		tf.ReduceSum(tf.Mul(tf.Mul(tf.MatMul(h, eye), rng), lin)),
		tf.ReduceSum(tf.Mul(stopped, h)),
		tf.ReduceSum(tf.Square(cumsum)),
		tf.ReduceSum(tf.Square(cumprod)),
		tf.ReduceSum(tf.Square(gatherNd)),
		tf.ReduceSum(tf.Mul(scatterNd, tf.Constant([]float32{1, 2, 3}, tf.Float32))),
		tf.ReduceSum(tf.Square(batched)),
		tf.ReduceSum(tf.Mul(pieces[0], 3.0)),
		tf.ReduceSum(tf.Square(pieces[1])),
		tf.ReduceSum(tf.Mul(tf.ExpandDims(rows, 1), h)),
		tf.ReduceSum(tf.Square(tiledBy)),
		tf.ReduceSum(tf.Mul(broadcastBy, x)),
		tf.ReduceSum(tf.Square(scatterBy)),
		tf.ReduceSum(tf.Mul(squeezed, size)),
		tf.ReduceSum(tf.Square(sliced)),
		tf.ReduceSum(tf.Square(masked)),
		tf.ReduceSum(tf.Square(padTo)),
		tf.ReduceSum(tf.Square(gatherRows)),
	}
	loss := tf.AddN(losses...)
	grads, err := tf.Gradients(loss, []any{w, v})
	if err != nil {
		t.Fatal(err)
	}
	m.fetches = append([]*tf.Tensor{tiled, padded, reflect, symmetric, padV2, broadcast, oneHot, mask, rng, lin, eye, stopped,
		cumsum, cumprod, gatherNd, scatterNd, batched, pieces[0], pieces[1], rows, tiledBy, broadcastBy, scatterBy,
		squeezed, sliced, ranks, size, masked, maskedCols, padTo, gatherRows, oneHotBy, loss}, grads...)
	m.init = tf.GlobalVariablesInitializer()
	if err := m.g.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestArrayOpsGraphDef: the array ops' GraphDef (with their gradients) is
// TF's by TF's OpDefs, and TensorFlow.js computes the same values and
// gradients from it.
func TestArrayOpsGraphDef(t *testing.T) {
	m := arrayOpsModel(t)
	gd, err := m.g.AsGraphDef()
	if err != nil {
		t.Fatal(err)
	}
	problems, types := checkGraphDef(t, tfOpDefs(t), gd.Marshal())
	for _, p := range problems {
		t.Error(p)
	}
	for _, op := range []string{"Tile", "Pad", "PadV2", "MirrorPad", "MirrorPadGrad", "Slice", "BroadcastTo", "OneHot", "Range",
		"LinSpace", "StopGradient", "Less", "Sum", "Cumsum", "Cumprod", "GatherNd", "ScatterNd", "BatchMatMulV2", "SplitV",
		"Shape", "Size", "Rank", "Squeeze", "StridedSlice", "StridedSliceGrad"} {
		if types[op] == 0 {
			t.Errorf("no %s node; types %v", op, types)
		}
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (apt-get install nodejs; .ci/run installs it): the GraphDef is not run with TensorFlow.js")
	}
	compareWithTFJS(t, node, m)
}
