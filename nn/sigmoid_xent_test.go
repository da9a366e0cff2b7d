package nn_test

import (
	"math"
	"testing"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/tf/tftest"
)

// sigmoidXentGrad is d/dx of max(x, 0) - x*z + log(1 + exp(-|x|)), that is
// sigmoid(x) - z, written so that it keeps its relative precision where x is
// large and the label agrees with it (then sigmoid(x) - z is a difference of
// nearly equal numbers).
func sigmoidXentGrad(x, z float64) float64 {
	if x >= 0 {
		e := math.Exp(-x)
		return (1 - z) - e/(1+e)
	}
	e := math.Exp(x)
	return e/(1+e) - z
}

// TestSigmoidCrossEntropyGradientTails checks the float32 gradient of
// SigmoidCrossEntropyWithLogits by its logits against the exact derivative
// computed in float64, to float32 precision relative to the value, also
// where a logit is large and its label agrees (a well classified example
// late in training, where the loss is 1e-4 or less). TF 1.x builds the loss
// from ops (where, neg, exp, log1p), so its gradient is exp(-|x|)/(1+exp(-|x|))
// by the chain rule there and keeps that precision; sigmoid(x) - 1 in
// float32 loses it (at x = 10 it is off by 1e-3 of the value, and from
// x = 17 on it is 0 or a multiple of 2^-24).
func TestSigmoidCrossEntropyGradientTails(t *testing.T) {
	xs := []float64{-40, -30, -17, -10, -4, -1.5, 0, 0.5, 2, 4, 10, 17, 30, 40}
	zs := []float64{0, 1, 0.25}
	var xv, zv []float32
	for _, z := range zs {
		for _, x := range xs {
			xv = append(xv, float32(x))
			zv = append(zv, float32(z))
		}
	}
	for _, dtype := range []tf.DType{tf.Float32, tf.Float64} {
		t.Run(dtype.String(), func(t *testing.T) {
			g := tf.NewGraph()
			defer g.AsDefault()()
			x := tf.Placeholder(dtype, tf.Shape{len(xv)})
			z := tf.Placeholder(dtype, tf.Shape{len(xv)})
			const scale = 0.02 // reduce_mean over a batch of 50, as the Reber exercise
			loss := tf.ReduceSum(tf.Mul(nn.SigmoidCrossEntropyWithLogits(z, x), scale))
			grads, err := tf.Gradients(loss, []*tf.Tensor{x, z})
			if err != nil {
				t.Fatal(err)
			}
			got := runAll(t, g, grads, session.Feed{x: xv, z: zv})
			tol := 1e-6
			if dtype == tf.Float64 {
				tol = 1e-14
			}
			for i := range xv {
				x, z := float64(xv[i]), float64(zv[i])
				want := scale * sigmoidXentGrad(x, z)
				if d := math.Abs(got[0][i] - want); d > tol*math.Abs(want) {
					t.Errorf("d/dlogits at logits %g, labels %g: got %.9g, want %.9g (relative error %.2g)", x, z, got[0][i], want, d/math.Abs(want))
				}
				if wantZ := -scale * x; math.Abs(got[1][i]-wantZ) > tol*math.Abs(wantZ) {
					t.Errorf("d/dlabels at logits %g, labels %g: got %.9g, want %.9g", x, z, got[1][i], wantZ)
				}
			}
		})
	}
}

// TestSigmoidCrossEntropyNumericalGradient checks both gradients by central
// differences in float64, on both sides of 0 and at large logits.
func TestSigmoidCrossEntropyNumericalGradient(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	x := tf.Placeholder(tf.Float64, tf.Shape{2, 4})
	z := tf.Placeholder(tf.Float64, tf.Shape{2, 4})
	w := tf.Constant([][]float64{{1, -2, 0.5, 3}, {0.7, 1.1, -0.3, 2}}, tf.Float64)
	y := tf.Mul(nn.SigmoidCrossEntropyWithLogits(z, x), w)
	feed := session.Feed{
		x: [][]float64{{-3.5, -0.4, 0.3, 2.5}, {12, -12, 0.8, -1.7}},
		z: [][]float64{{0, 1, 0.3, 1}, {1, 0, 0.9, 0.2}},
	}
	tftest.CheckGradients(t, g, y, []*tf.Tensor{x, z}, feed, 1e-6, 1e-7)
}
