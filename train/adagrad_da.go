package train

import (
	"math"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/tf"
)

// AdagradDAOptimizer is Adagrad Dual Averaging (Duchi et al., 2011) as TF
// 1.x computes it (tf.train.AdagradDAOptimizer, TF's ApplyAdagradDA): with
// t the global step plus one (read before this step's increment),
//
//	gradient_accumulator += grad
//	gradient_squared_accumulator += grad^2
//	var = -learning_rate * sign(g) * max(|g| - l1*t, 0) / (l2*t*learning_rate + sqrt(gg))
//
// where g and gg are the two accumulators. Its slots,
// "gradient_accumulator" (zeros) and "gradient_squared_accumulator"
// (starting at the initial value, default 0.1), are "<var>/AdagradDA" and
// "<var>/AdagradDA_1". A sparse gradient updates the rows it touches
// (SparseApplyAdagradDA), repeated indices summed first.
type AdagradDAOptimizer struct{ *base }

var (
	adagradDAHyper hyperFunc = func(a tf.Attrs, _ []float64, _ func(float64) float64) []float64 {
		return []float64{a.Float("lr", 0), a.Float("l1", 0), a.Float("l2", 0), a.Float("global_step", 0) + 1}
	}
	adagradDADef       = applyDef("ApplyAdagradDA", adagradDA[float32], adagradDA[float64], adagradDAHyper)
	adagradDASparseDef = sparseApplyDef("SparseApplyAdagradDA", true, rowwise(adagradDA[float32]), rowwise(adagradDA[float64]), adagradDAHyper)
)

// NewAdagradDAOptimizer returns Adagrad Dual Averaging
// (tf.train.AdagradDAOptimizer(learning_rate, global_step)). globalStep,
// required as in TF, is the int64 global step variable
// (GetOrCreateGlobalStep()); give it to Minimize too (GlobalStep) so that
// each step increments it. The learning rate and the regularization
// strengths are numbers or scalar tensors. Options:
// InitialGradientSquaredAccumulatorValue (default 0.1, must be positive),
// L1RegularizationStrength (0), L2RegularizationStrength (0), Name
// ("AdagradDA").
func NewAdagradDAOptimizer(learningRate any, globalStep *tf.Variable, opts ...Option) *AdagradDAOptimizer {
	return &AdagradDAOptimizer{newBase("train.NewAdagradDAOptimizer", "AdagradDA", learningRate, opts,
		[]string{"initial_gradient_squared_accumulator_value", "l1_regularization_strength", "l2_regularization_strength"},
		func(fn string, o *options) (kind, error) {
			if globalStep == nil {
				return nil, errors.Errorf("%s: global_step is a nil *tf.Variable; AdagradDA needs the global step (train.GetOrCreateGlobalStep())", fn)
			}
			if globalStep.Err() != nil {
				return nil, globalStep.Err()
			}
			if dt := globalStep.DType(); dt != tf.Int64 && dt != tf.Int32 || len(globalStep.Shape()) != 0 {
				return nil, errors.Errorf("%s: global_step %q is %s%v; it must be an integer scalar variable", fn, globalStep.Name(), dt, globalStep.Shape())
			}
			init := o.get("initial_gradient_squared_accumulator_value", o.initialAccum, 0.1).(float64)
			if init <= 0 {
				return nil, errors.Errorf("%s: initial_gradient_squared_accumulator_value must be positive: %v", fn, init)
			}
			a, err := hypers(fn, "l1", o.get("l1_regularization_strength", o.l1, 0.0), "l2", o.get("l2_regularization_strength", o.l2, 0.0))
			if err != nil {
				return nil, err
			}
			a["global_step"] = globalStep.Value()
			return plainKind{slotSpecs: []slotSpec{{name: "gradient_accumulator", init: 0}, {name: "gradient_squared_accumulator", init: init}},
				dense: adagradDADef, sparse: adagradDASparseDef, attrs: a}, nil
		})}
}

// adagradDA is ApplyAdagradDA; vals are var, gradient_accumulator,
// gradient_squared_accumulator.
func adagradDA[T float](vals [][]T, g []T, h []float64) {
	w, ga, gga := vals[0], vals[1], vals[2]
	lr, l1, l2, step := T(h[0]), T(h[1]), T(h[2]), T(h[3])
	for i := range w {
		ga[i] += g[i]
		gga[i] += g[i] * g[i]
		den := l2*(step*lr) + T(math.Sqrt(float64(gga[i])))
		if l1 > 0 {
			a := ga[i]
			if a < 0 {
				a = -a
			}
			w[i] = lr * -1 * sign(ga[i]) * max(a-step*l1, 0) / den
		} else {
			w[i] = lr * ga[i] * -1 / den
		}
	}
}
