package train

import (
	"github.com/pkg/errors"
)

// ProximalAdagradOptimizer is Adagrad's step followed by the proximal step
// of L1 and L2 regularization, as TF 1.x computes it
// (tf.train.ProximalAdagradOptimizer, TF's ApplyProximalAdagrad):
//
//	accum += grad^2
//	lr = learning_rate / sqrt(accum)
//	prox = var - lr*grad
//	var = sign(prox) * max(|prox| - lr*l1, 0) / (1 + lr*l2)
//
// Its slot, "accumulator", is "<var>/ProximalAdagrad" and starts at the
// initial accumulator value (default 0.1). A sparse gradient updates the
// rows it touches (SparseApplyProximalAdagrad), repeated indices summed
// first.
type ProximalAdagradOptimizer struct{ *base }

var (
	proximalAdagradDef       = applyDef("ApplyProximalAdagrad", proximalAdagrad[float32], proximalAdagrad[float64], proximalHyper)
	proximalAdagradSparseDef = sparseApplyDef("SparseApplyProximalAdagrad", true, rowwise(proximalAdagrad[float32]), rowwise(proximalAdagrad[float64]), proximalHyper)
)

// NewProximalAdagradOptimizer returns proximal Adagrad
// (tf.train.ProximalAdagradOptimizer(learning_rate)). The learning rate
// and the regularization strengths are numbers or scalar tensors. Options:
// InitialAccumulatorValue (default 0.1, must be positive),
// L1RegularizationStrength (0), L2RegularizationStrength (0), Name
// ("ProximalAdagrad").
func NewProximalAdagradOptimizer(learningRate any, opts ...Option) *ProximalAdagradOptimizer {
	return &ProximalAdagradOptimizer{newBase("train.NewProximalAdagradOptimizer", "ProximalAdagrad", learningRate, opts,
		[]string{"initial_accumulator_value", "l1_regularization_strength", "l2_regularization_strength"},
		func(fn string, o *options) (kind, error) {
			init := o.get("initial_accumulator_value", o.initialAccum, 0.1).(float64)
			if init <= 0 {
				return nil, errors.Errorf("%s: initial_accumulator_value must be positive: %v", fn, init)
			}
			a, err := hypers(fn, "l1", o.get("l1_regularization_strength", o.l1, 0.0), "l2", o.get("l2_regularization_strength", o.l2, 0.0))
			return plainKind{slotSpecs: []slotSpec{{name: "accumulator", init: init}},
				dense: proximalAdagradDef, sparse: proximalAdagradSparseDef, attrs: a}, err
		})}
}

// proximalAdagrad is ApplyProximalAdagrad; vals are var, accum.
func proximalAdagrad[T float](vals [][]T, g []T, h []float64) {
	w, acc := vals[0], vals[1]
	lr, l1, l2 := T(h[0]), T(h[1]), T(h[2])
	for i := range w {
		acc[i] += g[i] * g[i]
		lrA := lr * rsqrt(acc[i])
		w[i] = proximalStep(w[i]-g[i]*lrA, lrA, l1, l2)
	}
}
