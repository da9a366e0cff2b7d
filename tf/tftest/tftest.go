// Package tftest holds helpers for testing gorgoflow graphs: numerical
// gradient checks by central differences, and value comparisons.
package tftest

import (
	"fmt"
	"math"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// TB is the part of testing.TB the helpers use.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// GradientError compares the symbolic gradients of sum(y) with respect to
// the fed tensors xs (at the values in feed, which must hold every x) with
// central differences of step h, and returns the largest error, measured as
// |analytic - numeric| / max(1, |numeric|). Other feeds in feed are held
// fixed. Use float64 tensors for tight tolerances.
func GradientError(g *tf.Graph, y *tf.Tensor, xs []*tf.Tensor, feed session.Feed, h float64) (float64, error) {
	restore := g.AsDefault()
	grads, err := tf.Gradients([]*tf.Tensor{y}, toAny(xs))
	restore()
	if err != nil {
		return 0, err
	}
	sum := func() *tf.Tensor {
		defer g.AsDefault()()
		return tf.ReduceSum(tf.Cast(y, tf.Float64))
	}()
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	if inits := g.Variables(); len(inits) > 0 {
		restore := g.AsDefault()
		init := tf.GlobalVariablesInitializer()
		restore()
		if _, err := sess.Run(init, nil); err != nil {
			return 0, err
		}
	}
	base := session.Feed{}
	for k, v := range feed {
		base[k] = v
	}
	worst := 0.0
	for i, x := range xs {
		if grads[i] == nil {
			return 0, errors.Errorf("no gradient for %q", x.Name())
		}
		xv, err := tfimpl.ConvertToTensor(feed[x], x.DType())
		if err != nil {
			return 0, err
		}
		vals := tfimpl.Float64s(xv)
		an, err := sess.Run(grads[i], base)
		if err != nil {
			return 0, err
		}
		analytic := an[0].Float64s()
		if len(analytic) != len(vals) {
			return 0, errors.Errorf("gradient of %q has %d elements, x has %d", x.Name(), len(analytic), len(vals))
		}
		shape := append([]int(nil), xv.Shape()...)
		for j := range vals {
			eval := func(delta float64) (float64, error) {
				p := append([]float64(nil), vals...)
				p[j] += delta
				base[x] = denseOf(p, shape, x.DType())
				r, err := sess.Run(sum, base)
				if err != nil {
					return 0, err
				}
				return r[0].Float64s()[0], nil
			}
			fp, err := eval(h)
			if err != nil {
				return 0, err
			}
			fm, err := eval(-h)
			if err != nil {
				return 0, err
			}
			num := (fp - fm) / (2 * h)
			e := math.Abs(analytic[j]-num) / math.Max(1, math.Abs(num))
			if math.IsNaN(e) {
				e = math.Inf(1)
			}
			worst = math.Max(worst, e)
		}
		base[x] = feed[x]
	}
	return worst, nil
}

// CheckGradients fails t when GradientError exceeds tol.
func CheckGradients(t TB, g *tf.Graph, y *tf.Tensor, xs []*tf.Tensor, feed session.Feed, h, tol float64) {
	t.Helper()
	e, err := GradientError(g, y, xs, feed, h)
	if err != nil {
		t.Fatalf("gradient check of %s: %v", y.Name(), err)
		return
	}
	if e > tol {
		t.Errorf("gradient check of %s: max error %.3g > %.3g", y.Name(), e, tol)
	}
}

func toAny(xs []*tf.Tensor) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func denseOf(v []float64, shape []int, dt tf.DType) *tensor.Dense {
	if dt == tf.Float32 {
		f := make([]float32, len(v))
		for i, x := range v {
			f[i] = float32(x)
		}
		if len(shape) == 0 {
			return tensor.New(tensor.FromScalar(f[0]))
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
	}
	if len(shape) == 0 {
		return tensor.New(tensor.FromScalar(v[0]))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
}

// AllClose reports whether got and want have the same length and agree
// elementwise within atol + rtol*|want|, and describes the first difference.
func AllClose(got, want []float64, atol, rtol float64) (bool, string) {
	if len(got) != len(want) {
		return false, fmt.Sprintf("got %d values, want %d", len(got), len(want))
	}
	for i := range got {
		if math.IsNaN(want[i]) && math.IsNaN(got[i]) {
			continue
		}
		if math.Abs(got[i]-want[i]) > atol+rtol*math.Abs(want[i]) || math.IsNaN(got[i]) != math.IsNaN(want[i]) {
			return false, fmt.Sprintf("element %d: got %v, want %v", i, got[i], want[i])
		}
	}
	return true, ""
}
