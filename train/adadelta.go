package train

import (
	"math"

	"github.com/gorgoflow/gorgoflow/tf"
)

// AdadeltaOptimizer is Zeiler's Adadelta as TF 1.x computes it
// (tf.train.AdadeltaOptimizer, TF's ApplyAdadelta):
//
//	accum = rho*accum + (1-rho)*grad^2
//	update = sqrt(accum_update + epsilon) / sqrt(accum + epsilon) * grad
//	var -= learning_rate * update
//	accum_update = rho*accum_update + (1-rho)*update^2
//
// Its slots, "accum" and "accum_update", are "<var>/Adadelta" and
// "<var>/Adadelta_1" and start at zero. A sparse gradient updates the rows
// it touches (SparseApplyAdadelta), repeated indices summed first.
type AdadeltaOptimizer struct{ *base }

var (
	adadeltaHyper hyperFunc = func(a tf.Attrs, _ []float64, _ func(float64) float64) []float64 {
		return []float64{a.Float("lr", 0), a.Float("rho", 0), a.Float("epsilon", 0)}
	}
	adadeltaDef       = applyDef("ApplyAdadelta", adadelta[float32], adadelta[float64], adadeltaHyper)
	adadeltaSparseDef = sparseApplyDef("SparseApplyAdadelta", true, rowwise(adadelta[float32]), rowwise(adadelta[float64]), adadeltaHyper)
)

// NewAdadeltaOptimizer returns Adadelta
// (tf.train.AdadeltaOptimizer(learning_rate=0.001, rho=0.95, epsilon=1e-8));
// TF's default learning rate is 0.001. The learning rate, rho and epsilon
// are numbers or scalar tensors. Options: Rho (default 0.95), Epsilon
// (1e-8), Name ("Adadelta").
func NewAdadeltaOptimizer(learningRate any, opts ...Option) *AdadeltaOptimizer {
	return &AdadeltaOptimizer{newBase("train.NewAdadeltaOptimizer", "Adadelta", learningRate, opts, []string{"rho", "epsilon"},
		func(fn string, o *options) (kind, error) {
			a, err := hypers(fn, "rho", o.get("rho", o.rho, 0.95), "epsilon", o.get("epsilon", o.epsilon, 1e-8))
			return plainKind{slotSpecs: []slotSpec{{name: "accum", init: 0}, {name: "accum_update", init: 0}},
				dense: adadeltaDef, sparse: adadeltaSparseDef, attrs: a}, err
		})}
}

// adadelta is ApplyAdadelta; vals are var, accum, accum_update.
func adadelta[T float](vals [][]T, g []T, h []float64) {
	w, acc, accU := vals[0], vals[1], vals[2]
	lr, rho, eps := T(h[0]), T(h[1]), T(h[2])
	for i := range w {
		acc[i] = acc[i]*rho + g[i]*g[i]*(1-rho)
		upd := T(math.Sqrt(float64(accU[i]+eps))) * rsqrt(acc[i]+eps) * g[i]
		w[i] -= upd * lr
		accU[i] = accU[i]*rho + upd*upd*(1-rho)
	}
}
