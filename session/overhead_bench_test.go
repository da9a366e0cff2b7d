package session_test

import (
	"testing"

	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// BenchmarkRunOverhead runs a graph of about 20 tiny ops: the cost is the
// per-Run and per-op machinery, not arithmetic.
func BenchmarkRunOverhead(b *testing.B) {
	g := tf.NewGraph()
	restore := g.AsDefault()
	x := placeholder.New(tf.Float32, tf.Shape{tf.None, 3})
	w := tf.NewVariable(tf.Ones(tf.Shape{3, 3}, tf.Float32))
	y := x
	for i := 0; i < 10; i++ {
		y = tf.Tanh(tf.MatMul(y, w))
	}
	init := tf.GlobalVariablesInitializer()
	restore()
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	sess.MustRun(init, nil)
	feed := session.Feed{x: [][]float32{{1, 2, 3}}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := sess.Run(y, feed); err != nil {
			b.Fatal(err)
		}
	}
}
