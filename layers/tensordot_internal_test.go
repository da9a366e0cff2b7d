package layers

import (
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

func TestTensordotGradients(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Placeholder(tf.Float64, tf.Shape{2, 3, 4})
	w := tf.Placeholder(tf.Float64, tf.Shape{4, 2})
	wt := tf.Placeholder(tf.Float64, tf.Shape{2, 4})
	dy := tf.Placeholder(tf.Float64, tf.Shape{2, 3, 2})
	feed := session.Feed{
		x:  [][][]float64{{{1, 2, -1, 0.5}, {0.3, -0.2, 1.1, 2}, {-1, 0, 0.4, 0.9}}, {{0.2, 0.1, -0.5, 1.5}, {2, -1, 0.3, 0.7}, {0.6, 0.8, -0.9, 0.1}}},
		w:  [][]float64{{0.5, -1}, {1.2, 0.3}, {-0.7, 0.8}, {0.1, 2}},
		wt: [][]float64{{0.5, 1.2, -0.7, 0.1}, {-1, 0.3, 0.8, 2}},
		dy: [][][]float64{{{1, -2}, {0.5, 0.3}, {-1, 1}}, {{2, 0.1}, {-0.3, 0.7}, {1.5, -0.5}}},
	}
	r := tf.Constant([]float64{1, -3}, tf.Float64)
	tftest.CheckGradients(t, g, tf.Mul(tensordot(x, w, false), r), []*tf.Tensor{x, w}, feed, 1e-6, 1e-8)
	tftest.CheckGradients(t, g, tf.Mul(tensordot(x, wt, true), r), []*tf.Tensor{x, wt}, feed, 1e-6, 1e-8)
	tftest.CheckGradients(t, g, tf.Mul(tensordotGradW(x, dy), tf.Constant([]float64{2, -1}, tf.Float64)), []*tf.Tensor{x, dy}, feed, 1e-6, 1e-8)
	// tensordot with w and with its transpose agree.
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	v := sess.MustRun([]*tf.Tensor{tensordot(x, w, false), tensordot(x, wt, true)}, feed)
	if ok, d := tftest.AllClose(v[0].Float64s(), v[1].Float64s(), 1e-14, 1e-14); !ok {
		t.Error(d)
	}
}
