package session_test

import (
	"math"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// TF lets a variable's value be fed (feed_dict={W: value}): the run reads
// the fed value instead of the variable's, and the variable keeps its own.
func TestFeedVariable(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	W := tf.NewVariable(tf.Constant([]float64{1, 2}, tf.Float64), tf.Name("W"))
	x := tf.Constant([]float64{10, 100}, tf.Float64)
	y := tf.ReduceSum(tf.Mul(W, x))
	sess := session.New()
	defer sess.Close()
	sess.MustRun(tf.GlobalVariablesInitializer(), nil)
	if got := sess.MustEval(y, nil).Float64s()[0]; got != 210 {
		t.Fatalf("y = %v, want 10*1 + 100*2 = 210", got)
	}
	if got := sess.MustEval(y, session.Feed{W.Value(): []float64{3, 4}}).Float64s()[0]; got != 430 {
		t.Errorf("y with W fed [3 4] = %v, want 10*3 + 100*4 = 430", got)
	}
	if got := sess.MustEval(W, session.Feed{W.Value(): []float64{5, 6}}).Float64s(); got[0] != 5 || got[1] != 6 {
		t.Errorf("W fetched while fed [5 6] = %v", got)
	}
	// The variable itself is unchanged.
	if got := sess.MustEval(y, nil).Float64s()[0]; got != 210 {
		t.Errorf("after the fed runs y = %v, want 210", got)
	}
	// Training while W is fed: the gradient is taken at the fed value, the
	// update applies to the variable's own: d(sum(W*x))/dW = x, so one step
	// of GradientDescent(0.1) makes W [1 2] - 0.1*[10 100] = [0 -8].
	step := train.NewGradientDescentOptimizer(0.1).Minimize(y)
	sess.MustRun(step, session.Feed{W.Value(): []float64{7, 7}})
	if got := sess.MustEval(W, nil).Float64s(); math.Abs(got[0]-0) > 1e-12 || math.Abs(got[1]+8) > 1e-12 {
		t.Errorf("W after a step with W fed = %v, want [0 -8]", got)
	}
	// A fed value of the wrong shape is refused as for any tensor.
	if _, err := sess.Run(y, session.Feed{W.Value(): []float64{1, 2, 3}}); err == nil {
		t.Error("feeding W a value of shape [3] did not fail")
	}
}
