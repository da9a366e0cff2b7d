package tf_test

import (
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Shape-deciding arguments computed from tensor shapes, as TF users write
// tf.range(tf.shape(x)[0]): known once the shapes are.

func TestShapeDecidingArgumentsFromShapes(t *testing.T) {
	g := newGraph(t)
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3})
	batch := tf.Index(tf.ShapeOf(x), "0")
	xv := iotaDense([]int{4, 3}, tf.Float32, 1)
	feed := session.Feed{x: xv}

	r := tf.Range(batch)
	shapeIs(t, r, tf.Shape{tf.None})
	check(t, eval(t, r, feed), tf.Int32, []int{4}, []float64{0, 1, 2, 3})
	r = tf.Range(1, tf.Limit(tf.Size(x)), tf.Delta(3), tf.WithDType(tf.Float32))
	check(t, eval(t, r, feed), tf.Float32, []int{4}, []float64{1, 4, 7, 10})
	// Known shapes give a known length when the graph is built.
	r = tf.Range(tf.Index(tf.ShapeOf(x), "1"))
	shapeIs(t, r, tf.Shape{3})
	// The chapter's pattern: the rows of the last relevant outputs.
	rows := tf.Add(tf.Mul(tf.Range(0, tf.Limit(batch)), 3), []int32{2, 0, 1, 2})
	check(t, eval(t, rows, feed), tf.Int32, []int{4}, []float64{2, 3, 7, 11})
	aWantErr(t, runErr(tf.Range(5, tf.Limit(batch)), session.Feed{x: iotaDense([]int{2, 3}, tf.Float32, 0)}), "Requires start <= limit when delta > 0: 5/2")

	lens := tf.Placeholder(tf.Int64, tf.Shape{tf.None})
	seq := tf.Placeholder(tf.Float32, tf.Shape{tf.None, tf.None})
	m := tf.SequenceMask(lens, tf.Maxlen(tf.Index(tf.ShapeOf(seq), "1")), tf.WithDType(tf.Float32))
	shapeIs(t, m, tf.Shape{tf.None, tf.None})
	check(t, eval(t, m, session.Feed{lens: []int64{1, 3}, seq: iotaDense([]int{2, 4}, tf.Float32, 0)}), tf.Float32, []int{2, 4},
		[]float64{1, 0, 0, 0, 1, 1, 1, 0})

	y := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 2})
	tiled := tf.Tile(x, tf.Stack([]any{tf.Index(tf.ShapeOf(y), "0"), 1}, 0))
	shapeIs(t, tiled, tf.Shape{tf.None, 3})
	yv := iotaDense([]int{2, 2}, tf.Float32, 0)
	want, os := refTile(flat(xv), []int{4, 3}, []int{2, 1})
	check(t, eval(t, tiled, session.Feed{x: xv, y: yv}), tf.Float32, os, want)

	v := tf.Placeholder(tf.Float32, tf.Shape{1, 3})
	b := tf.BroadcastTo(v, tf.ShapeOf(x))
	shapeIs(t, b, tf.Shape{tf.None, 3})
	check(t, eval(t, b, session.Feed{x: iotaDense([]int{2, 3}, tf.Float32, 0), v: [][]float32{{7, 8, 9}}}), tf.Float32, []int{2, 3},
		[]float64{7, 8, 9, 7, 8, 9})
	shapeIs(t, tf.BroadcastTo(v, tf.ShapeOf(tf.Placeholder(tf.Float32, tf.Shape{2, 3}))), tf.Shape{2, 3})

	s := tf.ScatterNd([][]int{{1}, {0}}, [][]float32{{1, 2, 3}, {4, 5, 6}}, tf.ShapeOf(x))
	shapeIs(t, s, tf.Shape{tf.None, 3})
	check(t, eval(t, s, feed), tf.Float32, []int{4, 3}, []float64{4, 5, 6, 1, 2, 3, 0, 0, 0, 0, 0, 0})
	// One-hot labels as wide as the logits: tf.one_hot(y, tf.shape(logits)[1]).
	logits := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 4})
	oh := tf.OneHot([]int{3, 0}, tf.Index(tf.ShapeOf(logits), "1"))
	shapeIs(t, oh, tf.Shape{2, 4})
	check(t, eval(t, oh, session.Feed{logits: iotaDense([]int{1, 4}, tf.Float32, 0)}), tf.Float32, []int{2, 4}, []float64{0, 0, 0, 1, 1, 0, 0, 0})
	wide := tf.Placeholder(tf.Float32, tf.Shape{tf.None, tf.None})
	oh = tf.OneHot([]int{1}, tf.Index(tf.ShapeOf(wide), "1"), tf.Axis(0))
	shapeIs(t, oh, tf.Shape{tf.None, 1})
	check(t, eval(t, oh, session.Feed{wide: iotaDense([]int{1, 3}, tf.Float32, 0)}), tf.Float32, []int{3, 1}, []float64{0, 1, 0})
	// Padding to a length: tf.pad(x, [[0, 0], [0, 5 - tf.shape(x)[1]]]).
	toFive := func(x *tf.Tensor) *tf.Tensor {
		return tf.Stack([]any{[]int32{0, 0}, tf.Stack([]any{0, tf.Sub(5, tf.Index(tf.ShapeOf(x), "1"))}, 0)}, 0)
	}
	padded := tf.Pad(x, toFive(x))
	shapeIs(t, padded, tf.Shape{tf.None, 5})
	check(t, eval(t, padded, session.Feed{x: iotaDense([]int{2, 3}, tf.Float32, 1)}), tf.Float32, []int{2, 5},
		[]float64{1, 2, 3, 0, 0, 4, 5, 6, 0, 0})
	seq2 := tf.Placeholder(tf.Float32, tf.Shape{2, tf.None})
	padded = tf.Pad(seq2, toFive(seq2), tf.ConstantValues(-1.0))
	shapeIs(t, padded, tf.Shape{2, tf.None})
	check(t, eval(t, padded, session.Feed{seq2: iotaDense([]int{2, 4}, tf.Float32, 1)}), tf.Float32, []int{2, 5},
		[]float64{1, 2, 3, 4, -1, 5, 6, 7, 8, -1})
	aWantErr(t, runErr(padded, session.Feed{seq2: iotaDense([]int{2, 6}, tf.Float32, 1)}), "Paddings must be non-negative: 0 -1")
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}

	// What is not computed from shapes is refused when the graph is built.
	n := tf.Placeholder(tf.Int32, tf.Shape{})
	aWantErr(t, tf.OneHot([]int{1}, tf.Placeholder(tf.Int32, tf.Shape{})).Err(), "tf.OneHot", "depth is tensor", "known only at run time")
	aWantErr(t, tf.OneHot([]int{1}, 2.5).Err(), "tf.OneHot", "depth has dtype float32")
	aWantErr(t, tf.Range(tf.Add(batch, n)).Err(), "tf.Range", "Placeholder op", "known only at run time", "array_ops_fold_test.go:")
	aWantErr(t, tf.Tile(x, tf.Stack([]any{n, 1}, 0)).Err(), "tf.Tile", "multiples is tensor", "Placeholder op")
	aWantErr(t, tf.BroadcastTo(v, tf.Cast(tf.ShapeOf(x), tf.Float32)).Err(), "tf.BroadcastTo", "want an int32 or int64 vector")
	aWantErr(t, tf.SequenceMask(lens, tf.Maxlen(tf.ArgMax(seq, 0))).Err(), "tf.SequenceMask", "maxlen", "ArgMax op")
}

func TestShapeDecidingArgumentsGradients(t *testing.T) {
	n := tf.None
	runGradCases(t, []gradCase{
		{"TileByShape", []tf.Shape{sh(n, 3), sh(n, 2)}, [][]int{{2, 3}, {3, 2}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.Add(tf.Tile(x[0], tf.Stack([]any{tf.Index(tf.ShapeOf(x[1]), "0"), 2}, 0)), tf.ReduceSum(x[1]))
		}},
		{"TileByShapeSecondOrder", []tf.Shape{sh(n, 2)}, [][]int{{2, 2}}, func(x []*tf.Tensor) *tf.Tensor {
			y := tf.Mul(tf.Square(tf.Tile(x[0], tf.Stack([]any{2, tf.Index(tf.ShapeOf(x[0]), "1")}, 0))), weights([]int{4, 4}))
			g, err := tf.Gradients(y, []any{x[0]})
			if err != nil {
				t.Fatal(err)
			}
			return g[0]
		}},
		{"BroadcastToShapeOf", []tf.Shape{sh(1, 3), sh(n, 3)}, [][]int{{1, 3}, {2, 3}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.Mul(tf.BroadcastTo(x[0], tf.ShapeOf(x[1])), x[1])
		}},
		{"PadToLength", []tf.Shape{sh(n, 3)}, [][]int{{2, 3}}, func(x []*tf.Tensor) *tf.Tensor {
			p := tf.Stack([]any{[]int32{1, 0}, tf.Stack([]any{0, tf.Sub(5, tf.Index(tf.ShapeOf(x[0]), "1"))}, 0)}, 0)
			return tf.Pad(x[0], p)
		}},
		{"PadToLengthSecondOrder", []tf.Shape{sh(2, 3)}, [][]int{{2, 3}}, func(x []*tf.Tensor) *tf.Tensor {
			p := tf.Stack([]any{[]int32{1, 0}, tf.Stack([]any{0, tf.Sub(5, tf.Index(tf.ShapeOf(x[0]), "1"))}, 0)}, 0)
			y := tf.Mul(tf.Square(tf.Pad(x[0], p)), weights([]int{3, 5}))
			g, err := tf.Gradients(y, []any{x[0]})
			if err != nil {
				t.Fatal(err)
			}
			return g[0]
		}},
		{"ScatterNdShapeOf", []tf.Shape{sh(2, 3), sh(n, 3)}, [][]int{{2, 3}, {4, 3}}, func(x []*tf.Tensor) *tf.Tensor {
			return tf.Mul(tf.ScatterNd([][]int{{3}, {1}}, x[0], tf.ShapeOf(x[1])), x[1])
		}},
	})
}
